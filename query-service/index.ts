/**
 * @module query-service
 * Sandboxed DuckDB queries, samples and approved extracts (issue: Query service). Nothing is
 * exported yet: no route serves rows, so no row can leak before the sandbox exists.
 */

export {}
