import { z } from 'zod'
import type { Entitlement } from './entitlements.js'
import { rowConditionJson } from './grant-json.js'

/** What `GET /api/entitlements` answers with, as JSON (times are ISO 8601 strings). */
export const entitlementJson = z.strictObject({
  dataset: z.strictObject({
    id: z.string(),
    slug: z.string(),
    title: z.string(),
    agency: z.string(),
  }),
  scope: z
    .enum(['full', 'sample', 'aggregates'])
    .describe(
      '`full`: the published versions; `sample`: the de-identified sample of the latest version; `aggregates`: aggregate queries only',
    ),
  basis: z.enum(['open-data', 'grant', 'sample']),
  grantId: z.string().nullable().describe('The grant it comes from; null unless `basis` is grant'),
  // Where the files lie on the server is the platform's business, never a caller's.
  versions: z
    .array(z.number().int())
    .describe('The versions it covers, newest first (a sample: the latest version only)'),
  columns: z.array(z.string()).nullable().describe('null: every column'),
  rowFilter: z.array(rowConditionJson).describe('Every condition must hold'),
  inClear: z.array(z.string()).describe('Direct identifiers shown in clear; all others masked'),
  schema: z
    .array(z.strictObject({ name: z.string(), type: z.string(), personalData: z.string() }))
    .describe("The dataset's columns in order, with what they say about people"),
  expiresAt: z.iso.datetime().nullable().describe('ISO 8601 time; null: no end'),
  pseudonymScope: z
    .string()
    .describe('Whose key masks the identifiers: `project:…`, `grant:…` or `sample`'),
})
export type EntitlementJson = z.output<typeof entitlementJson>

export function toEntitlementJson(e: Entitlement): EntitlementJson {
  return {
    dataset: e.dataset,
    scope: e.scope,
    basis: e.basis,
    grantId: e.grantId ?? null,
    versions: e.files.map((f) => f.version),
    columns: e.columns ?? null,
    rowFilter: e.rowFilter,
    inClear: e.inClear,
    schema: e.schema,
    expiresAt: e.expiresAt?.toISOString() ?? null,
    pseudonymScope: e.pseudonymScope,
  }
}
