import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import type { Entitlement } from '../../access/index.js'

/** `n` synthetic persons: a key, a planning area, an age, an income and a time seen. */
const synthetic = (n: number) => `SELECT range AS id,
      'S' || lpad((range % 10000000)::VARCHAR, 7, '0') || 'A' AS person_key,
      ['BEDOK', 'TAMPINES', 'YISHUN', 'JURONG WEST', 'WOODLANDS'][range % 5 + 1] AS planning_area,
      (range % 90)::INTEGER AS age, (range % 100000) * 1.5 AS income,
      TIMESTAMP '2026-01-01' + to_seconds(range % 31536000) AS seen_at
    FROM range(${n})`

/** Writes the bench dataset's published version of `rows` rows, and a 10,000-row sample of it. */
export async function writeBenchDataset(dir: string, rows: number): Promise<void> {
  await mkdir(join(dir, 'tc/bench'), { recursive: true })
  await mkdir(join(dir, 'samples/bench'), { recursive: true })
  const setup = await (await DuckDBInstance.create(':memory:')).connect()
  await setup.run(
    `COPY (${synthetic(rows)}) TO '${join(dir, 'tc/bench/v1.parquet')}' (FORMAT parquet, COMPRESSION zstd)`,
  )
  await setup.run(
    `COPY (${synthetic(10_000)}) TO '${join(dir, 'samples/bench/v1.parquet')}' (FORMAT parquet)`,
  )
}

/** What every bench caller may read: the whole dataset (a project's grant) and its sample. */
export function benchEntitlements(): { full: Entitlement; sample: Entitlement } {
  const schema = [
    { name: 'id', type: 'BIGINT', personalData: 'none' },
    { name: 'person_key', type: 'VARCHAR', personalData: 'direct-identifier' },
    { name: 'planning_area', type: 'VARCHAR', personalData: 'quasi-identifier' },
    { name: 'age', type: 'INTEGER', personalData: 'quasi-identifier' },
    { name: 'income', type: 'DOUBLE', personalData: 'sensitive' },
    { name: 'seen_at', type: 'TIMESTAMP', personalData: 'none' },
  ]
  const dataset = { id: 'd_bench', slug: 'bench', title: 'Bench', agency: 'DOS' }
  const full: Entitlement = {
    dataset,
    scope: 'full',
    basis: 'grant',
    grantId: 'g_bench',
    files: [{ version: 1, path: 'tc/bench/v1.parquet' }],
    columns: undefined,
    rowFilter: [],
    inClear: [],
    schema,
    expiresAt: undefined,
    pseudonymScope: 'project:bench',
  }
  const sample: Entitlement = {
    ...full,
    scope: 'sample',
    basis: 'sample',
    grantId: undefined,
    files: [{ version: 1, path: 'samples/bench/v1.parquet' }],
    pseudonymScope: 'sample',
  }
  return { full, sample }
}
