import { randomUUID } from 'node:crypto'
import type { AuditLog } from '../audit/index.js'
import { NotFoundError } from '../core/index.js'
import { publicAbility, type User, type UserId } from '../identity/index.js'
import { type Extract, type ExtractEnd, openExtract } from './extract.js'
import { observeStream } from './observed-stream.js'
import type { OpenAnswers } from './open-answers.js'
import { BusyError } from './query-pool.js'
import type { ReadEntitlements } from './read-entitlements.js'

/** A published version of an Official (Open) dataset as a file, as anyone may ask for it. */
export interface OpenDataRequest {
  /** The dataset's slug (or its id). */
  dataset: string
  version: number
  format: 'parquet' | 'csv'
}

/** Who asked, as far as anyone can tell without a sign-in. */
export interface OpenDataCaller {
  /** The client address (server/client-address.ts); undefined for a request made in process. */
  address: string | undefined
  requestId: string | undefined
}

/**
 * The one "person" every download without a sign-in counts as in the query pool: together they
 * hold at most one person's share (QUERY_MAX_PER_USER slots, and the pool's fairness keeps more
 * free for others than they hold), so they cannot starve signed-in people however many addresses
 * they come from.
 */
export const OPEN_DATA_HOLDER = 'open-data'

/**
 * Answers on their way to anonymous clients at once, in this process, and from one address.
 * Reading a file out holds no slot of the pool (making a CSV does, within the share above), so
 * these bound open files and what stalled clients keep (each answer ended after 30 s of silence).
 */
const MAX_OPEN_DOWNLOADS = { total: 32, perAddress: 4 }

// Entitlements are asked for someone: this is no one (no grant is ever theirs, no user id looks
// like it), with only what anyone may discover, so all they hold is Official (Open) data.
const NOBODY: User = {
  id: OPEN_DATA_HOLDER as UserId,
  username: 'anonymous',
  displayName: 'Anyone',
  email: '',
  agency: { code: '', name: '', ministryFamily: '' },
  roles: [],
}

export interface OpenDataDeps {
  /** The public's entitlements, asked for the one dataset a download names. */
  entitlements: ReadEntitlements
  answers: OpenAnswers
  acquire: (holder: string) => Promise<() => void>
  /** What openExtract reads and converts with, as the signed-in extracts use them. */
  extracts: Omit<Parameters<typeof openExtract>[2], 'acquire' | 'recordEnd'>
  audit: Pick<AuditLog, 'append'>
  recordUse: (datasetId: string, kind: 'downloads') => Promise<void>
  inBackground: (work: Promise<unknown>, what: string) => void
  now: () => Date
}

/**
 * Published versions of Official (Open), Non-Sensitive datasets as Parquet (the published file
 * itself) or CSV (converted by a worker), for anyone, through the same extract machinery as
 * signed-in downloads. Anything else (another classification, a version not published, a
 * dataset that does not exist) is refused with one and the same 404, so nothing can be learnt
 * from it. Each download is audited as an anonymous one with the client address once it ends.
 */
export function createOpenDataDownloads(deps: OpenDataDeps) {
  let open = 0
  const byAddress = new Map<string, number>()
  /** Takes a place among the answers on their way; the returned function gives it back once. */
  const take = (address: string | undefined) => {
    const mine = address === undefined ? 0 : (byAddress.get(address) ?? 0)
    if (open >= MAX_OPEN_DOWNLOADS.total || mine >= MAX_OPEN_DOWNLOADS.perAddress) throw busy()
    open++
    if (address !== undefined) byAddress.set(address, mine + 1)
    let given = false
    return () => {
      if (given) return
      given = true
      open--
      const left = address === undefined ? 0 : (byAddress.get(address) ?? 1) - 1
      if (address !== undefined && left > 0) byAddress.set(address, left)
      else if (address !== undefined) byAddress.delete(address)
    }
  }

  return {
    async extract(request: OpenDataRequest, caller: OpenDataCaller): Promise<Extract> {
      // The dataset asked for alone: anyone may ask, so no answer reads the whole catalogue.
      const all = await deps.entitlements(NOBODY, publicAbility(), deps.now(), {
        dataset: request.dataset,
      })
      const entitlement = all.find(
        (e) =>
          e.basis === 'open-data' &&
          e.scope === 'full' &&
          (e.dataset.slug === request.dataset || e.dataset.id === request.dataset),
      )
      if (!entitlement?.files.some((f) => f.version === request.version))
        throw new NotFoundError(
          `No open data file '${request.dataset}/v${request.version}.${request.format}': Official (Open) datasets' published versions only`,
        )
      const giveBack = take(caller.address)
      // Each answer its own entry among the open answers: ended if its reader stalls.
      const answer = deps.answers.reserve(`${OPEN_DATA_HOLDER}:${randomUUID()}`)
      const wanted = { version: request.version, scope: 'full' as const, format: request.format }
      const extract = await openExtract(
        [entitlement],
        { dataset: entitlement.dataset.id, ...wanted },
        {
          ...deps.extracts,
          acquire: () =>
            deps.acquire(OPEN_DATA_HOLDER).catch((error: unknown) => {
              throw error instanceof BusyError ? busy(error.retryAfterSeconds) : error
            }),
          recordEnd: (end) =>
            deps.inBackground(recordDownload(request, caller, end, deps), 'recording a download'),
        },
      ).catch((error: unknown) => {
        answer.release()
        giveBack()
        throw error
      })
      return { ...extract, body: observeStream(answer.body(extract.body, []), giveBack) }
    },
  }
}

export type OpenDataDownloads = ReturnType<typeof createOpenDataDownloads>

const busy = (retryAfterSeconds = 2) =>
  new BusyError(
    'Too many downloads without a sign-in at once on this server: try again in a few seconds, or sign in',
    retryAfterSeconds,
  )

/** The audit entry of an anonymous download as it ended; a whole one counts towards popularity. */
async function recordDownload(
  request: OpenDataRequest,
  caller: OpenDataCaller,
  end: ExtractEnd,
  deps: Pick<OpenDataDeps, 'audit' | 'recordUse' | 'now'>,
) {
  if (end.completed) await deps.recordUse(end.dataset.id, 'downloads')
  await deps.audit.append(
    {
      actor: { name: 'anonymous' },
      action: 'dataset.download',
      outcome: end.completed ? 'succeeded' : 'failed',
      subject: { type: 'Dataset', id: end.dataset.id },
      details: {
        version: request.version,
        scope: 'full',
        basis: end.basis,
        format: request.format,
        signedIn: false,
        clientAddress: caller.address ?? null,
        rows: end.rows,
        bytes: end.bytes,
        ...(!end.completed && { error: end.error ?? 'The download stopped before the end' }),
      },
      ...(caller.requestId && { requestId: caller.requestId }),
    },
    deps.now(),
  )
}
