import { z } from 'zod'
import { defineModule, defineRoute, ok } from '../routing/index.js'
import { countedRequestsJson, kpiComputationJson, kpiDetailJson, kpiListJson } from './kpi-json.js'

export const kpiListQuery = z.strictObject({
  format: z
    .enum(['json', 'csv'], 'format: json or csv')
    .default('json')
    .describe('`csv` for a spreadsheet of every KPI by period'),
})

export const kpiNumberParam = z.strictObject({
  number: z.coerce
    .number('number: a KPI number from 1 to 15')
    .int('number: a KPI number from 1 to 15')
    .min(1, 'number: a KPI number from 1 to 15')
    .max(15, 'number: a KPI number from 1 to 15')
    .describe("The KPI's number in the Blueprint, 1 to 15."),
})

export const listKpis = defineRoute({
  method: 'get',
  path: '/',
  access: 'signed-in',
  summary: 'The 15 Blueprint KPIs with their latest values, targets and status',
  description:
    'Each KPI with its definition, latest value and status, and its whole-of-government trend by period. `?format=csv` gives every KPI by period as a spreadsheet (text cells neutralised against formulas).',
  request: { query: kpiListQuery },
  responses: {
    200: { description: 'The KPIs', json: ok(kpiListJson), media: ['text/csv'] },
  },
})

export const recomputeKpis = defineRoute({
  method: 'post',
  path: '/recompute',
  access: 'curator',
  summary: 'Recompute every KPI now from the current dataset versions and records',
  description:
    'Stewards and administrators. Audited as `kpi.recompute`. Nobody needs to ask otherwise: every KPI is recomputed after every Trusted Centre fusion run, and the KPIs the platform measures from its own records (12 to 14) after every decision on an access request.',
  responses: { 201: { description: 'Computed', json: ok(kpiComputationJson) } },
})

export const getKpi = defineRoute({
  method: 'get',
  path: '/:number',
  access: 'signed-in',
  summary: 'One KPI: history, breakdowns by Ministry family and agency, provenance',
  description:
    'Breakdowns follow the access rules of the data behind them: shown only to a caller who may read every dataset the KPI is computed from in full (sharing statistics: leaders, administrators, auditors); otherwise `breakdowns.visible` is false with the reason. Provenance names the computation, the dataset versions and records it read, and the SQL.',
  request: { params: kpiNumberParam },
  responses: { 200: { description: 'The KPI', json: ok(kpiDetailJson) }, 404: 'No such KPI' },
})

export const countedRequestsQuery = z.strictObject({
  period: z
    .string()
    .max(7, 'period: a year (2026) or a quarter (2026 Q3)')
    .regex(/^\d{4}( Q[1-4])?$/, 'period: a year (2026) or a quarter (2026 Q3)')
    .optional()
    .describe("One of the KPI's periods (`2026`, or `2026 Q3` for KPI 14); every period if absent"),
})

export const listCountedRequests = defineRoute({
  method: 'get',
  path: '/:number/requests',
  access: 'signed-in',
  summary: 'The access requests a sharing KPI (12 or 14) counts',
  description:
    "The approved cross-agency requests KPI 12 or 14 counts now, in one period or all, by the rule that measures the KPI. Listed where the caller may open the request (their own; their agency's for stewards; all for administrators and auditors, as `GET /api/requests` lists them); the others are counted only.",
  request: { params: kpiNumberParam, query: countedRequestsQuery },
  responses: {
    200: { description: 'The requests counted', json: ok(countedRequestsJson) },
    400: "A period that is not one of the KPI's",
    404: 'A KPI that does not count requests',
  },
})

/** The KPI dashboard's API, mounted under /api/kpis. */
export const KPI_API = defineModule('/kpis', 'KPIs', {
  listKpis,
  recomputeKpis,
  getKpi,
  listCountedRequests,
})
