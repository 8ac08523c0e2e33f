import { z } from 'zod'
import type { Suggestion } from './search-suggestions.js'

/** A suggestion as the API sends it: one shape for every kind, absent parts null. */
export const suggestionJson = z
  .strictObject({
    kind: z
      .enum(['dataset', 'column', 'term', 'agency'])
      .describe('dataset: open it; column or term: search for it; agency: filter by it'),
    label: z.string().describe('What to show: a title, a column name, a term, an agency name'),
    dataset: z
      .strictObject({ slug: z.string(), title: z.string() })
      .nullable()
      .describe('The dataset to open, or the one the column belongs to'),
    matched: z
      .string()
      .nullable()
      .describe('For a term found by a synonym or abbreviation, the name that matched'),
    agency: z.string().nullable().describe("An agency's code, to filter search by"),
  })
  .meta({ id: 'SearchSuggestion' })

export function toSuggestionJson(suggestion: Suggestion): z.output<typeof suggestionJson> {
  return {
    kind: suggestion.kind,
    label: suggestion.label,
    dataset: 'dataset' in suggestion ? suggestion.dataset : null,
    matched: suggestion.kind === 'term' ? (suggestion.matched ?? null) : null,
    agency: suggestion.kind === 'agency' ? suggestion.code : null,
  }
}
