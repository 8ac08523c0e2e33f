import { gunzipSync } from 'node:zlib'
import { type Context, Hono } from 'hono'
import type { AuditLog } from '../audit/index.js'
import { type AuditEvent, ForbiddenError, InvalidInputError } from '../core/index.js'
import {
  type AppAbility,
  actorOf,
  asSubject,
  assertCan,
  type RouteEnv,
  serve,
} from '../identity/index.js'
import { contentEncodingOf, type RouteDef } from '../routing/index.js'
import type { LineageEvent } from './events.js'
import { ingestGroupCommit, ownershipFacts } from './ingest-group.js'
import { LINEAGE_INGEST_LIMITS, receiveBatch, receiveEvent } from './lineage-api.js'
import type { LineageStore } from './lineage-store.js'
import { eventSummary, refusalsOf } from './namespace-ownership.js'
import type { NamespaceRouteDeps } from './namespace-routes.js'
import type { EventValidator } from './validate-event.js'

/** What the ingest routes need: they check events against the namespace registry. */
export interface IngestRouteDeps extends NamespaceRouteDeps {
  store: LineageStore
  validator: EventValidator
  audit: Pick<AuditLog, 'append' | 'appendAll'>
}

const MAX_BATCH_EVENTS = LINEAGE_INGEST_LIMITS.batchEvents
/** At most this many single events share a transaction (more wait for the next). */
const GROUP_EVENTS = 500

/**
 * The body as JSON, gunzipped when the client says it is (OpenLineage clients may compress), and
 * its size in bytes as JSON.
 */
async function jsonBody(c: Context<RouteEnv>): Promise<{ body: unknown; bytes: number }> {
  const raw = new Uint8Array(await c.req.arrayBuffer())
  const encoding = contentEncodingOf(c.req.header('content-encoding'))
  if (!encoding)
    throw new InvalidInputError('Send the body plain or compressed with gzip (Content-Encoding)')
  let bytes: Uint8Array = raw
  if (encoding === 'gzip') {
    try {
      bytes = gunzipSync(raw, { maxOutputLength: LINEAGE_INGEST_LIMITS.batchBytes })
    } catch {
      throw new InvalidInputError(
        `The body is not gzip, or is over ${LINEAGE_INGEST_LIMITS.batchBytes / 1_000_000} MB decompressed`,
      )
    }
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new InvalidInputError('The body is not UTF-8: send the event as UTF-8 JSON')
  }
  try {
    return { body: JSON.parse(text), bytes: bytes.length }
  } catch {
    throw new InvalidInputError('The body is not JSON: send one OpenLineage event as a JSON object')
  }
}

/**
 * The events of a request the caller may not send (see {@link refusalsOf}): every namespace they
 * write must be registered to the caller's agency, no run may be moved to another job, and an
 * input in the platform's namespaces must be a dataset it published. Three queries for the whole
 * request, whatever its size.
 */
async function refusedEvents(
  deps: IngestRouteDeps,
  ability: AppAbility,
  events: readonly LineageEvent[],
) {
  const { owners, runJobs, known } = await ownershipFacts(deps, events)
  return refusalsOf(events, owners, runJobs, mayWriteAs(ability), known)
}

/** Whether the caller may write an agency's namespaces, asked once per agency of a request. */
function mayWriteAs(ability: AppAbility) {
  const answers = new Map<string, boolean>()
  return (agency: string) => {
    let may = answers.get(agency)
    if (may === undefined) {
      may = ability.can('update', asSubject('LineageNamespace', { agency }))
      answers.set(agency, may)
    }
    return may
  }
}

/**
 * The ingest routes read their body themselves (gzip, and the OpenLineage validator names each
 * violation better than the loose schema could): their declared body documents it, unchecked.
 */
const bodyReadByHandler = <R extends RouteDef>(route: R) =>
  ({ ...route, request: {} }) as Omit<R, 'request'> & { request: { body?: undefined } }

/** The audit entry of an accepted event, appended in the transaction that stores it. */
function auditEvent(c: Context<RouteEnv>, event: LineageEvent, stored: boolean): AuditEvent {
  const summary = eventSummary(event)
  return {
    actor: actorOf(c.get('caller')),
    action: 'lineage.event',
    outcome: 'succeeded',
    subject: {
      type: 'LineageEvent',
      id: summary.runId ?? `${summary.namespace}:${summary.job ?? summary.dataset}`,
    },
    details: { ...summary, stored },
    requestId: c.get('requestId'),
  }
}

/** OpenLineage's HTTP transport: one event, or a batch of them. */
export const ingestRoutes = (deps: IngestRouteDeps) => {
  // Events posted one by one at the same time are stored together (see ingestGroupCommit).
  const single = ingestGroupCommit(deps, {
    maxItems: GROUP_EVENTS,
    maxBytes: LINEAGE_INGEST_LIMITS.batchBytes,
  })
  return new Hono<RouteEnv>()
    .route(
      '/',
      serve(bodyReadByHandler(receiveEvent), async (c) => {
        assertCan(c.get('ability'), 'create', 'LineageEvent')
        const { body, bytes } = await jsonBody(c)
        const check = deps.validator.check(body)
        // An event without errors always has a kind; the test narrows its type.
        if (check.errors.length > 0 || !check.kind)
          throw new InvalidInputError(
            `Not a valid OpenLineage event: ${check.errors.slice(0, 10).join('; ')}${check.errors.length > 10 ? ` (and ${check.errors.length - 10} more)` : ''}`,
          )
        const event = body as LineageEvent
        // A refusal is a ForbiddenError of this event alone: it reaches the audit trail as
        // denied, with its message, through the error handler.
        const { stored } = await single.submit({
          event,
          bytes,
          warnings: check.warnings,
          mayWrite: mayWriteAs(c.get('ability')),
          audit: (stored) => auditEvent(c, event, stored),
        })
        return c.json(
          { ok: true as const, data: { kind: check.kind, stored, warnings: check.warnings } },
          201,
        )
      }),
    )
    .route(
      '/',
      serve(bodyReadByHandler(receiveBatch), async (c) => {
        assertCan(c.get('ability'), 'create', 'LineageEvent')
        const { body } = await jsonBody(c)
        if (!Array.isArray(body))
          throw new InvalidInputError('The body must be a JSON array of OpenLineage events')
        if (body.length > MAX_BATCH_EVENTS)
          throw new InvalidInputError(
            `At most ${MAX_BATCH_EVENTS} events per batch; this one has ${body.length}`,
          )
        // Invalid events fail one by one; an event the caller may not send refuses the whole
        // batch (403, nothing stored), as a caller who may not send events at all is refused.
        const checks = body.map((event) => deps.validator.check(event))
        const valid = body.flatMap((event, index) => {
          const check = checks[index]
          return check && check.errors.length === 0
            ? [{ index, event: event as LineageEvent, warnings: check.warnings }]
            : []
        })
        const refused = await refusedEvents(
          deps,
          c.get('ability'),
          valid.map((v) => v.event),
        )
        const first = refused[0]
        if (first)
          throw new ForbiddenError(
            `Event ${valid[first.index]?.index} of the batch: ${first.message}. Nothing of the batch was stored${refused.length > 1 ? ` (${refused.length} of its events are refused)` : ''}`,
          )
        const failed = checks.flatMap((check, index) =>
          check.errors.length > 0
            ? [{ index, reason: check.errors.slice(0, 5).join('; '), retriable: false }]
            : [],
        )
        // One transaction for the batch's events and their audit entries (one each): the chain
        // of the audit trail is locked once per batch, not once per event.
        await deps.store.recordAll(valid, {
          within: (trx, results) =>
            deps.audit.appendAll(
              valid.map(({ event }, i) => auditEvent(c, event, results[i]?.stored ?? false)),
              deps.now(),
              trx,
            ),
        })
        const successful = valid.length
        // The shape the OpenLineage batch contract gives (spec PR #4109).
        return c.json(
          {
            status: failed.length === 0 ? ('success' as const) : ('partial_success' as const),
            summary: {
              received: body.length,
              successful,
              failed: failed.length,
              retriable: 0,
              non_retriable: failed.length,
            },
            ...(failed.length > 0 ? { failed_events: failed } : {}),
          },
          200,
        )
      }),
    )
}
