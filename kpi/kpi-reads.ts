import type { Kysely } from 'kysely'
import type { StoredComputation } from './kpi-computation.js'
import type { KpiTarget } from './kpi-definition.js'
import type { KpiRow } from './kpi-row.js'
import type { KpiTables } from './kpi-tables.js'

export interface StoredKpiValue extends KpiRow {
  number: number
  target: KpiTarget | null
  /** null: no target for this breakdown. */
  status: string | null
  closed: boolean
}

/** Reads of kept KPI computations: the newest, and its values. */
export function createKpiReads(db: Kysely<KpiTables>) {
  return {
    async latestComputation(): Promise<StoredComputation | undefined> {
      const row = await db
        .selectFrom('kpi_computations')
        .selectAll()
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst()
      if (!row) return undefined
      return {
        id: row.id,
        computedAt: row.computed_at,
        trigger: row.trigger,
        actor: row.actor,
        inputs: row.inputs,
        platformRecords: row.platform_records,
        historyVersion: row.history_version ?? undefined,
        checkedAt: row.checked_at,
      }
    },

    /** A computation's values, of one KPI or all, by KPI, year and breakdown. */
    async values(computationId: string, number?: number): Promise<StoredKpiValue[]> {
      let query = db
        .selectFrom('kpi_values')
        .selectAll()
        .where('computation_id', '=', computationId)
      if (number !== undefined) query = query.where('number', '=', number)
      const rows = await query
        .orderBy('number')
        .orderBy('year')
        .orderBy('quarter')
        .orderBy('breakdown')
        .orderBy('member')
        .execute()
      return rows.map((r) => ({
        number: r.number,
        year: r.year,
        quarter: r.quarter,
        by: r.breakdown as StoredKpiValue['by'],
        group: r.member,
        value: r.value,
        numerator: r.numerator,
        denominator: r.denominator,
        target: r.target,
        status: r.status || null,
        closed: r.closed,
      }))
    },
  }
}

export type KpiReads = ReturnType<typeof createKpiReads>
