import { z } from 'zod'
import { ACCESS_SCOPES, type AccessRequest, type RequestEvent } from './access-request.js'
import { grantJson, toGrantJson } from './grant-json.js'
import { REQUEST_ACTIONS, type RequestAction } from './request-states.js'

/** The shapes the request routes answer with, as JSON (times are ISO 8601 strings). */

const time = z.iso.datetime().describe('ISO 8601 time')

const REQUEST_STATES = ['submitted', 'needs-info', 'approved', 'rejected', 'withdrawn'] as const
const requestState = z.enum(REQUEST_STATES)

/** A request's working-day clock (service-level.ts). */
const serviceLevelJson = z.strictObject({
  limit: z.number().int().describe('Working days the Blueprint allows: 7'),
  workingDays: z.number().int().describe('Working days on the clock so far, pauses excluded'),
  due: z.iso
    .date()
    .nullable()
    .describe(
      'The day the limit is reached if the clock keeps running; null when paused or stopped',
    ),
  status: z.enum(['on-track', 'due-soon', 'overdue', 'paused', 'met', 'missed', 'closed']),
  decisionWorkingDays: z
    .number()
    .int()
    .nullable()
    .describe('Working days from submission to approval or rejection; null until decided'),
  confirmed: z
    .boolean()
    .describe('False when a counted day falls in a year whose holidays are not yet confirmed'),
})

/** A request as lists show it, with the steps the caller may take now. */
export const requestJson = z.strictObject({
  id: z.string().describe('`r_` + 32 hex digits'),
  dataset: z.strictObject({
    id: z.string(),
    slug: z.string(),
    title: z.string(),
    agency: z.string(),
    security: z.string().describe('Security classification, e.g. `restricted`'),
    sensitivity: z.string().describe('e.g. `sensitive-normal`'),
  }),
  requester: z.strictObject({ id: z.string(), username: z.string(), agency: z.string() }),
  scope: z.enum(ACCESS_SCOPES),
  columns: z.array(z.string()).nullable().describe('null: every column'),
  purpose: z.string(),
  legalBasis: z.string(),
  durationDays: z.number().int(),
  project: z
    .strictObject({ name: z.string(), partnerAgencies: z.array(z.string()) })
    .nullable()
    .describe('null: no project named'),
  crossAgency: z.boolean(),
  state: requestState.describe('As stored; `status` is what a person sees'),
  status: z
    .enum(['submitted', 'needs-info', 'active', 'expired', 'revoked', 'rejected', 'withdrawn'])
    .describe("The state, with an approved request shown as its grant's state"),
  approvalsNeeded: z.number().int().describe('2 for Sensitive-High data, else 1'),
  approvals: z.array(z.strictObject({ steward: z.string(), at: time })),
  question: z.string().nullable().describe("The steward's open question, if any"),
  decisionReason: z.string().nullable(),
  submittedAt: time,
  decidedAt: time.nullable(),
  grant: grantJson.nullable().describe('null: not approved'),
  serviceLevel: serviceLevelJson,
  allowedActions: z
    .array(z.enum(REQUEST_ACTIONS))
    .describe('The steps the caller may take now, one `POST /api/requests/{id}/<action>` each'),
})
export type RequestJson = z.output<typeof requestJson>

/** One step of a request's history. */
const requestEventJson = z.strictObject({
  at: time,
  actor: z.string(),
  action: z.enum([...REQUEST_ACTIONS, 'submit', 'revoke']),
  from: requestState.nullable().describe('The state before; null for the submission'),
  to: requestState,
  details: z.record(z.string(), z.unknown()).describe('What the step said: question, reason…'),
})

/** A request with its history, oldest first. */
export const requestDetailJson = requestJson.extend({ history: z.array(requestEventJson) })
export type RequestDetailJson = z.output<typeof requestDetailJson>

/** A request as the API shows it, with the steps the caller may take now. */
export function toRequestJson(
  r: AccessRequest,
  allowedActions: readonly RequestAction[],
): RequestJson {
  return {
    id: r.id,
    dataset: r.dataset,
    requester: r.requester,
    scope: r.scope,
    columns: r.columns ?? null,
    purpose: r.purpose,
    legalBasis: r.legalBasis,
    durationDays: r.durationDays,
    project: r.project ?? null,
    crossAgency: r.crossAgency,
    state: r.state,
    status: r.status,
    approvalsNeeded: r.approvalsNeeded,
    approvals: r.approvals.map((a) => ({ steward: a.steward, at: a.at.toISOString() })),
    question: r.question ?? null,
    decisionReason: r.decisionReason ?? null,
    submittedAt: r.submittedAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
    grant: r.grant ? toGrantJson(r.grant) : null,
    serviceLevel: {
      ...r.serviceLevel,
      due: r.serviceLevel.due ?? null,
      decisionWorkingDays: r.serviceLevel.decisionWorkingDays ?? null,
    },
    allowedActions: [...allowedActions],
  }
}

const toEventJson = (e: RequestEvent): RequestDetailJson['history'][number] => ({
  at: e.at.toISOString(),
  actor: e.actor,
  action: e.action,
  from: e.from ?? null,
  to: e.to,
  details: e.details,
})

/** A request with its history. */
export function toRequestDetailJson(
  r: AccessRequest,
  allowedActions: readonly RequestAction[],
): RequestDetailJson {
  return { ...toRequestJson(r, allowedActions), history: r.history.map(toEventJson) }
}
