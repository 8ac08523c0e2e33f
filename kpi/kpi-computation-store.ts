import type { Kysely } from 'kysely'
import type { KpiValue } from './compute-kpis.js'
import type { KpiInput, KpiTrigger } from './kpi-computation.js'
import type { KpiRow } from './kpi-row.js'
import type { KpiTables } from './kpi-tables.js'
import { readValues } from './kpi-values-read.js'

const VALUES_PER_INSERT = 500

/** A computation to keep: who ran it and when, what it read, and the hash of what it found. */
export interface NewComputation {
  id: string
  computedAt: Date
  trigger: KpiTrigger
  inputs: readonly KpiInput[]
  platformRecords: Record<string, number>
  contentSha256: string
}

/** The kpi module's writes: computations and their values, and the newest one's content hash. */
export function createKpiComputationStore(db: Kysely<KpiTables>) {
  return {
    /** The newest computation, with the hash of its content. */
    async latest() {
      const row = await db
        .selectFrom('kpi_computations')
        .select(['id', 'computed_at', 'content_sha256', 'history_version', 'inputs'])
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst()
      return (
        row && {
          id: row.id,
          computedAt: row.computed_at,
          contentSha256: row.content_sha256,
          historyVersion: row.history_version ?? undefined,
          inputs: row.inputs,
        }
      )
    },

    /** The rows a computation kept of some KPIs (every period and breakdown), by KPI number. */
    async rowsOf(id: string, numbers: readonly number[]): Promise<Map<number, KpiRow[]>> {
      const byNumber = new Map<number, KpiRow[]>()
      for (const v of await readValues(db, id, numbers)) {
        const row: KpiRow = {
          year: v.year,
          quarter: v.quarter,
          by: v.by,
          group: v.group,
          value: v.value,
          numerator: v.numerator,
          denominator: v.denominator,
        }
        const kept = byNumber.get(v.number)
        if (kept) kept.push(row)
        else byNumber.set(v.number, [row])
      }
      return byNumber
    },

    /** Records that a recomputation at `at` found a kept computation's content again. */
    async markChecked(id: string, at: Date) {
      await db
        .updateTable('kpi_computations')
        .set({ checked_at: at })
        .where('id', '=', id)
        .execute()
    },

    /** Keeps a computation and all its values, together or not at all. */
    async keep(computation: NewComputation, values: readonly KpiValue[]) {
      const rows = values.map((v) => ({
        computation_id: computation.id,
        number: v.number,
        year: v.year,
        quarter: v.quarter,
        breakdown: v.by,
        member: v.group,
        value: v.value,
        numerator: v.numerator,
        denominator: v.denominator,
        target: v.target ? JSON.stringify(v.target) : null,
        status: v.status,
        closed: v.closed,
      }))
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('kpi_computations')
          .values({
            id: computation.id,
            computed_at: computation.computedAt,
            trigger: computation.trigger.kind,
            actor: computation.trigger.actor,
            inputs: JSON.stringify(computation.inputs),
            platform_records: JSON.stringify(computation.platformRecords),
            history_version: null,
            content_sha256: computation.contentSha256,
            checked_at: computation.computedAt,
          })
          .execute()
        for (let i = 0; i < rows.length; i += VALUES_PER_INSERT)
          await trx
            .insertInto('kpi_values')
            .values(rows.slice(i, i + VALUES_PER_INSERT))
            .execute()
      })
    },

    /** Records the version of the KPI history dataset a computation published. */
    async setHistoryVersion(id: string, version: number) {
      await db
        .updateTable('kpi_computations')
        .set({ history_version: version })
        .where('id', '=', id)
        .execute()
    },
  }
}
