import { stat } from 'node:fs/promises'
import { extname, join } from 'node:path'
import type { DuckDBConnection, DuckDBInstance } from '../core/index.js'
import { quoteIdent, quoteLiteral, readRows, sha256File, withConnection } from '../core/index.js'
import type { FeedColumn, FeedContract } from './contracts/feed-contract.js'
import { headerMismatch } from './contracts/feed-contract.js'
import { ruleCondition, ruleReason, VALUE_RULE_MACROS } from './contracts/value-rules.js'
import { dataLayout } from './data-layout.js'
import { copyAtomically, mkdirFor, readFirstLine, removeIfPresent } from './files.js'
import type { Run } from './runs/run.js'
import { type IngestEventDetails, ingestRunEvents } from './runs/run-lineage.js'
import type { Delivery } from './runs/run-store.js'
import { type RunDeps, type RunEnding, withRun } from './runs/with-run.js'
import { writeAccepted } from './write-accepted.js'

export interface IngestDeps extends RunDeps {
  duckdb: DuckDBInstance
  dataDir: string
}

/** What happened to a delivery: ingested (possibly with quarantined rows), refused, or a repeat. */
export type IngestResult =
  | { outcome: 'ingested'; run: Run }
  | { outcome: 'refused'; run: Run }
  | { outcome: 'already-delivered'; run: Run }

/**
 * Ingests one delivered file against its feed contract. The file is archived unchanged under its
 * SHA-256; a repeat of a delivery is a no-op that names the earlier run. A header that does not
 * match the contract refuses the whole delivery. Otherwise every row that fails parsing, typing
 * or a value rule goes to quarantine with its row number, raw text and reason, the rest to the
 * staging Parquet file, and the run records rows_in = accepted + quarantined.
 */
export async function ingestDelivery(
  deps: IngestDeps,
  contract: FeedContract,
  file: string,
): Promise<IngestResult> {
  const sha256 = await sha256File(file)
  const earlier = await deps.runs.findDeliveryRun(contract.id, sha256)
  if (earlier) return { outcome: 'already-delivered', run: earlier }

  const receivedAt = deps.now()
  const archived = dataLayout.rawFeed(
    contract.ssot,
    contract.id,
    receivedAt,
    sha256,
    extname(file).slice(1) || 'csv',
  )
  await copyAtomically(file, join(deps.dataDir, archived))
  const delivery = { feed: contract.id, sha256, path: archived, byteSize: (await stat(file)).size }
  const plan = {
    kind: 'ingest' as const,
    subject: contract.id,
    startedAt: receivedAt,
    deliverySha256: sha256,
    events: ingestRunEvents(contract),
    // The engine's words may quote the file (a line it could not read): they are withheld.
    failure: 'Ingest failed: the delivery could not be read; nothing was staged',
  }
  const { run, result } = await withRun(deps, plan, (runId) =>
    ingest(deps, contract, delivery, runId),
  )
  return { outcome: result, run }
}

/** The ingest itself: the header checked against the contract, then every row. */
async function ingest(
  deps: IngestDeps,
  contract: FeedContract,
  delivery: Delivery,
  runId: string,
): Promise<RunEnding<'ingested' | 'refused', IngestEventDetails>> {
  const archived = join(deps.dataDir, delivery.path)
  const firstLine = await readFirstLine(archived)
  const header = firstLine.split(',').map((h) => h.trim().replace(/^"|"$/g, ''))
  const mismatch = headerMismatch(contract, header)
  if (mismatch) {
    // The message says what was wrong in the contract's terms; the line itself (a wrong file's
    // first line may be a row of data) is kept for the Trusted Centre's stewards only.
    return {
      outcome: { status: 'failed', message: mismatch, withheld: { firstLine }, delivery },
      result: 'refused',
    }
  }

  const counts = await withConnection(
    () => deps.duckdb.connect(),
    (conn) => checkAndSplit(conn, contract, runId, deps.dataDir, archived),
  )
  if (counts.rowsIn !== counts.accepted + counts.quarantined) {
    throw new Error(
      `Counts do not reconcile: ${counts.rowsIn} in, ${counts.accepted} accepted, ${counts.quarantined} quarantined`,
    )
  }
  return {
    outcome: {
      status: 'succeeded',
      ...counts,
      stagingPath: dataLayout.staging(contract.id, runId),
      quarantinePath: dataLayout.quarantine(runId),
      message: `${counts.accepted} of ${counts.rowsIn} rows accepted, ${counts.quarantined} quarantined`,
      delivery,
    },
    details: { bytes: delivery.byteSize },
    result: 'ingested',
  }
}

/**
 * Reads the delivery in DuckDB, checks every row, and writes staging and quarantine files. The
 * engine holds no copy of the delivery: its rows go once from the CSV reader to a Parquet file of
 * text beside the staging file (in file order, so a row's place in it numbers it), and every pass
 * after reads that file. What is kept in memory is a verdict per row and the rows refused.
 */
async function checkAndSplit(
  conn: DuckDBConnection,
  contract: FeedContract,
  runId: string,
  dataDir: string,
  file: string,
) {
  const staging = join(dataDir, dataLayout.staging(contract.id, runId))
  const quarantine = join(dataDir, dataLayout.quarantine(runId))
  const delivered = join(dataDir, dataLayout.deliveredText(contract.id, runId))
  await mkdirFor(staging)
  await mkdirFor(quarantine)
  try {
    await readDelivery(conn, contract, runId, file, delivered)
    await judgeRows(conn, contract, delivered)
    await writeAccepted(conn, contract.columns, runId, staging)
    await conn.run(`
      COPY (SELECT row, reason, raw_text FROM refused ORDER BY row)
      TO ${quoteLiteral(quarantine)} (FORMAT parquet, COMPRESSION zstd)`)
    // Each count read from what was written, so that they reconcile is a check, not a sum.
    const [counts] = await readRows<{ delivered: string; accepted: string; quarantined: string }>(
      conn,
      `SELECT (SELECT count(*) FROM read_parquet(${quoteLiteral(delivered)})) +
              (SELECT count(*) FROM structural) AS delivered,
              (SELECT count(*) FROM read_parquet(${quoteLiteral(staging)})) AS accepted,
              (SELECT count(*) FROM read_parquet(${quoteLiteral(quarantine)})) AS quarantined`,
    )
    return {
      rowsIn: Number(counts?.delivered),
      accepted: Number(counts?.accepted),
      quarantined: Number(counts?.quarantined),
    }
  } finally {
    await removeIfPresent(delivered)
  }
}

/**
 * Reads the delivery as text into `target`, and its structurally broken lines into `structural`.
 * Every field is read as text: only structural faults (wrong column count, broken quoting) are
 * left to the CSV reader, and its rejects table keeps their line and raw text.
 */
async function readDelivery(
  conn: DuckDBConnection,
  contract: FeedContract,
  runId: string,
  file: string,
  target: string,
) {
  const tag = runId.replace(/\W/g, '_')
  const rawColumns = `{${contract.columns.map((c) => `${quoteLiteral(c.name)}: 'VARCHAR'`).join(', ')}}`
  await conn.run(`
    COPY (SELECT * FROM read_csv(${quoteLiteral(file)},
            columns = ${rawColumns}, header = true, auto_detect = false,
            delim = ',', quote = '"', escape = '"', store_rejects = true,
            rejects_table = 'rejects_${tag}', rejects_scan = 'rejects_scan_${tag}'))
    TO ${quoteLiteral(target)} (FORMAT parquet)`)
  await conn.run(`
    CREATE TEMP TABLE structural AS
    SELECT line - 1 AS row, string_agg(error_type || ': ' || error_message, '; ' ORDER BY column_idx) AS reason,
           any_value(csv_line) AS raw_text
    FROM rejects_${tag} GROUP BY line`)
}

/**
 * Checks every row of the delivered text: `typed` is a view of its rows numbered and typed, and
 * `refused` a table of the rows quarantined, each with its reasons (the structural faults among
 * them). A row that repeats an earlier row's text exactly is a duplicate of it; repeats are found
 * by a hash of each row's text, then compared in full, so only rows that share a hash are held.
 */
async function judgeRows(conn: DuckDBConnection, contract: FeedContract, delivered: string) {
  const columns = contract.columns
  await conn.run(VALUE_RULE_MACROS)
  // Typed values take the columns' names; the delivered text stays beside them as __raw_<name>.
  await conn.run(`
    CREATE TEMP VIEW typed AS
    SELECT ${await rowNumber(conn)} AS __row,
           ${columns.map((c) => `${quoteIdent(c.name)} AS ${rawRef(c)}`).join(', ')},
           ${columns.map(typedColumn).join(',\n           ')}
    FROM read_parquet(${quoteLiteral(delivered)}, file_row_number = true)`)
  await conn.run(`
    CREATE TEMP VIEW checked AS
    SELECT __row AS row,
           list_filter([${[...columns.flatMap(reasonsFor), ...rowRuleReasons(contract)].join(', ')}], r -> r IS NOT NULL) AS reasons,
           concat_ws(',', ${columns.map((c) => csvField(rawRef(c))).join(', ')}) AS raw_text
    FROM typed`)
  // One pass over every row: a hash of its text, and its reasons and text only when it has any.
  // Stored in the delivery's order, which the staging write pairs them by: the sort is of these
  // narrow rows (a table made without it can lose the order at a few million rows).
  await conn.run(`
    CREATE TEMP TABLE verdicts AS
    SELECT row, hash(raw_text) AS text_hash,
           CASE WHEN len(reasons) > 0 THEN array_to_string(reasons, '; ') END AS reason,
           CASE WHEN len(reasons) > 0 THEN raw_text END AS raw_text
    FROM checked ORDER BY row`)
  // Equal texts have equal reasons: a duplicate of a refused row is refused for them already.
  await conn.run(`
    CREATE TEMP TABLE duplicates AS
    WITH repeated AS (
      SELECT text_hash FROM verdicts WHERE reason IS NULL GROUP BY text_hash HAVING count(*) > 1
    ),
    candidates AS (
      SELECT row FROM verdicts WHERE reason IS NULL AND text_hash IN (SELECT text_hash FROM repeated)
    )
    SELECT row, 'exact duplicate of row ' || first_row AS reason, raw_text
    FROM (SELECT row, raw_text, min(row) OVER (PARTITION BY raw_text) AS first_row
          FROM checked WHERE row IN (SELECT row FROM candidates))
    WHERE row <> first_row`)
  await conn.run(`
    UPDATE verdicts SET reason = duplicates.reason, raw_text = duplicates.raw_text
    FROM duplicates WHERE verdicts.row = duplicates.row`)
  await conn.run(`
    CREATE TEMP TABLE refused AS
    SELECT row, reason, raw_text FROM verdicts WHERE reason IS NOT NULL
    UNION ALL SELECT row, reason, raw_text FROM structural`)
}

/**
 * The row number of the delivered row at `file_row_number` (0-based among the rows read): its
 * line in the file, counting the structurally broken lines, which the reader left out.
 */
async function rowNumber(conn: DuckDBConnection): Promise<string> {
  const [broken] = await readRows<{ n: string }>(conn, 'SELECT count(*) AS n FROM structural')
  // Without broken lines the numbers follow the reader's; the query that counts the broken lines
  // before each row holds every row to join them back, so it runs only when there are some.
  if (Number(broken?.n) === 0) return 'file_row_number + 1'
  // Accepted ordinals skip rejected lines: row(k) = k + #{rejected r_i : r_i - i < k}.
  await conn.run(`
    CREATE TEMP TABLE gaps AS SELECT row - row_number() OVER (ORDER BY row) AS before FROM structural`)
  return 'file_row_number + 1 + (SELECT count(*) FROM gaps WHERE gaps.before < file_row_number + 1)'
}

/** The delivered text of a column, kept next to its typed value while checking. */
function rawRef(column: FeedColumn): string {
  return quoteIdent(`__raw_${column.name}`)
}

function normalized(column: FeedColumn): string {
  const raw = rawRef(column)
  switch (column.normalize) {
    case 'trim-upper':
      return `upper(trim(${raw}))`
    case 'trim':
      return `trim(${raw})`
    case 'pad-digits': {
      const width = column.padTo ?? 0
      return `CASE WHEN regexp_full_match(trim(${raw}), '[0-9]{1,${width - 1}}') THEN lpad(trim(${raw}), ${width}, '0') ELSE trim(${raw}) END`
    }
    case undefined:
      return raw
  }
}

function typedColumn(column: FeedColumn): string {
  return `TRY_CAST(NULLIF(${normalized(column)}, '') AS ${column.type}) AS ${quoteIdent(column.name)}`
}

/** SQL expressions that each yield a reason string when the column's value is refused, else NULL. */
function reasonsFor(column: FeedColumn): string[] {
  const value = normalized(column)
  const present = `NULLIF(${value}, '') IS NOT NULL`
  const typed = quoteIdent(column.name)
  const shown = (text: string) =>
    `${quoteLiteral(`${column.name}: '`)} || ${rawRef(column)} || ${quoteLiteral(`' ${text}`)}`
  const reasons: string[] = []
  if (column.required) {
    reasons.push(
      `CASE WHEN NOT ${present} THEN ${quoteLiteral(`${column.name}: required value is missing`)} END`,
    )
  }
  if (column.type !== 'VARCHAR') {
    reasons.push(
      `CASE WHEN ${present} AND ${typed} IS NULL THEN ${shown(`is not a valid ${column.type}`)} END`,
    )
  }
  if (column.rule) {
    reasons.push(
      `CASE WHEN ${typed} IS NOT NULL AND NOT (${ruleCondition(column.rule, typed)}) THEN ${shown(ruleReason(column.rule))} END`,
    )
  }
  return reasons
}

/** Cross-column checks over the typed values of a row. */
function rowRuleReasons(contract: FeedContract): string[] {
  return (contract.rowRules ?? []).map(
    (rule) =>
      `CASE WHEN NOT coalesce(${rule.condition}, true) THEN ${quoteLiteral(rule.reason)} END`,
  )
}

/** Re-encodes a raw field as CSV, so a quarantined row shows the text that was delivered. */
function csvField(value: string): string {
  return `CASE WHEN ${value} IS NULL THEN '' WHEN regexp_matches(${value}, '[",\\r\\n]') THEN '"' || replace(${value}, '"', '""') || '"' ELSE ${value} END`
}
