import { z } from 'zod'

/** The business glossary as the API sends it. */

/** A business term and what it means. */
export const glossaryTermJson = z.strictObject({
  term: z.string().describe('NFKC-normalised, unique whatever its letter case'),
  definition: z.string(),
  synonyms: z.array(z.string()).describe('Other words for the term; search matches them too'),
  abbreviations: z.array(z.string()).describe('Short forms of the term; search matches them too'),
})

/** A term with the dataset columns that use it (only of datasets the caller may discover). */
export const glossaryEntryJson = glossaryTermJson
  .extend({
    columns: z.array(
      z.strictObject({
        dataset: z.string().describe("The dataset's slug"),
        column: z.string(),
      }),
    ),
  })
  .meta({ id: 'GlossaryEntry' })

/** A redefinition's answer: the term before and after. */
export const glossaryChangeJson = z.strictObject({
  before: glossaryTermJson,
  after: glossaryTermJson,
})
