import type { DuckDBConnection } from '../../core/index.js'
import { quoteIdent, quoteLiteral, readRows } from '../../core/index.js'
import { bindHmacKey, pseudonymSql } from '../../keys/index.js'

// The pre-issue-20 sample generaliser (trusted-centre/make-sample.ts at commit 0a5dd9a), kept
// only as the baseline of `npm run bench:samples`: nothing in the product uses it. The algorithm
// is unchanged; it takes the columns and policy as arguments instead of a DatasetRegistration,
// and keeps a `__row` number beside the drawn rows so the bench can tell which rows it dropped.

/** The old policy: a ladder of coarser SQL expressions per quasi-identifier. */
export interface LegacySamplePolicy {
  size: number
  /** A quasi-identifier without a ladder goes straight to '*' when it must be generalised. */
  generalise?: Readonly<Record<string, readonly string[]>>
}

/** A column as the old generaliser saw it: its declared label alone. */
export interface LegacyColumn {
  name: string
  personalData: 'direct-identifier' | 'quasi-identifier' | 'sensitive' | 'none'
}

export type LegacyOutcome =
  | {
      status: 'published'
      rows: number
      k: number
      levels: Record<string, number>
      suppressedRows: number
      /** The SELECT list that wrote the sample from `sample_base`. */
      select: string[]
      /** `__row` of each drawn row it dropped. */
      suppressed: number[]
    }
  | { status: 'refused'; k: number; reason: string }

/** The old ladders of `person_address_pa` (`sample.generalise` at commit 0a5dd9a). */
export const LEGACY_PERSON_LADDERS: Readonly<Record<string, readonly string[]>> = {
  age_band: [
    "CASE WHEN age_band IN ('0-17', '18-34') THEN '0-34' WHEN age_band IN ('35-49', '50-64') THEN '35-64' ELSE '65+' END",
  ],
  residential_status: [
    "CASE WHEN residential_status IN ('C', 'P') THEN 'resident' ELSE 'non-resident' END",
  ],
  postal_code: ["substr(postal_code, 1, 2) || 'xxxx'"],
  planning_area_code: ['region_code'],
  planning_area_name: ['region_code'],
}

/** What each step of those ladders shows, as the bench names it. */
export const LEGACY_STEP_NAMES: Readonly<Record<string, readonly string[]>> = {
  age_band: ['bands 0-34, 35-64, 65+'],
  residential_status: ['resident or not'],
  postal_code: ['sector'],
  planning_area_code: ['region'],
  planning_area_name: ['region'],
}

// Rare combinations left after generalising may be dropped, up to this share of the sample.
const MAX_SUPPRESSED_SHARE = 0.02

/**
 * The old makeSample: direct identifiers masked, quasi-identifiers generalised one step at a
 * time (the column with the most distinct values first) until every combination occurs at least
 * k times, dropping a last few rare rows if that finishes it; refused if no generalisation does.
 */
export async function legacyMakeSample(
  conn: DuckDBConnection,
  options: {
    source: string
    target: string
    columns: readonly LegacyColumn[]
    key: readonly string[]
    policy: LegacySamplePolicy
    k: number
    sampleKey: Buffer
  },
): Promise<LegacyOutcome> {
  const { columns, policy, k } = options
  const quasi = columns.filter((c) => c.personalData === 'quasi-identifier').map((c) => c.name)
  const ladders = new Map(
    quasi.map((name) => [name, [quoteIdent(name), ...(policy.generalise?.[name] ?? []), `'*'`]]),
  )
  const levels: Record<string, number> = Object.fromEntries(quasi.map((name) => [name, 0]))
  const order = options.key.map(quoteIdent).join(", '|', ")

  await conn.run(`CREATE OR REPLACE TEMP TABLE sample_base AS
    SELECT *, row_number() OVER (ORDER BY md5(concat(${order}))) - 1 AS __row
    FROM read_parquet(${quoteLiteral(options.source)}) ORDER BY md5(concat(${order})) LIMIT ${policy.size}`)
  const [{ n } = { n: '0' }] = await readRows<{ n: string }>(
    conn,
    'SELECT count(*) AS n FROM sample_base',
  )
  const size = Number(n)
  if (size < k)
    return { status: 'refused', k, reason: `The version has ${size} rows, fewer than k = ${k}` }
  await bindHmacKey(conn, 'sample_key', options.sampleKey)

  for (;;) {
    const select = columns.map((c) => {
      const name = quoteIdent(c.name)
      if (c.personalData === 'direct-identifier') {
        return `${pseudonymSql('sample_key', name)} AS ${name}`
      }
      const ladder = ladders.get(c.name)
      return ladder ? `(${ladder[levels[c.name] ?? 0]})::VARCHAR AS ${name}` : name
    })
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE sample_candidate AS SELECT ${select.join(', ')}, __row FROM sample_base`,
    )
    const groups = quasi.map(quoteIdent).join(', ')
    const [{ rare } = { rare: '0' }] = quasi.length
      ? await readRows<{ rare: string }>(
          conn,
          `SELECT coalesce(sum(c), 0) AS rare FROM (SELECT count(*) AS c FROM sample_candidate GROUP BY ${groups} HAVING count(*) < ${k})`,
        )
      : [{ rare: '0' }]
    const rareRows = Number(rare)
    if (rareRows <= size * MAX_SUPPRESSED_SHARE) {
      const suppressed =
        rareRows > 0
          ? await readRows<{ r: string }>(
              conn,
              `SELECT __row AS r FROM sample_candidate WHERE (${groups}) IN (
                SELECT (${groups}) FROM sample_candidate GROUP BY ${groups} HAVING count(*) < ${k})`,
            )
          : []
      if (rareRows > 0) {
        await conn.run(`DELETE FROM sample_candidate WHERE (${groups}) IN (
          SELECT (${groups}) FROM sample_candidate GROUP BY ${groups} HAVING count(*) < ${k})`)
      }
      await conn.run(
        `COPY (SELECT * EXCLUDE (__row) FROM sample_candidate) TO ${quoteLiteral(options.target)} (FORMAT parquet, COMPRESSION zstd)`,
      )
      return {
        status: 'published',
        rows: size - rareRows,
        k,
        levels,
        suppressedRows: rareRows,
        select,
        suppressed: suppressed.map((s) => Number(s.r)),
      }
    }
    const next = await widestGeneralisable(conn, quasi, ladders, levels)
    if (!next) {
      return {
        status: 'refused',
        k,
        reason: `No generalisation of ${quasi.join(', ')} gives every combination at least ${k} rows`,
      }
    }
    levels[next] = (levels[next] ?? 0) + 1
  }
}

/** The quasi-identifier with the most distinct values that can still be generalised. */
async function widestGeneralisable(
  conn: DuckDBConnection,
  quasi: string[],
  ladders: Map<string, string[]>,
  levels: Record<string, number>,
): Promise<string | undefined> {
  const open = quasi.filter((name) => (levels[name] ?? 0) < (ladders.get(name)?.length ?? 1) - 1)
  if (open.length === 0) return undefined
  const [counts] = await readRows<Record<string, string>>(
    conn,
    `SELECT ${open.map((name) => `count(DISTINCT ${quoteIdent(name)}) AS ${quoteIdent(name)}`).join(', ')} FROM sample_candidate`,
  )
  return open.reduce((best, name) =>
    Number(counts?.[name]) > Number(counts?.[best]) ? name : best,
  )
}
