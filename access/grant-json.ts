import { z } from 'zod'
import { ACCESS_SCOPES, type Grant } from './access-request.js'

/** The shapes the grant routes answer with, as JSON (times are ISO 8601 strings). */

const time = z.iso.datetime().describe('ISO 8601 time')

const value = z.union([z.string(), z.number()])

/** A condition rows must meet to be shared, as approved. */
export const rowConditionJson = z.discriminatedUnion('op', [
  z.strictObject({
    column: z.string(),
    op: z.enum(['eq', 'ne', 'lt', 'lte', 'gt', 'gte']),
    value,
  }),
  z.strictObject({ column: z.string(), op: z.literal('in'), values: z.array(value) }),
])

/** A grant: who holds access to which dataset, on what terms, why and until when. */
export const grantJson = z.strictObject({
  id: z.string().describe('`g_` + 32 hex digits'),
  requestId: z.string().describe('The request it was granted on'),
  dataset: z.strictObject({
    id: z.string(),
    slug: z.string(),
    title: z.string(),
    agency: z.string(),
  }),
  grantee: z.strictObject({ id: z.string(), username: z.string(), agency: z.string() }),
  scope: z.enum(ACCESS_SCOPES),
  columns: z.array(z.string()).nullable().describe('null: every column'),
  rowFilter: z.array(rowConditionJson).describe('Every condition must hold'),
  inClear: z.array(z.string()).describe('Direct identifiers shared in clear; all others masked'),
  grantedAt: time,
  grantedBy: z.array(z.string()).describe('The approving stewards'),
  expiresAt: time,
  status: z.enum(['active', 'expired', 'revoked']),
  revoked: z
    .strictObject({ at: time, by: z.string(), reason: z.string() })
    .nullable()
    .describe('null: not revoked'),
  purpose: z.string().describe('Purpose of the request behind it: why this person holds access'),
  usage: z
    .strictObject({
      queries: z.number().int().describe('Queries that answered, run by the grantee under it'),
      downloads: z.number().int().describe('Files the grantee downloaded under it, read whole'),
      lastUsedAt: time.nullable().describe('null: never used'),
    })
    .describe('What the grantee did with the grant'),
})
export type GrantJson = z.output<typeof grantJson>

export function toGrantJson(g: Grant): GrantJson {
  return {
    id: g.id,
    requestId: g.requestId,
    dataset: g.dataset,
    grantee: g.grantee,
    scope: g.scope,
    columns: g.columns ?? null,
    rowFilter: g.rowFilter,
    inClear: g.inClear,
    grantedAt: g.grantedAt.toISOString(),
    grantedBy: g.grantedBy,
    expiresAt: g.expiresAt.toISOString(),
    status: g.status,
    revoked: g.revoked
      ? { at: g.revoked.at.toISOString(), by: g.revoked.by, reason: g.revoked.reason }
      : null,
    purpose: g.purpose,
    usage: {
      queries: g.usage.queries,
      downloads: g.usage.downloads,
      lastUsedAt: g.usage.lastUsedAt?.toISOString() ?? null,
    },
  }
}
