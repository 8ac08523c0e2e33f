import { type Kysely, sql } from 'kysely'
import type { accessibleWhere } from '../identity/index.js'
import type { CatalogTables } from './catalog-tables.js'
import type { AccessCombination, FacetValues } from './facet-values.js'

type Readable = ReturnType<typeof accessibleWhere>

/** Answers kept per catalogue: one per distinct set of read rules seen, a handful in practice. */
const KEPT = 256

interface Kept {
  /** How many combinations there were when asked: the list only grows, so more means ask again. */
  combinations: number
  allowed: Uint8Array
}

const answers = new WeakMap<FacetValues, Map<string, Kept>>()

/**
 * Which (agency, security, sensitivity) combinations present in the catalogue the caller may
 * read: 1 at a combination's index if so. The read rules test those three values of a dataset and
 * nothing else (accessibleWhere maps only them, and refuses a rule on any other field), so
 * evaluating the rules' own SQL once per distinct combination decides exactly what evaluating it
 * on every row would, in one small statement instead of a pass over every dataset.
 *
 * The answer is a function of the rules' SQL and the combinations alone, so it is kept by that
 * SQL: two callers share it only when their rules are the same statement with the same values.
 */
export async function allowedCombinations(
  db: Kysely<CatalogTables>,
  values: FacetValues,
  readable: Readable,
): Promise<Uint8Array> {
  const combinations = values.accessCombinations().slice()
  const rules = db
    .selectFrom(sql`(select)`.as('s'))
    .where(readable)
    .select(sql`1`.as('i'))
    .compile()
  const key = `${rules.sql}\u0000${JSON.stringify(rules.parameters)}`
  let kept = answers.get(values)
  if (!kept) {
    kept = new Map()
    answers.set(values, kept)
  }
  const known = kept.get(key)
  if (known && known.combinations === combinations.length) return known.allowed
  const rows = await allowedQuery(db, combinations, readable).execute()
  const allowed = new Uint8Array(combinations.length)
  for (const row of rows) allowed[Number(row.i)] = 1
  if (kept.size >= KEPT) kept.clear()
  kept.set(key, { combinations: combinations.length, allowed })
  return allowed
}

function allowedQuery(
  db: Kysely<CatalogTables>,
  combinations: readonly AccessCombination[],
  readable: Readable,
) {
  // Named as the rules name a dataset's columns (`s.agency`, …), so their SQL applies unchanged.
  const rows = sql`(select unnest(${sql.val(combinations.map((_, i) => i))}::int[]) as i,
    unnest(${sql.val(combinations.map((c) => c.agency))}::text[]) as agency,
    unnest(${sql.val(combinations.map((c) => c.security))}::text[]) as security_classification,
    unnest(${sql.val(combinations.map((c) => c.sensitivity))}::text[]) as sensitivity)`
  return db.selectFrom(rows.as('s')).where(readable).select(sql<number>`s.i`.as('i'))
}
