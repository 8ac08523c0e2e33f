import { z } from 'zod'
import { MAX_LISTED } from '../core/index.js'
import { defineModule, defineRoute, listPageQuery, ok } from '../routing/index.js'
import { MAX_ITEMS, MAX_LENGTH, pickedName } from '../text/index.js'
import { ACCESS_SCOPES } from './access-request.js'
import { entitlementJson } from './entitlement-json.js'
import { grantJson } from './grant-json.js'
import { requestDetailJson, requestJson } from './request-json.js'
import type { RequestAction } from './request-states.js'

const column = pickedName({ max: MAX_LENGTH.name })
const columnList = z.array(column).min(1).max(MAX_ITEMS.columns)
const text = (field: string, min: number, max: number, hint: string) =>
  z.string().trim().min(min, `${field}: ${hint}`).max(max)

export const requestBody = z.strictObject({
  dataset: z.string().min(1).max(MAX_LENGTH.slug).describe('The dataset slug or id'),
  scope: z
    .enum(ACCESS_SCOPES)
    .default('rows')
    .describe(
      'rows (the default): the data row by row; aggregates: only answers of aggregate queries that pass output checks',
    ),
  columns: columnList.optional().describe('Omit to ask for every column'),
  purpose: text(
    'purpose',
    20,
    MAX_LENGTH.justification,
    'say what the data is for, in at least 20 characters',
  ),
  legalBasis: text('legalBasis', 5, 500, 'name the law or agreement that allows the sharing'),
  durationDays: z.number().int().min(1).max(730),
  project: z
    .strictObject({
      // The project's name keys its pseudonyms (keys/pseudonyms.ts): one name, however typed.
      name: pickedName({ max: MAX_LENGTH.title, min: 3, tooShort: 'name the project' }),
      partnerAgencies: z
        .array(pickedName({ max: MAX_LENGTH.code, min: 2 }))
        .max(30)
        .optional(),
    })
    .optional(),
})

const filterValue = z.string().max(MAX_LENGTH.value)
const rowCondition = z.discriminatedUnion('op', [
  z.strictObject({
    column,
    op: z.enum(['eq', 'ne', 'lt', 'lte', 'gt', 'gte']),
    value: z.union([filterValue, z.number()]),
  }),
  z.strictObject({
    column,
    op: z.literal('in'),
    values: z
      .array(z.union([filterValue, z.number()]))
      .min(1)
      .max(1_000),
  }),
])

export const approveBody = z.strictObject({
  columns: columnList.optional().describe('A subset of the columns requested'),
  rowFilter: z.array(rowCondition).max(20).optional().describe('Every condition must hold'),
  inClear: columnList
    .optional()
    .describe('Direct identifiers to share in clear; every other one is masked in every output'),
  expiresAt: z.iso
    .datetime({ offset: true })
    .max(MAX_LENGTH.time)
    .optional()
    .describe('No later than the duration requested; by default the full duration'),
})
export const rejectBody = z.strictObject({
  reason: text('reason', 5, MAX_LENGTH.justification, 'say why the request is rejected'),
})
export const askInfoBody = z.strictObject({
  question: text('question', 5, MAX_LENGTH.justification, 'say what information is needed'),
})
export const resubmitBody = z.strictObject({
  answer: text('answer', 2, MAX_LENGTH.justification, "answer the steward's question"),
  changes: requestBody
    .pick({ columns: true, purpose: true, legalBasis: true, durationDays: true })
    .partial()
    .optional(),
})
export const amendBody = z.strictObject({
  changes: requestBody
    .pick({ purpose: true, legalBasis: true, durationDays: true })
    .extend({ columns: columnList.nullable().describe('null: every column') })
    .partial()
    .refine((c) => Object.values(c).some((v) => v !== undefined), {
      message: 'changes: say what changes (columns, purpose, legalBasis or durationDays)',
    }),
})
export const withdrawBody = z.strictObject({
  reason: z.string().trim().max(MAX_LENGTH.justification).optional(),
})
export const revokeBody = z.strictObject({
  reason: text('reason', 5, MAX_LENGTH.justification, 'say why access ends'),
})

export type ActionBody =
  | z.infer<typeof approveBody>
  | z.infer<typeof rejectBody>
  | z.infer<typeof askInfoBody>
  | z.infer<typeof resubmitBody>
  | z.infer<typeof amendBody>
  | z.infer<typeof withdrawBody>

const statuses = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .union([z.enum(values), z.array(z.enum(values)).max(MAX_ITEMS.queryValues)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))

const username = z.string().trim().min(1).max(MAX_LENGTH.id)
const agencyCode = z.string().trim().min(1).max(MAX_LENGTH.code)

export const requestListQuery = z.strictObject({
  status: statuses([
    'submitted',
    'needs-info',
    'active',
    'expired',
    'revoked',
    'rejected',
    'withdrawn',
    'awaiting-second-approval',
  ]).describe(
    'Repeat to match any of several. `awaiting-second-approval`: submitted, approved by a steward, waiting for another (Sensitive-High data needs two)',
  ),
  dataset: z.string().min(1).max(MAX_LENGTH.slug).optional(),
  mine: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .describe("Only the caller's own requests"),
  requester: username.optional().describe("Part of the requester's username, in any case"),
  agency: agencyCode.optional().describe('Only requests for datasets of this agency'),
  ...listPageQuery(MAX_LISTED),
})
export const grantListQuery = z.strictObject({
  status: statuses(['active', 'expired', 'revoked']),
  dataset: z.string().min(1).max(MAX_LENGTH.slug).optional(),
  grantee: username.optional().describe("Part of the grantee's username, in any case"),
  agency: agencyCode.optional().describe('Only grants on datasets of this agency'),
  expiringWithinDays: z.coerce
    .number()
    .int()
    .min(1)
    .max(730)
    .optional()
    .describe('Only grants in force that end within this many days, soonest first'),
  ...listPageQuery(MAX_LISTED),
})

// As long as any path part may be (server/bound-path.ts): an unknown id is a 404, not a 400.
export const requestIdParam = z.strictObject({
  id: z.string().max(MAX_LENGTH.url).describe("The request's id (`r_` + 32 hex digits)."),
})
export const grantIdParam = z.strictObject({
  id: z.string().max(MAX_LENGTH.url).describe("The grant's id (`g_` + 32 hex digits)."),
})

const NO_REQUEST = 'No such request, or the caller may not see it'
const STEP_CONFLICT = 'Not allowed in the current state; the message names the steps that are'

export const listRequests = defineRoute({
  method: 'get',
  path: '/',
  access: 'signed-in',
  summary: 'Access requests the caller may see: their own, and their agency queue for stewards',
  description:
    "Newest first, at most 1,000 a page (`limit`, `offset`). Stewards see every request on their agency's datasets, in any state; administrators see all. Each carries its working-day clock (`serviceLevel`: days on the clock, due day, on-track / due-soon / overdue / paused) and the steps the caller may take now (`allowedActions`).",
  request: { query: requestListQuery },
  responses: {
    200: { description: 'The requests, without their history', json: ok(z.array(requestJson)) },
  },
})

export const createRequest = defineRoute({
  method: 'post',
  path: '/',
  access: 'signed-in',
  summary: 'Request a dataset, all of it or some columns (answers 201)',
  description:
    'Official (Open) data needs no request (409). Sensitive-High data needs two approvals by different stewards.',
  request: { body: requestBody },
  responses: {
    201: { description: 'The request, submitted', json: ok(requestDetailJson) },
    404: 'No such dataset, or the caller may not discover it',
    409: 'Open data, or an open request for the same dataset exists (or aggregate-only access to it is held already)',
  },
})

export const getRequest = defineRoute({
  method: 'get',
  path: '/:id',
  access: 'signed-in',
  summary: 'One request with its history, approvals, grant and clock',
  request: { params: requestIdParam },
  responses: {
    200: { description: 'The request, with its history', json: ok(requestDetailJson) },
    404: NO_REQUEST,
  },
})

/** One step of the workflow: `POST /:id/<action>`, answering the request as it stands after it. */
const step = <const A extends RequestAction, const B extends z.ZodObject>(
  action: A,
  access: 'steward' | 'requester',
  summary: string,
  body: B,
  conflict = STEP_CONFLICT,
) =>
  defineRoute({
    method: 'post',
    path: `/:id/${action}`,
    access,
    summary,
    request: { params: requestIdParam, body },
    responses: {
      200: { description: 'The request, after the step', json: ok(requestDetailJson) },
      404: NO_REQUEST,
      409: conflict,
    },
  })

export const approveRequest = step(
  'approve',
  'steward',
  'Approve, optionally narrowing columns, rows and expiry',
  approveBody,
  `${STEP_CONFLICT}; or the caller has approved it already, or the approvals share no column`,
)
export const rejectRequest = step('reject', 'steward', 'Reject, saying why', rejectBody)
export const askInfoRequest = step(
  'ask-info',
  'steward',
  'Ask the requester for information (pauses the clock)',
  askInfoBody,
)
export const resubmitRequest = step(
  'resubmit',
  'requester',
  'Answer the question, optionally correcting the request',
  resubmitBody,
)
export const amendRequest = step(
  'amend',
  'requester',
  'Change a request while it waits; earlier approvals lapse, the clock runs on from submission',
  amendBody,
)
export const withdrawRequest = step('withdraw', 'requester', 'Withdraw the request', withdrawBody)

/** The data-sharing workflow, mounted under /api/requests. */
export const REQUESTS_API = defineModule('/requests', 'Data sharing', {
  listRequests,
  createRequest,
  getRequest,
  approveRequest,
  rejectRequest,
  askInfoRequest,
  resubmitRequest,
  amendRequest,
  withdrawRequest,
})

export const listGrants = defineRoute({
  method: 'get',
  path: '/',
  access: 'signed-in',
  summary: 'Who holds access and why: own grants, or those on the agency datasets for stewards',
  description:
    'Newest first (soonest to end first with `expiringWithinDays`), at most 1,000 a page (`limit`, `offset`). Each carries its row filter, end date and usage: queries and downloads by the grantee under it.',
  request: { query: grantListQuery },
  responses: { 200: { description: 'The grants, newest first', json: ok(z.array(grantJson)) } },
})

export const revokeGrant = defineRoute({
  method: 'post',
  path: '/:id/revoke',
  // Administrators revoke any grant too (identity/ability.ts; the matrix's admin row gets 409).
  access: 'curator',
  summary: 'Revoke a grant at once (stewards of the owning agency, administrators)',
  request: { params: grantIdParam, body: revokeBody },
  responses: {
    200: { description: 'The grant, revoked', json: ok(grantJson) },
    404: 'No such grant, or the caller may not see it',
    409: 'The grant has already expired or been revoked',
  },
})

/** Grants, mounted under /api/grants. */
export const GRANTS_API = defineModule('/grants', 'Data sharing', { listGrants, revokeGrant })

export const listEntitlements = defineRoute({
  method: 'get',
  path: '/',
  access: 'signed-in',
  summary: 'What the caller may read now: datasets, versions, scope, columns, rows, until when',
  responses: {
    200: { description: "The caller's entitlements", json: ok(z.array(entitlementJson)) },
  },
})

/** What the caller may read right now, mounted under /api/entitlements. */
export const ENTITLEMENTS_API = defineModule('/entitlements', 'Data sharing', {
  listEntitlements,
})
