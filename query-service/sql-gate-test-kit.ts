import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll } from 'vitest'
import { type GateVerdict, judgeSql, PARSE_SQL } from './sql-gate.js'

/** The views a caller of the gate tests holds. */
export const VIEWS: ReadonlySet<string> = new Set(['persons', 'persons_sample', 'weather'])

/** What `useGate` holds for a test file: the connection is open before its first test runs. */
export interface GateTestKit {
  connection: DuckDBConnection
  /** The gate's verdict on a text, parsed by DuckDB as the query service parses it. */
  judge(sql: string, views?: ReadonlySet<string>): Promise<GateVerdict>
}

/** Opens an in-memory DuckDB for the file it is called in, and closes it after the last test. */
export function useGate(): GateTestKit {
  const gate = {
    async judge(sql: string, views = VIEWS) {
      const reader = await gate.connection.runAndReadAll(PARSE_SQL, [sql])
      return judgeSql(sql, String(reader.getRows()[0]?.[0]), views)
    },
  } as GateTestKit
  beforeAll(async () => {
    gate.connection = await (await DuckDBInstance.create(':memory:')).connect()
  })
  afterAll(() => gate.connection?.closeSync())
  return gate
}
