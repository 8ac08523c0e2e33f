/** The most a list of requests or grants answers with at once: a page, `offset` for the next. */
export const MAX_LISTED = 1_000

/** A `LIKE` pattern matching text that contains `part`, its wildcards taken literally. */
export const containing = (part: string) => `%${part.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
