/**
 * How long each kind of text people send may be, and how many items a list may hold: every
 * request schema takes its bounds from here, so the same kind of field has the same limit
 * everywhere. The OpenAPI test fails on a request string without a maximum length or a list
 * without a maximum size.
 */
export const MAX_LENGTH = {
  /** An id we make (`d_` + 32 hex digits, a query id) or a user name. */
  id: 64,
  /** An agency or Single Source of Truth code, e.g. `DOS`. */
  code: 30,
  /** A tag or a theme. */
  tag: 64,
  /** A dataset slug, or a dataset named by slug or id. */
  slug: 100,
  /** A name people pick from a list: a glossary term, a column, a token, a hierarchy level. */
  name: 100,
  /** A title, a project name, search text. */
  title: 200,
  /** A value a row filter compares a column with. */
  value: 1_000,
  /** A justification: a purpose, a reason, a question, an answer, a definition. */
  justification: 2_000,
  /** A dataset's description. */
  description: 10_000,
  /** An RFC 3339 date and time, with its fraction of a second and offset. */
  time: 64,
  /** A URL, a URI, and one part of a request's path (a lineage namespace is a URI). */
  url: 2_048,
  /** An email address (RFC 5321). */
  email: 254,
} as const

export const MAX_ITEMS = {
  /** Columns of a dataset, or named in a request, an approval or an edit. */
  columns: 500,
  /** Tags of a dataset. */
  tags: 50,
  /** Values of one repeated query parameter, e.g. `?agency=DOS&agency=SLA`. */
  queryValues: 50,
} as const
