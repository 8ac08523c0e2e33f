import type { Kysely } from 'kysely'
import { type AccessTables, type SharingRecord, sharingRecords } from '../access/index.js'
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

/** How many computations' totals are kept in memory: the newest, and the one it replaced. */
const TOTALS_KEPT = 2

/**
 * Reads of kept KPI computations: the newest, and its values; and the sharing records behind the
 * sharing KPIs. A computation's values never change once kept, so each computation's
 * whole-of-government values are read once and served from memory after that.
 */
export function createKpiReads(db: Kysely<KpiTables & AccessTables>) {
  const totals = new Map<string, Promise<StoredKpiValue[]>>()
  const reads = {
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

    /** The whole-of-government values of a computation, every KPI, read once per computation. */
    totals(computationId: string): Promise<StoredKpiValue[]> {
      const known = totals.get(computationId)
      if (known !== undefined) return known
      const read = reads.values(computationId, undefined, { wholeOfGovernment: true })
      totals.set(computationId, read)
      // A failed read is not remembered; old computations' totals are let go.
      read.catch(() => totals.delete(computationId))
      for (const id of [...totals.keys()].slice(0, -TOTALS_KEPT)) totals.delete(id)
      return read
    },

    /** A computation's values, of one KPI or all, by KPI, year and breakdown. */
    async values(
      computationId: string,
      number?: number,
      options: { wholeOfGovernment?: boolean } = {},
    ): Promise<StoredKpiValue[]> {
      let query = db
        .selectFrom('kpi_values')
        .selectAll()
        .where('computation_id', '=', computationId)
      if (number !== undefined) query = query.where('number', '=', number)
      if (options.wholeOfGovernment) query = query.where('breakdown', '=', '')
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

    /** The requests decided in [from, to), as the sharing KPIs read them. */
    sharingRecords(range: { from: Date; to: Date }): Promise<SharingRecord[]> {
      return sharingRecords(db, range)
    },
  }
  return reads
}

export type KpiReads = ReturnType<typeof createKpiReads>
