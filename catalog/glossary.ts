import type { Kysely } from 'kysely'
import { InvalidInputError } from '../core/index.js'
import type { CatalogTables } from './catalog-tables.js'
import { refreshColumnsText } from './columns-text.js'

/** A business term and what it means, linked to the columns that hold it. */
export interface GlossaryTerm {
  term: string
  definition: string
}

/** A term with where it is used. */
export interface GlossaryEntry extends GlossaryTerm {
  columns: { dataset: string; column: string }[]
}

/** Adds terms, or updates their definitions. */
export async function saveTerms(
  db: Kysely<CatalogTables>,
  terms: readonly GlossaryTerm[],
): Promise<void> {
  if (terms.length === 0) return
  await db
    .insertInto('glossary_terms')
    .values(terms.map((t) => ({ term: t.term, definition: t.definition })))
    .onConflict((oc) =>
      oc.column('term').doUpdateSet((eb) => ({
        definition: eb.ref('excluded.definition'),
        updated_at: new Date(),
      })),
    )
    .execute()
}

/**
 * Sets the glossary terms of one column (replacing its links) and refreshes what search reads.
 * Every term must exist; the message names those that do not.
 */
export async function linkColumnTerms(
  db: Kysely<CatalogTables>,
  datasetId: string,
  column: string,
  terms: readonly string[],
): Promise<void> {
  const found =
    terms.length > 0
      ? await db
          .selectFrom('glossary_terms')
          .select(['id', 'term'])
          .where('term', 'in', [...terms])
          .execute()
      : []
  const missing = terms.filter((t) => !found.some((f) => f.term === t))
  if (missing.length > 0) {
    throw new InvalidInputError(
      `No glossary term ${missing.map((t) => `'${t}'`).join(', ')}: GET /api/glossary lists them`,
    )
  }
  await db
    .deleteFrom('column_glossary')
    .where('dataset_id', '=', datasetId)
    .where('column_name', '=', column)
    .execute()
  if (found.length > 0) {
    await db
      .insertInto('column_glossary')
      .values(found.map((f) => ({ dataset_id: datasetId, column_name: column, term_id: f.id })))
      .execute()
  }
  await refreshColumnsText(db, datasetId)
}

/** Every term with the dataset columns that use it. */
export async function listGlossary(db: Kysely<CatalogTables>): Promise<GlossaryEntry[]> {
  const terms = await db
    .selectFrom('glossary_terms')
    .select(['id', 'term', 'definition'])
    .orderBy('term')
    .execute()
  const links = await db
    .selectFrom('column_glossary as cg')
    .innerJoin('datasets as d', 'd.id', 'cg.dataset_id')
    .select(['cg.term_id', 'd.slug', 'cg.column_name'])
    .orderBy('d.slug')
    .orderBy('cg.column_name')
    .execute()
  return terms.map((t) => ({
    term: t.term,
    definition: t.definition,
    columns: links
      .filter((l) => Number(l.term_id) === Number(t.id))
      .map((l) => ({ dataset: l.slug, column: l.column_name })),
  }))
}

/** The terms of each column of a dataset. */
export async function termsOfDataset(
  db: Kysely<CatalogTables>,
  datasetId: string,
): Promise<Map<string, GlossaryTerm[]>> {
  const rows = await db
    .selectFrom('column_glossary as cg')
    .innerJoin('glossary_terms as g', 'g.id', 'cg.term_id')
    .select(['cg.column_name', 'g.term', 'g.definition'])
    .where('cg.dataset_id', '=', datasetId)
    .orderBy('g.term')
    .execute()
  const byColumn = new Map<string, GlossaryTerm[]>()
  for (const r of rows)
    byColumn.set(r.column_name, [
      ...(byColumn.get(r.column_name) ?? []),
      { term: r.term, definition: r.definition },
    ])
  return byColumn
}
