import type { DuckDBConnection } from '../core/index.js'
import { quoteIdent, quoteLiteral } from '../core/index.js'

const OUT_OF_STEP = 'ingest: the verdicts are out of step with the delivered rows'

/**
 * Writes the accepted rows of an ingest to the staging file, in the delivery's order, from the
 * tables its checks made (see ingest.ts): `typed` (every row, typed), `verdicts` (every row's
 * verdict, stored in the delivery's order) and `refused`. The typed rows are read again in that
 * order, so a positional join pairs them with their verdicts with no join table and no sort of
 * every row (a country's persons sorted held 1.7 GB). DuckDB does not promise the order of a
 * scan, so the pairing is checked row by row: were the two out of step, the statement fails, and
 * the rows are written the general way (joined, then sorted).
 */
export async function writeAccepted(
  conn: DuckDBConnection,
  columns: readonly { name: string }[],
  runId: string,
  staging: string,
) {
  const names = columns.map((c) => `typed.${quoteIdent(c.name)}`).join(', ')
  const target = `${quoteLiteral(staging)} (FORMAT parquet, COMPRESSION zstd)`
  try {
    await conn.run(`
      COPY (SELECT CASE WHEN typed.__row = verdicts.row THEN typed.__row
                        ELSE error(${quoteLiteral(OUT_OF_STEP)}) END AS _row,
                   ${quoteLiteral(runId)} AS _run, ${names}
            FROM typed POSITIONAL JOIN verdicts WHERE verdicts.reason IS NULL)
      TO ${target}`)
    return
  } catch (error) {
    if (!(error instanceof Error && error.message.includes(OUT_OF_STEP))) throw error
  }
  await conn.run(`
    COPY (SELECT typed.__row AS _row, ${quoteLiteral(runId)} AS _run, ${names}
          FROM typed ANTI JOIN refused ON refused.row = typed.__row ORDER BY typed.__row)
    TO ${target}`)
}
