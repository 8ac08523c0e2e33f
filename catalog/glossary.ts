import type { Kysely } from 'kysely'
import { ConflictError, InvalidInputError, NotFoundError } from '../core/index.js'
import { nameKey } from '../text/index.js'
import type { CatalogTables } from './catalog-tables.js'
import { refreshColumnsText } from './columns-text.js'
import type { TermMeaning } from './search-query.js'
import { searchKey } from './search-text.js'

/**
 * A business term and what it means, linked to the columns that hold it. Search treats its
 * synonyms ("identity card number") and abbreviations ("NRIC", "FIN") as the term itself.
 */
export interface GlossaryTerm {
  term: string
  definition: string
  synonyms: string[]
  abbreviations: string[]
}

/** The name of a term with what it means, as a dataset page shows it beside a column. */
export type TermDefinition = Pick<GlossaryTerm, 'term' | 'definition'>

/** What is stored for a term: its fields and the keys search matches it by. */
function termRow(term: GlossaryTerm) {
  const keys = [term.term, ...term.synonyms, ...term.abbreviations].map(searchKey)
  return {
    term: term.term,
    definition: term.definition,
    synonyms: term.synonyms,
    abbreviations: term.abbreviations,
    search_keys: [...new Set(keys.filter(Boolean))],
  }
}

/** The words of terms, for correcting a misspelt search ("did you mean"). */
async function rememberWords(db: Kysely<CatalogTables>, terms: readonly GlossaryTerm[]) {
  const words = new Set(
    terms
      .flatMap((t) => [t.term, ...t.synonyms, ...t.abbreviations])
      .flatMap((text) => text.toLowerCase().split(/[^a-z0-9]+/))
      .filter((w) => w.length >= 3),
  )
  if (words.size === 0) return
  await db
    .insertInto('search_words')
    .values([...words].map((word) => ({ word })))
    .onConflict((oc) => oc.doNothing())
    .execute()
}

/** The terms any of the given search keys names (see candidateKeys). */
export async function termMeanings(
  db: Kysely<CatalogTables>,
  keys: readonly string[],
): Promise<TermMeaning[]> {
  if (keys.length === 0) return []
  const rows = await db
    .selectFrom('glossary_terms')
    .select(['term', 'search_keys'])
    .where((eb) => eb('search_keys', '&&', eb.val([...keys])))
    .execute()
  return rows.map((r) => ({ term: r.term, keys: r.search_keys }))
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
    .values(terms.map(termRow))
    .onConflict((oc) =>
      oc.column('term').doUpdateSet((eb) => ({
        definition: eb.ref('excluded.definition'),
        synonyms: eb.ref('excluded.synonyms'),
        abbreviations: eb.ref('excluded.abbreviations'),
        search_keys: eb.ref('excluded.search_keys'),
        updated_at: new Date(),
      })),
    )
    .execute()
  await rememberWords(db, terms)
}

/** A term to change: any of its name, definition, synonyms and abbreviations. */
export interface TermPatch {
  term?: string
  definition?: string
  synonyms?: string[]
  abbreviations?: string[]
}

/** Adds one term; a term of that name (in any letter case) already defined is a conflict. */
export async function defineTerm(
  db: Kysely<CatalogTables>,
  term: GlossaryTerm,
  now: Date,
): Promise<GlossaryTerm> {
  await assertFree(db, term.term)
  await db
    .insertInto('glossary_terms')
    .values({ ...termRow(term), updated_at: now })
    .execute()
  await rememberWords(db, [term])
  return term
}

/**
 * Redefines or renames a term, returning it before and after. A rename refreshes the search text
 * of every dataset whose columns carry the term, so the new name finds them at once.
 */
export async function redefineTerm(
  db: Kysely<CatalogTables>,
  name: string,
  patch: TermPatch,
  now: Date,
): Promise<{ before: GlossaryTerm; after: GlossaryTerm }> {
  return db.transaction().execute(async (trx) => {
    const found = await trx
      .selectFrom('glossary_terms')
      .select(['id', 'term', 'definition', 'synonyms', 'abbreviations'])
      .where('term', '=', name)
      .forUpdate()
      .executeTakeFirst()
    if (!found) throw new NotFoundError(`No glossary term '${name}': GET /api/glossary lists them`)
    const before: GlossaryTerm = {
      term: found.term,
      definition: found.definition,
      synonyms: found.synonyms,
      abbreviations: found.abbreviations,
    }
    const after: GlossaryTerm = {
      term: patch.term ?? found.term,
      definition: patch.definition ?? found.definition,
      synonyms: patch.synonyms ?? found.synonyms,
      abbreviations: patch.abbreviations ?? found.abbreviations,
    }
    const renamed = after.term !== found.term
    if (renamed) await assertFree(trx, after.term, found.id)
    await trx
      .updateTable('glossary_terms')
      .set({ ...termRow(after), updated_at: now })
      .where('id', '=', found.id)
      .execute()
    await rememberWords(trx, [after])
    if (renamed) {
      const datasets = await trx
        .selectFrom('column_glossary')
        .select('dataset_id')
        .distinct()
        .where('term_id', '=', found.id)
        .execute()
      for (const { dataset_id } of datasets) await refreshColumnsText(trx, dataset_id)
    }
    return { before, after }
  })
}

/**
 * Terms people cannot tell apart (letter case, full-width letters, invisible characters) would
 * confuse them: one name, one term. Compared here rather than by the database's `lower()`, which
 * folds only ASCII under some locales; a glossary is a few thousand terms at most.
 */
async function assertFree(db: Kysely<CatalogTables>, term: string, except?: number) {
  const key = nameKey(term)
  const clash = (
    await db
      .selectFrom('glossary_terms')
      .select(['id', 'term'])
      .$if(except !== undefined, (qb) => qb.where('id', '!=', except ?? 0))
      .execute()
  ).find((t) => nameKey(t.term) === key)
  if (clash)
    throw new ConflictError(
      `Glossary term '${clash.term}' already exists: PATCH /api/glossary/${encodeURIComponent(clash.term)} to change it`,
    )
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
    .select(['id', 'term', 'definition', 'synonyms', 'abbreviations'])
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
    synonyms: t.synonyms,
    abbreviations: t.abbreviations,
    columns: links
      .filter((l) => Number(l.term_id) === Number(t.id))
      .map((l) => ({ dataset: l.slug, column: l.column_name })),
  }))
}

/** The terms of each column of a dataset. */
export async function termsOfDataset(
  db: Kysely<CatalogTables>,
  datasetId: string,
): Promise<Map<string, TermDefinition[]>> {
  const rows = await db
    .selectFrom('column_glossary as cg')
    .innerJoin('glossary_terms as g', 'g.id', 'cg.term_id')
    .select(['cg.column_name', 'g.term', 'g.definition'])
    .where('cg.dataset_id', '=', datasetId)
    .orderBy('g.term')
    .execute()
  const byColumn = new Map<string, TermDefinition[]>()
  for (const r of rows)
    byColumn.set(r.column_name, [
      ...(byColumn.get(r.column_name) ?? []),
      { term: r.term, definition: r.definition },
    ])
  return byColumn
}
