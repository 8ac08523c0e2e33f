import type { Kysely } from 'kysely'
import { type AccessTables, type SharingRecord, sharingRecords } from '../access/index.js'
import type { StoredComputation } from './kpi-computation.js'
import type { KpiTables } from './kpi-tables.js'
import { readValues, type StoredKpiValue } from './kpi-values-read.js'

export type { StoredKpiValue } from './kpi-values-read.js'

/** How many computations' values are kept in memory: the newest, and the one it replaced. */
const COMPUTATIONS_KEPT = 2

/** A computation's values as the routes serve them: the totals, and every value by KPI. */
interface KeptValues {
  /** The whole-of-government values of every KPI, by KPI, year and quarter. */
  totals: readonly StoredKpiValue[]
  /** Every value of each KPI (totals and breakdowns), by year, quarter and breakdown. */
  byNumber: ReadonlyMap<number, readonly StoredKpiValue[]>
}

/**
 * Reads of kept KPI computations: the newest, and its values; and the sharing records behind the
 * sharing KPIs. A computation's values never change once kept, so each computation's values are
 * read once (one query) and served from memory after that: which computation is the newest is
 * still asked on every request, so a computation kept by another replica is seen at once. The
 * values are the same for every caller; what a caller may see of them is decided per request.
 */
export function createKpiReads(db: Kysely<KpiTables & AccessTables>) {
  const kept = new Map<string, Promise<KeptValues>>()

  function keptValues(computationId: string): Promise<KeptValues> {
    const known = kept.get(computationId)
    if (known !== undefined) return known
    const read = readValues(db, computationId).then(indexValues)
    kept.set(computationId, read)
    // A failed read is not remembered; old computations' values are let go.
    read.catch(() => kept.delete(computationId))
    for (const id of [...kept.keys()].slice(0, -COMPUTATIONS_KEPT)) kept.delete(id)
    return read
  }

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

    /** The whole-of-government values of a computation, every KPI, read once per computation. */
    async totals(computationId: string): Promise<readonly StoredKpiValue[]> {
      return (await keptValues(computationId)).totals
    },

    /** A computation's values of one KPI, by year and breakdown, read once per computation. */
    async values(computationId: string, number: number): Promise<readonly StoredKpiValue[]> {
      return (await keptValues(computationId)).byNumber.get(number) ?? []
    },

    /** The requests decided in [from, to), as the sharing KPIs read them. */
    sharingRecords(range: { from: Date; to: Date }): Promise<SharingRecord[]> {
      return sharingRecords(db, range)
    },
  }
}

export type KpiReads = ReturnType<typeof createKpiReads>

function indexValues(values: StoredKpiValue[]): KeptValues {
  const byNumber = new Map<number, StoredKpiValue[]>()
  for (const v of values) {
    const of = byNumber.get(v.number)
    if (of) of.push(Object.freeze(v))
    else byNumber.set(v.number, [Object.freeze(v)])
  }
  return { totals: values.filter((v) => v.by === ''), byNumber }
}
