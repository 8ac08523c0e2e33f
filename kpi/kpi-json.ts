import { z } from 'zod'

/** The shapes the KPI API answers with, as JSON (times are ISO 8601 strings). */

const time = z.iso.datetime().describe('ISO 8601 time')

const target = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('band'), low: z.number(), high: z.number() }),
  z.strictObject({ kind: z.literal('at-least'), value: z.number() }),
  z.strictObject({ kind: z.literal('at-most'), value: z.number() }),
])

const status = z.string().describe('met, on track, at risk or missed (KPI_STATUSES)')

/** A value of a period, for the whole of government. */
const trendPoint = z.strictObject({
  year: z.number().int(),
  period: z.string().describe('`2025`, or `2025 Q3` for a quarterly KPI'),
  value: z.number(),
  status: status.nullable(),
})

/** A period up to the present: its value, or a null value and the reason there is none. */
const periodJson = z.strictObject({
  year: z.number().int(),
  quarter: z.number().int().describe('1–4 for a quarterly KPI; 0 for a whole year'),
  period: z.string().describe('`2025`, or `2025 Q3` for a quarterly KPI'),
  value: z.number().nullable().describe('null: no value for the period (see `reason`)'),
  status: status.nullable(),
  reason: z
    .string()
    .nullable()
    .describe(
      'Why the value is missing (e.g. "No cross-agency request was approved in 2026 Q3"), or that the period is still running ("Quarter in progress: value so far"); null for an ended period with its value',
    ),
})

/** What every answer says of a KPI: its definition and its whole-of-government trend. */
export const kpiSummaryJson = z.strictObject({
  number: z.number().int().min(1).max(15),
  category: z.string(),
  wording: z.string(),
  unit: z.enum(['percent', 'count', 'working-days']),
  targetText: z.string(),
  target,
  direction: z.enum(['up', 'down']),
  source: z.enum(['platform', 'trusted-centre']),
  period: z.enum(['year', 'quarter']),
  latest: trendPoint.nullable(),
  trend: z.array(trendPoint).describe('The values measured, period by period'),
  periods: z
    .array(periodJson)
    .describe(
      'Every period from the first value to the current one (Singapore time), each with its value or the reason there is none',
    ),
})

export const kpiListJson = z.strictObject({
  computedAt: time.nullable(),
  checkedAt: time.nullable().describe('When a recomputation last found the same values'),
  computationId: z.string().nullable(),
  statusRule: z.string(),
  kpis: z.array(kpiSummaryJson),
})

/** One computed value: a period, for the whole of government or one group. */
const valueJson = z.strictObject({
  year: z.number().int(),
  quarter: z.number().int().describe('1–4 for a quarterly KPI; 0 for a whole year'),
  period: z.string(),
  value: z.number(),
  numerator: z.number(),
  denominator: z.number(),
  target: target.nullable(),
  status: status.nullable().describe('null: no target for this breakdown'),
  closed: z.boolean().describe('Whether the period has ended'),
})

const breakdownBy = z.array(z.enum(['ministry-family', 'agency']))

const inputJson = z.strictObject({
  slug: z.string(),
  datasetId: z.string(),
  title: z.string(),
  version: z.number().int(),
  contentSha256: z.string(),
  runId: z
    .string()
    .nullable()
    .describe('The Trusted Centre run that published the version; null when no run did'),
  publishedAt: z.string(),
  lineageNodeId: z.string(),
})

export const kpiDetailJson = kpiSummaryJson.extend({
  measurement: z.string(),
  groupTarget: target.nullable(),
  statusRule: z.string(),
  history: z.array(valueJson),
  breakdowns: z.discriminatedUnion('visible', [
    z.strictObject({
      visible: z.literal(true),
      by: breakdownBy,
      rows: z.array(
        valueJson.extend({
          by: z.enum(['', 'ministry-family', 'agency']),
          group: z.string().describe('The Ministry family or agency'),
        }),
      ),
    }),
    z.strictObject({
      visible: z.literal(false),
      by: breakdownBy,
      reason: z.string().describe('Why the breakdowns are withheld, in words an officer reads'),
    }),
  ]),
  provenance: z
    .strictObject({
      computationId: z.string(),
      computedAt: time,
      trigger: z.string(),
      actor: z.string(),
      inputs: z.array(inputJson),
      platformRecords: z.record(z.string(), z.number()).nullable(),
      sql: z
        .string()
        .nullable()
        .describe('The SQL over the register dataset, for KPIs computed from one'),
      lineageNodeId: z.string(),
      historyDataset: z.strictObject({ slug: z.string(), version: z.number().int().nullable() }),
    })
    .nullable(),
})

/** A request a sharing KPI counts. */
const countedRequestJson = z.strictObject({
  id: z.string(),
  period: z.string().describe('The period the KPI counts it in'),
  dataset: z.strictObject({ slug: z.string(), title: z.string() }),
  requesterAgency: z.string(),
  owningAgency: z.string(),
  project: z
    .string()
    .nullable()
    .describe('The project named in the request; null if none, or if the caller may not open it'),
  submittedAt: time,
  decidedAt: time,
  grantWorkingDays: z
    .number()
    .nullable()
    .describe('Working days from submission to grant; null when not known'),
  canOpen: z
    .boolean()
    .describe(
      'Whether the caller may open the request (`/api/requests/{id}`); if not, listed only',
    ),
})

export const countedRequestsJson = z.strictObject({
  number: z.number().int(),
  period: z.string().nullable().describe('null: every period'),
  counted: z.number().int().describe('Every request the KPI counts, shown or not'),
  requests: z
    .array(countedRequestJson)
    .describe(
      'Newest first: every one for those who may read sharing statistics (leaders, administrators, auditors), otherwise those the caller may open',
    ),
  notShown: z.number().int().describe('Counted requests the caller may not see listed'),
  notShownReason: z
    .string()
    .nullable()
    .describe('Why some are counted only, in words an officer reads; null when all are shown'),
})

export const kpiComputationJson = z.strictObject({
  computationId: z.string(),
  computedAt: time,
  historyVersion: z.number().int().nullable(),
})
