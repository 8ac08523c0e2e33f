/**
 * The most a list answers with at once: a page, `offset` for the next. Stores cap every page they
 * read here, whatever a route asks for, so no list grows with the catalogue.
 */
export const MAX_LISTED = 1_000

/** A page of a list as a caller asks for it: at most `limit` (never more than MAX_LISTED). */
export interface ListPage {
  limit?: number
  /** Skip this many first. */
  offset?: number
}

/** The page a store reads for what was asked: the limit capped, both filled in. */
export const pageBounds = (page: ListPage = {}) => ({
  limit: Math.min(page.limit ?? MAX_LISTED, MAX_LISTED),
  offset: page.offset ?? 0,
})
