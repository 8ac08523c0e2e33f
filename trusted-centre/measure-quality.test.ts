import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type DuckDBConnection,
  type DuckDBInstance,
  openDuckDb,
  quoteLiteral,
} from '../core/index.js'
import { measureQuality } from './measure-quality.js'
import { PERSON_ADDRESS_PIPELINE } from './pipelines/person-address-pipeline.js'
import type { QualityAssertion } from './quality.js'

const assertions: QualityAssertion[] = [
  { kind: 'unique', columns: ['k'], severity: 'blocking' },
  { kind: 'not-null', column: 'k', severity: 'blocking' },
  { kind: 'unique', columns: ['k', 'v'], severity: 'warning' },
]
const pipeline = { ...PERSON_ADDRESS_PIPELINE, key: ['k'], assertions }

describe('measuring the quality of a candidate', () => {
  let duckdb: DuckDBInstance
  let conn: DuckDBConnection
  let dir: string
  /** A file of these keys (and a value each), in the order given or sorted by key. */
  const fileOf = async (name: string, keys: (string | null)[], order = '') => {
    const file = join(dir, `${name}.parquet`)
    const values = keys.map((k, i) => `(${k === null ? 'NULL' : quoteLiteral(k)}, ${i % 2})`)
    await conn.run(`COPY (SELECT * FROM (VALUES ${values.join(', ')}) t(k, v) ${order})
                    TO ${quoteLiteral(file)} (FORMAT parquet)`)
    return file
  }
  const observed = async (file: string) =>
    (await measureQuality(conn, pipeline, file, new Date())).results.map((r) => r.observed)

  beforeAll(async () => {
    duckdb = await openDuckDb({ threads: 2, memoryLimit: '256MB' })
    conn = await duckdb.connect()
    dir = await mkdtemp(join(tmpdir(), 'measure-quality-'))
  })
  afterAll(async () => {
    conn.closeSync()
    duckdb.closeSync()
    await rm(dir, { recursive: true, force: true })
  })

  it('counts repeats of a sorted key as count(*) - count(DISTINCT key) does: NULLs included', async () => {
    const keys = ['c', null, 'b', 'a', 'b', null, 'b']
    const file = await fileOf('sorted', keys, 'ORDER BY k')
    // 7 rows, 3 distinct keys: 4 repeats (two b's again, two NULLs). The (k, v) pairs are
    // measured the general way: (b, 0) three times and (NULL, 1) twice, 3 repeats.
    expect(await observed(file)).toEqual([4, 2, 3])
  })

  it('measures a file out of its key order the general way', async () => {
    const file = await fileOf('unsorted', ['b', 'a', 'b', 'c'])
    // Compared only with the row before, the two b's would not meet: 0 repeats.
    expect(await observed(file)).toEqual([1, 0, 1])
  })

  it('measures keys of many rows alike both ways', async () => {
    const keys = Array.from({ length: 5000 }, (_, i) => (i % 997 === 0 ? null : `p${i % 4000}`))
    const sorted = await observed(await fileOf('many-sorted', keys, 'ORDER BY k'))
    const unsorted = await observed(await fileOf('many', keys))
    expect(sorted).toEqual(unsorted)
    const distinct = new Set(keys.filter((k) => k !== null)).size
    expect(sorted[0]).toBe(keys.length - distinct)
  })
})
