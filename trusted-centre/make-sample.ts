import type { DatasetRegistration } from '../catalog/index.js'
import type { DuckDBConnection } from '../core/index.js'
import { bindHmacKey, pseudonymSql, quoteIdent, quoteLiteral, readRows } from '../core/index.js'

/** How a pipeline's samples are drawn and de-identified. */
export interface SamplePolicy {
  /** Rows drawn from the version (deterministically, by a hash of the key). */
  size: number
  /**
   * Coarser and coarser SQL expressions for each quasi-identifier, over the column's value.
   * A quasi-identifier without a ladder goes straight to '*' when it must be generalised.
   */
  generalise?: Readonly<Record<string, readonly string[]>>
}

/** What became of a version's sample. */
export type SampleOutcome =
  | {
      status: 'published'
      rows: number
      k: number
      levels: Record<string, number>
      suppressedRows: number
    }
  | { status: 'refused'; k: number; reason: string }

// Rare combinations left after generalising may be dropped, up to this share of the sample.
const MAX_SUPPRESSED_SHARE = 0.02

/**
 * Writes a sample of `source` to `target`: every direct identifier replaced by `masked-` and the
 * first 16 hex digits of its HMAC-SHA-256 under `sampleKey`, the `sample` pseudonym key (NULL
 * stays NULL), so no part of an identifier shows and a sample joins with no full dataset or
 * grant, whose pseudonyms have keys of their own; quasi-identifiers generalised one step at a
 * time (the column with the most distinct values first) until every combination occurs at least
 * k times, dropping a last few rare rows if that finishes it. If no generalisation reaches k the
 * sample is refused and nothing is written.
 */
export async function makeSample(
  conn: DuckDBConnection,
  options: {
    source: string
    target: string
    dataset: DatasetRegistration
    key: readonly string[]
    policy: SamplePolicy
    k: number
    /** The `sample` pseudonym key that masks direct identifiers. */
    sampleKey: Buffer
  },
): Promise<SampleOutcome> {
  const { dataset, policy, k } = options
  const columns = dataset.columns
  const quasi = columns.filter((c) => c.personalData === 'quasi-identifier').map((c) => c.name)
  const ladders = new Map(
    quasi.map((name) => [name, [quoteIdent(name), ...(policy.generalise?.[name] ?? []), `'*'`]]),
  )
  const levels: Record<string, number> = Object.fromEntries(quasi.map((name) => [name, 0]))
  const order = options.key.map(quoteIdent).join(", '|', ")

  await conn.run(`CREATE OR REPLACE TEMP TABLE sample_base AS
    SELECT * FROM read_parquet(${quoteLiteral(options.source)}) ORDER BY md5(concat(${order})) LIMIT ${policy.size}`)
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
      `CREATE OR REPLACE TEMP TABLE sample_candidate AS SELECT ${select.join(', ')} FROM sample_base`,
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
      if (rareRows > 0) {
        await conn.run(`DELETE FROM sample_candidate WHERE (${groups}) IN (
          SELECT (${groups}) FROM sample_candidate GROUP BY ${groups} HAVING count(*) < ${k})`)
      }
      await conn.run(
        `COPY sample_candidate TO ${quoteLiteral(options.target)} (FORMAT parquet, COMPRESSION zstd)`,
      )
      return { status: 'published', rows: size - rareRows, k, levels, suppressedRows: rareRows }
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
