import type { Kysely, Selectable } from 'kysely'
import type { QualitySummary } from '../../catalog/index.js'
import type { RunRow, TrustedCentreTables } from '../tc-tables.js'
import type { Run, WithheldDetail } from './run.js'

/** A delivery as archived: the file unchanged under its SHA-256, relative to the data directory. */
export interface Delivery {
  feed: string
  sha256: string
  path: string
  byteSize: number
}

/** How a run ended, written together with the delivery it consumed (if any). */
export interface RunOutcome {
  status: 'succeeded' | 'failed'
  rowsIn?: number
  accepted?: number
  quarantined?: number
  stagingPath?: string
  quarantinePath?: string
  outputVersion?: number
  published?: boolean
  quality?: QualitySummary
  message?: string
  /** What the message may not quote; see {@link WithheldDetail}. */
  withheld?: WithheldDetail
  delivery?: Delivery
}

/** A failed ingest of a feed, with what its message leaves out. */
export interface FailedDelivery {
  run: Run
  withheld: WithheldDetail | undefined
}

export interface RunStore {
  startRun(run: {
    id: string
    kind: Run['kind']
    subject: string
    startedAt: Date
    deliverySha256?: string
  }): Promise<void>
  finishRun(id: string, finishedAt: Date, outcome: RunOutcome): Promise<Run>
  findRun(id: string): Promise<Run | undefined>
  /** The run that consumed this exact delivery before, if any. */
  findDeliveryRun(feed: string, sha256: string): Promise<Run | undefined>
  /** The newest successful ingest of a feed: the current snapshot. */
  latestAcceptedIngest(feed: string): Promise<Run | undefined>
  /** Every successful ingest of a feed, oldest first: the deltas that make up its data. */
  acceptedIngests(feed: string): Promise<Run[]>
  listRuns(options?: { limit?: number }): Promise<Run[]>
  /** A feed's failed ingests, newest first, with the detail kept from their messages. */
  failedDeliveries(feed: string, options?: { limit?: number }): Promise<FailedDelivery[]>
  /** Marks the runs left running by processes that died as failed, saying so; how many. */
  failInterrupted(processIds: readonly string[], at: Date): Promise<number>
}

export function createRunStore(
  db: Kysely<TrustedCentreTables>,
  /** Written on every run this process starts, so a run it leaves behind can be told apart. */
  processId: string | null = null,
): RunStore {
  const accepted = (feed: string) =>
    db
      .selectFrom('tc_runs')
      .selectAll()
      .where('kind', '=', 'ingest')
      .where('subject', '=', feed)
      .where('status', '=', 'succeeded')
  const find = (id: string) =>
    db.selectFrom('tc_runs').selectAll().where('id', '=', id).executeTakeFirst()
  return {
    async startRun(run) {
      await db
        .insertInto('tc_runs')
        .values({
          id: run.id,
          kind: run.kind,
          subject: run.subject,
          status: 'running',
          started_at: run.startedAt,
          delivery_sha256: run.deliverySha256 ?? null,
          process_id: processId,
        })
        .execute()
    },

    async finishRun(id, finishedAt, outcome) {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('tc_runs')
          .set({
            status: outcome.status,
            finished_at: finishedAt,
            rows_in: outcome.rowsIn ?? null,
            accepted: outcome.accepted ?? null,
            quarantined: outcome.quarantined ?? null,
            staging_path: outcome.stagingPath ?? null,
            quarantine_path: outcome.quarantinePath ?? null,
            output_version: outcome.outputVersion ?? null,
            published: outcome.published ?? null,
            quality: outcome.quality ? JSON.stringify(outcome.quality) : null,
            message: outcome.message ?? null,
            withheld_detail: outcome.withheld ? JSON.stringify(outcome.withheld) : null,
          })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow()
        if (outcome.delivery) {
          await trx
            .insertInto('tc_deliveries')
            .values({
              feed: outcome.delivery.feed,
              sha256: outcome.delivery.sha256,
              path: outcome.delivery.path,
              byte_size: outcome.delivery.byteSize,
              run_id: id,
            })
            .execute()
        }
        return rowToRun(row)
      })
    },

    async findRun(id) {
      const row = await find(id)
      return row && rowToRun(row)
    },

    async findDeliveryRun(feed, sha256) {
      const row = await db
        .selectFrom('tc_deliveries')
        .innerJoin('tc_runs', 'tc_runs.id', 'tc_deliveries.run_id')
        .selectAll('tc_runs')
        .where('tc_deliveries.feed', '=', feed)
        .where('tc_deliveries.sha256', '=', sha256)
        .executeTakeFirst()
      return row && rowToRun(row)
    },

    async latestAcceptedIngest(feed) {
      const row = await accepted(feed)
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst()
      return row && rowToRun(row)
    },

    async acceptedIngests(feed) {
      const rows = await accepted(feed).orderBy('started_at').orderBy('id').execute()
      return rows.map(rowToRun)
    },

    async failInterrupted(processIds, at) {
      if (processIds.length === 0) return 0
      const failed = await db
        .updateTable('tc_runs')
        .set({
          status: 'failed',
          finished_at: at,
          message:
            'Interrupted: the process running it stopped before it finished; nothing was published',
        })
        .where('status', '=', 'running')
        .where('process_id', 'in', [...processIds])
        .returning('id')
        .execute()
      return failed.length
    },

    async listRuns(options = {}) {
      const rows = await db
        .selectFrom('tc_runs')
        .selectAll()
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc')
        .limit(options.limit ?? 100)
        .execute()
      return rows.map(rowToRun)
    },

    async failedDeliveries(feed, options = {}) {
      const rows = await db
        .selectFrom('tc_runs')
        .selectAll()
        .where('kind', '=', 'ingest')
        .where('subject', '=', feed)
        .where('status', '=', 'failed')
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc')
        .limit(options.limit ?? 100)
        .execute()
      return rows.map((row) => ({
        run: rowToRun(row),
        withheld: row.withheld_detail ?? undefined,
      }))
    },
  }
}

function rowToRun(row: Selectable<RunRow>): Run {
  return {
    id: row.id,
    kind: row.kind,
    subject: row.subject,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at ?? undefined,
    deliverySha256: row.delivery_sha256 ?? undefined,
    rowsIn: row.rows_in ?? undefined,
    accepted: row.accepted ?? undefined,
    quarantined: row.quarantined ?? undefined,
    stagingPath: row.staging_path ?? undefined,
    quarantinePath: row.quarantine_path ?? undefined,
    outputVersion: row.output_version ?? undefined,
    published: row.published ?? undefined,
    quality: row.quality ?? undefined,
    message: row.message ?? undefined,
  }
}
