import type { DuckDBConnection } from '@duckdb/node-api'

/** A SQL string literal. */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}

/** A SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** Runs a query and returns its rows as JSON-safe objects (BIGINT and DECIMAL as strings). */
export async function readRows<T = Record<string, unknown>>(
  conn: DuckDBConnection,
  sqlText: string,
): Promise<T[]> {
  const reader = await conn.runAndReadAll(sqlText)
  return reader.getRowObjectsJson() as T[]
}

/** Opens a connection, runs the work, and always closes it. */
export async function withConnection<T>(
  open: () => Promise<DuckDBConnection>,
  work: (conn: DuckDBConnection) => Promise<T>,
): Promise<T> {
  const conn = await open()
  try {
    return await work(conn)
  } finally {
    conn.closeSync()
  }
}
