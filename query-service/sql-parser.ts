import { type DuckDBInstance, withConnection } from '../core/index.js'
import type { SqlParser } from './saved-query-check.js'
import { PARSE_SQL } from './sql-gate.js'

/**
 * DuckDB's parser on an engine of the server's: the text is bound as a value and only parsed
 * (`json_serialize_sql`), never run, so any engine will do.
 */
export function sqlParserOf(engine: DuckDBInstance): SqlParser {
  return (sql) =>
    withConnection(
      () => engine.connect(),
      async (connection) => {
        const reader = await connection.runAndReadAll(PARSE_SQL, [sql])
        return String(reader.getRows()[0]?.[0] ?? '')
      },
    )
}
