import { Hono } from 'hono'
import type { AuditLog } from '../audit/index.js'
import { InvalidInputError, NotFoundError } from '../core/index.js'
import { actorOf, assertCan, type RouteEnv, serve } from '../identity/index.js'
import { PORTAL_NAMESPACE } from '../lineage/index.js'
import { csvCell } from '../query-service/index.js'
import { breakdownAccess, type EntitlementsOf } from './breakdown-access.js'
import type { KpiEngine } from './compute-kpis.js'
import { KPI_FIRST_YEAR } from './compute-kpis.js'
import { countedRequests } from './counted-requests.js'
import { getKpi, listCountedRequests, listKpis, recomputeKpis } from './kpi-api.js'
import type { StoredComputation } from './kpi-computation.js'
import { KPI_DEFINITIONS, type KpiDefinition } from './kpi-definition.js'
import { KPI_HISTORY_DATASET } from './kpi-history-dataset.js'
import { periodsToNow } from './kpi-periods.js'
import type { KpiReads, StoredKpiValue } from './kpi-reads.js'
import { periodLabel } from './kpi-row.js'
import { STATUS_RULE } from './kpi-status.js'
import { endOfYear, isSharingKpi, yearOf } from './platform-kpis.js'
import { platformRecordNodeId } from './platform-records-lineage.js'
import { REGISTER_KPI_SQL } from './register-kpi-sql.js'

export interface KpiRouteDeps {
  reads: KpiReads
  engine: KpiEngine
  audit: Pick<AuditLog, 'append'>
  now: () => Date
  /** The caller's entitlements, which decide whether a KPI's breakdowns are shown. */
  entitlements: EntitlementsOf
}

/** What every answer says of a KPI: its definition, its trend, and every period up to `now`. */
function summary(
  definition: KpiDefinition,
  totals: StoredKpiValue[],
  computation: StoredComputation | undefined,
  now: Date,
) {
  const latest = totals.at(-1)
  return {
    number: definition.number,
    category: definition.category,
    wording: definition.wording,
    unit: definition.unit,
    targetText: definition.targetText,
    target: definition.target,
    direction: definition.direction,
    source: definition.source,
    period: definition.period,
    latest: latest
      ? {
          year: latest.year,
          period: periodLabel(latest.year, latest.quarter),
          value: latest.value,
          status: latest.status,
        }
      : null,
    trend: totals.map((v) => ({
      year: v.year,
      period: periodLabel(v.year, v.quarter),
      value: v.value,
      status: v.status,
    })),
    periods: periodsToNow(definition, totals, computation, now),
  }
}

/** Every KPI's whole-of-government values by period, as a spreadsheet. */
function kpiCsv(totals: (n: number) => StoredKpiValue[]): string {
  const lines = [
    'number,category,wording,period,value,unit,target,status,numerator,denominator',
    ...KPI_DEFINITIONS.flatMap((d) =>
      totals(d.number).map((v) =>
        [
          d.number,
          d.category,
          d.wording,
          periodLabel(v.year, v.quarter),
          Number(v.value.toFixed(4)),
          d.unit,
          d.targetText,
          v.status ?? '',
          v.numerator,
          v.denominator,
        ]
          // Text written as every CSV answer writes it; numbers are never formulas.
          .map((field) => (typeof field === 'string' ? csvCell(field) : String(field)))
          .join(','),
      ),
    ),
  ]
  return `${lines.join('\r\n')}\r\n`
}

/** Where a KPI's latest values come from: the computation, what it read, the SQL, the history. */
function provenanceOf(definition: KpiDefinition, computation: StoredComputation) {
  const inputs = computation.inputs.filter((i) => definition.datasets.includes(i.slug))
  return {
    computationId: computation.id,
    computedAt: computation.computedAt,
    trigger: computation.trigger,
    actor: computation.actor,
    inputs: inputs.map((i) => ({
      ...i,
      runId: i.runId ?? null,
      lineageNodeId: `dataset:${PORTAL_NAMESPACE}:${i.slug}`,
    })),
    platformRecords: definition.records
      ? { [definition.records]: computation.platformRecords[definition.records] ?? 0 }
      : null,
    sql: REGISTER_KPI_SQL[definition.number]?.trim() ?? null,
    // A platform KPI's lineage starts from the records it reads, not from the registers.
    lineageNodeId: definition.records
      ? platformRecordNodeId(definition.records)
      : `job:${PORTAL_NAMESPACE}:kpi.compute`,
    historyDataset: {
      slug: KPI_HISTORY_DATASET.slug,
      version: computation.historyVersion ?? null,
    },
  }
}

/** The KPI dashboard's routes, served from their declarations. */
export const kpiRoutes = (deps: KpiRouteDeps) =>
  new Hono<RouteEnv>()
    .route(
      '/',
      serve(listKpis, async (c) => {
        assertCan(c.get('ability'), 'read', 'Kpi')
        const computation = await deps.reads.latestComputation()
        // Served from the kept computation's totals, read once per computation.
        const values = computation ? await deps.reads.totals(computation.id) : []
        const totals = (n: number) => values.filter((v) => v.number === n)
        const now = deps.now()
        if (c.req.valid('query').format === 'csv')
          return c.body(kpiCsv(totals), 200, {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': 'attachment; filename="blueprint-kpis.csv"',
          })
        return c.json(
          {
            ok: true as const,
            data: {
              computedAt: computation?.computedAt ?? null,
              checkedAt: computation?.checkedAt ?? null,
              computationId: computation?.id ?? null,
              statusRule: STATUS_RULE,
              kpis: KPI_DEFINITIONS.map((d) => summary(d, totals(d.number), computation, now)),
            },
          },
          200,
        )
      }),
    )
    .route(
      '/',
      serve(recomputeKpis, async (c) => {
        assertCan(c.get('ability'), 'update', 'Kpi')
        const actor = actorOf(c.get('caller'))
        const computation = await deps.engine.compute({ kind: 'on demand', actor: actor.name })
        await deps.audit.append(
          {
            actor,
            action: 'kpi.recompute',
            outcome: 'succeeded',
            subject: { type: 'Kpi', id: computation.id },
            details: { historyVersion: computation.historyVersion ?? null },
            requestId: c.get('requestId'),
          },
          deps.now(),
        )
        return c.json(
          {
            ok: true as const,
            data: {
              computationId: computation.id,
              computedAt: computation.computedAt,
              historyVersion: computation.historyVersion ?? null,
            },
          },
          201,
        )
      }),
    )
    .route(
      '/',
      serve(getKpi, async (c) => {
        assertCan(c.get('ability'), 'read', 'Kpi')
        const { number } = c.req.valid('param')
        const definition = KPI_DEFINITIONS.find((d) => d.number === number)
        if (!definition) throw new NotFoundError(`No KPI ${number}`)
        const computation = await deps.reads.latestComputation()
        const values = computation ? await deps.reads.values(computation.id, number) : []
        const totals = values.filter((v) => v.by === '')
        const caller = c.get('caller')
        const access = await breakdownAccess(
          definition,
          caller && { user: caller.user, ability: c.get('ability') },
          deps.entitlements,
          deps.now(),
        )
        return c.json(
          {
            ok: true as const,
            data: {
              ...summary(definition, totals, computation, deps.now()),
              measurement: definition.measurement,
              groupTarget: definition.groupTarget ?? null,
              statusRule: STATUS_RULE,
              history: totals.map(({ by: _, group: __, number: ___, ...v }) => ({
                ...v,
                period: periodLabel(v.year, v.quarter),
              })),
              breakdowns: access.visible
                ? {
                    visible: true as const,
                    by: definition.breakdowns,
                    rows: values
                      .filter((v) => v.by !== '')
                      .map(({ number: _, ...v }) => ({
                        ...v,
                        period: periodLabel(v.year, v.quarter),
                      })),
                  }
                : { visible: false as const, by: definition.breakdowns, reason: access.reason },
              provenance: computation ? provenanceOf(definition, computation) : null,
            },
          },
          200,
        )
      }),
    )
    .route(
      '/',
      serve(listCountedRequests, async (c) => {
        assertCan(c.get('ability'), 'read', 'Kpi')
        const { number } = c.req.valid('param')
        if (!isSharingKpi(number))
          throw new NotFoundError(`KPI ${number} does not count access requests: KPIs 12 and 14 do`)
        const period = periodOf(number, c.req.valid('query').period)
        const now = deps.now()
        const records = await deps.reads.sharingRecords({
          from: new Date(`${KPI_FIRST_YEAR}-01-01T00:00:00+08:00`),
          to: endOfYear(yearOf(now)),
        })
        const counted = countedRequests(number, records, period, c.get('ability'))
        return c.json(
          {
            ok: true as const,
            data: {
              ...counted,
              requests: counted.requests.map((r) => ({
                ...r,
                submittedAt: r.submittedAt.toISOString(),
                decidedAt: r.decidedAt.toISOString(),
              })),
              notShownReason:
                counted.notShown > 0
                  ? 'Requests are listed to the officer who made them, to the stewards of the agency that owns the data, and to leaders, administrators and auditors; the others are counted only'
                  : null,
            },
          },
          200,
        )
      }),
    )

/** A period of KPI 12 (a year) or 14 (a quarter) as asked; undefined for every period. */
function periodOf(number: 12 | 14, asked: string | undefined) {
  if (asked === undefined) return undefined
  const [year, quarter] = asked.split(' Q').map(Number)
  if ((number === 14) !== (quarter !== undefined))
    throw new InvalidInputError(
      `period: KPI ${number} is measured by ${number === 14 ? 'quarter (e.g. 2026 Q3)' : 'year (e.g. 2026)'}`,
    )
  return { year: year as number, quarter: quarter ?? 0 }
}
