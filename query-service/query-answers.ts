import { randomUUID } from 'node:crypto'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { AggregateReleases } from './aggregate-releases.js'
import { streamAnswerFile } from './answer-file.js'
import { FILE_FORMATS, type FileFormat, type QueryFormat } from './answer-formats.js'
import { answerWriter } from './answer-writer.js'
import type { CallerView } from './caller-views.js'
import { queryFileName } from './download-name.js'
import type { RunDisclosure } from './job-inputs.js'
import { jsonAnswerBody } from './json-answer.js'
import type { OpenAnswer } from './open-answers.js'
import type { QueryLease } from './query-lease.js'
import type { QueryLimits } from './query-limits.js'
import { queryNotes } from './query-notes.js'
import { outcomeOf, type QueryRecords, type Run } from './query-records.js'
import type { JobView, SandboxSpec } from './worker-protocol.js'

export type QueryAnswer = {
  id: string
  contentType: string
  /** Rows a file answer holds at most (JSON answers say themselves when they were cut). */
  rowLimit: number
  /** A file answer's name: the datasets it read and when (`<slug>_<Singapore time>.csv`). */
  fileName: string
  body: ReadableStream<Uint8Array>
}

/** What an answer is made from: the run, what it holds, and the job's views and output checks. */
export interface AnswerInputs {
  run: Run
  lease: QueryLease
  answer: OpenAnswer
  views: JobView[]
  disclosure: RunDisclosure | undefined
  /** The caller's sandbox the job may run in and leave for their next (JSON answers only). */
  sandbox?: SandboxSpec
}

/**
 * Runs the job and answers: releases the lease once the worker is done with it (an error thrown
 * leaves the lease and the open answer to the caller, and the run to record), and records the run
 * when it succeeds (a file answer: when its body ends).
 */
export type WriteAnswer = (inputs: AnswerInputs) => Promise<QueryAnswer>

/** The grants behind some of a caller's views. */
const grantsOf = (views: readonly CallerView[]) =>
  views.flatMap((v) => (v.entitlement.grantId ? [v.entitlement.grantId] : []))

/** The caller's views a job reads. */
const usedViews = (run: Run, used: readonly string[]) =>
  run.views.filter((v) => used.includes(v.name))

/** How each format is answered: JSON written whole, then streamed; every file format streamed. */
export function createQueryAnswers(deps: {
  limits: QueryLimits
  /** This process's answer directory. */
  copies: string
  records: Pick<QueryRecords, 'run'>
  releases: Pick<AggregateReleases, 'record'>
  now: () => Date
  /** Runs work left once an answer is on its way, logging its failure. */
  inBackground: (work: Promise<unknown>, what: string) => void
}): Record<QueryFormat, WriteAnswer> {
  const { limits } = deps

  /**
   * A JSON answer: made whole by the worker (within its byte limit), sent back inline when small,
   * else written to a file in a directory of its own (the worker makes it), then streamed.
   */
  async function answerJson({ run, lease, answer, views, disclosure, sandbox }: AnswerInputs) {
    const used = views.map((v) => v.name)
    await mkdir(deps.copies, { recursive: true, mode: 0o700 })
    const directory = join(deps.copies, `json-${randomUUID()}`)
    const job = lease.run({
      sql: run.sql,
      views,
      format: 'json',
      answerPath: join(directory, 'answer'),
      timeoutMs: limits.timeoutMs,
      maxRows: limits.maxRows,
      maxJsonBytes: limits.maxJsonBytes,
      ...(disclosure ? { disclosure: disclosure.job } : {}),
      ...(sandbox ? { sandbox } : {}),
    })
    const result = await job.result.catch(async (error: unknown) => {
      await rm(directory, { recursive: true, force: true })
      throw error
    })
    // The slot is free while the run is recorded and read: the work is done.
    lease.release()
    // Kept before the answer leaves, so that the next answer is compared with it.
    if (disclosure && result.release)
      await deps.releases
        .record(
          result.release,
          {
            queryId: run.id,
            granteeId: run.user.id,
            datasetId: disclosure.dataset,
            seq: disclosure.seq,
          },
          deps.now(),
        )
        .catch(async (error: unknown) => {
          await rm(directory, { recursive: true, force: true })
          throw error
        })
    await deps.records.run(
      run,
      { status: 'succeeded', rows: result.rows, bytes: result.bytes },
      used,
    )
    return {
      id: run.id,
      contentType: 'application/json; charset=utf-8',
      rowLimit: limits.maxRows,
      fileName: queryFileName(
        usedViews(run, used).map((v) => v.entitlement.dataset.slug),
        deps.now(),
        'json',
      ),
      body: answer.body(
        jsonAnswerBody(
          result.inline ?? { file: join(directory, 'answer'), directory },
          { id: run.id, columns: result.columns },
          {
            rowCount: result.rows,
            truncated: result.truncated,
            views: used,
            notes: queryNotes(usedViews(run, used), result.filters ?? [], result.rows),
          },
        ),
        grantsOf(usedViews(run, used)),
      ),
    }
  }

  /** A file answer, streamed while the worker writes it; recorded when the body ends. */
  const answerFile =
    (format: FileFormat): WriteAnswer =>
    async ({ run, lease, answer, views }) => {
      const used = views.map((v) => v.name)
      const file = await streamAnswerFile(
        (answerPath) =>
          // Written, it holds no slot: the reader's pace is the open answer's business.
          answerWriter(
            lease.run({
              sql: run.sql,
              views,
              format,
              answerPath,
              timeoutMs: limits.timeoutMs,
              maxRows: limits.maxStreamRows,
              maxJsonBytes: limits.maxJsonBytes,
            }),
            () => lease.release(),
          ),
        { directory: deps.copies, maxBytes: limits.maxStreamBytes },
      )
      // Still cancellable while the worker writes what the client is already reading.
      deps.inBackground(
        file.done.then(async ({ rows, bytes, completed, error }) => {
          await deps.records.run(
            run,
            completed
              ? { status: 'succeeded', rows, bytes }
              : error !== undefined
                ? { ...outcomeOf(error), rows, bytes }
                : { status: 'cancelled', error: 'The client stopped reading', rows, bytes },
            used,
          )
        }),
        'recording a query answered as a file',
      )
      const datasets = usedViews(run, used).map((v) => v.entitlement.dataset.slug)
      return {
        id: run.id,
        contentType: FILE_FORMATS[format].media,
        rowLimit: limits.maxStreamRows,
        fileName: queryFileName(datasets, deps.now(), FILE_FORMATS[format].extension),
        body: answer.body(file.body, grantsOf(usedViews(run, used))),
      }
    }

  return {
    json: answerJson,
    csv: answerFile('csv'),
    ndjson: answerFile('ndjson'),
    arrow: answerFile('arrow'),
    parquet: answerFile('parquet'),
  }
}
