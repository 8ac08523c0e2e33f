import { z } from 'zod'

/**
 * The query parameters of a list read a page at a time, at most `max` a page (core's
 * `MAX_LISTED`, which the stores enforce again): spread into a list route's query schema.
 */
export const listPageQuery = (max: number) => ({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(max)
    .optional()
    .describe(`At most this many (${max} when omitted, and never more)`),
  offset: z.coerce
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .optional()
    .describe('Skip this many, to read the next page'),
})
