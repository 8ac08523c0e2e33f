/** A `LIKE` pattern matching text that contains `part`, its wildcards taken literally. */
export const containing = (part: string) => `%${part.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
