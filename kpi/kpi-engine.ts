import { randomUUID } from 'node:crypto'
import { resolve } from 'node:path'
import type { Kysely } from 'kysely'
import { type AccessTables, coreFieldAvailability, sharingRecords } from '../access/index.js'
import { currentVersionFiles, type DatasetStore } from '../catalog/index.js'
import type { DuckDBInstance, Logger } from '../core/index.js'
import { observeRun, PORTAL_NAMESPACE, type RunObserver } from '../lineage/index.js'
import { computeKpis, KPI_FIRST_YEAR, kpiYears } from './compute-kpis.js'
import type { KpiComputation, KpiEngine, KpiInput, KpiTrigger } from './kpi-computation.js'
import { createKpiComputationStore } from './kpi-computation-store.js'
import { KPI_DEFINITIONS } from './kpi-definition.js'
import { KPI_HISTORY_DATASET } from './kpi-history-dataset.js'
import type { KpiTables } from './kpi-tables.js'
import { endOfYear, yearOf } from './platform-kpis.js'
import { platformRecordDatasets } from './platform-records-lineage.js'
import { publishKpiHistory } from './publish-kpi-history.js'
import { readRegisterKpiRows } from './register-kpi-rows.js'

export interface KpiEngineDeps {
  db: Kysely<KpiTables & AccessTables>
  catalog: DatasetStore
  duckdb: DuckDBInstance
  /** Published files are under it; the KPI history dataset is written there too. */
  dataDir: string
  log: Logger
  now: () => Date
  /** Where the computation's OpenLineage events go (the lineage emitter on a server). */
  lineage?: RunObserver
}

/**
 * Computes all 15 KPIs for every year from KPI_FIRST_YEAR to now: the register KPIs by their SQL
 * over the current versions of their catalogue datasets (read by DuckDB, as any reader would),
 * the platform KPIs from the access workflow and the catalogue; records each value with its
 * target and status, and the computation with the exact versions it read; publishes the totals
 * as the KPI history dataset; reports the run to lineage. One at a time per process. The
 * platform KPIs alone can be measured again (after a decision on an access request) without
 * reading any dataset: the register KPIs' rows are those of the latest computation.
 */
export function createKpiEngine(deps: KpiEngineDeps): KpiEngine {
  const store = createKpiComputationStore(deps.db)
  let running: Promise<unknown> = Promise.resolve()

  async function compute(trigger: KpiTrigger): Promise<KpiComputation> {
    const id = `kpi_${randomUUID()}`
    const now = deps.now()
    const slugs = [...new Set(KPI_DEFINITIONS.flatMap((d) => d.datasets))]
    const files = await currentVersionFiles(deps.db, slugs)
    const inputs: KpiInput[] = files.map((f) => ({
      slug: f.slug,
      datasetId: f.datasetId,
      title: f.title,
      version: f.version,
      contentSha256: f.contentSha256,
      runId: f.runId,
      publishedAt: f.publishedAt.toISOString(),
    }))
    // This computation as a lineage run: it reads the KPI datasets and the platform's records,
    // and may write the history.
    const run = {
      runId: id,
      job: { name: 'kpi.compute', type: 'KPI' },
      startedAt: now,
      inputs: [
        ...inputs.map((i) => ({ namespace: PORTAL_NAMESPACE, name: i.slug })),
        ...platformRecordDatasets(),
      ],
    }
    return observeRun(deps.lineage, run, deps.now, async () => {
      const paths = new Map(files.map((f) => [f.slug, resolve(deps.dataDir, f.path)]))
      const rows = await readRegisterKpiRows(deps.duckdb, paths, kpiYears(now), KPI_DEFINITIONS)
      const computed = computeKpis(
        { datasets: inputs, rows },
        await platformRecords(now),
        KPI_DEFINITIONS,
        now,
      )
      return kept(await keep(id, trigger, inputs, computed, now))
    })
  }

  /** The platform KPIs measured again; the register KPIs' rows as the latest computation kept them. */
  async function computePlatform(trigger: KpiTrigger): Promise<KpiComputation> {
    const latest = await store.latest()
    if (!latest) return compute(trigger)
    const id = `kpi_${randomUUID()}`
    const now = deps.now()
    const run = {
      runId: id,
      job: { name: 'kpi.compute.platform', type: 'KPI' },
      startedAt: now,
      inputs: platformRecordDatasets(),
    }
    return observeRun(deps.lineage, run, deps.now, async () => {
      const register = KPI_DEFINITIONS.filter((d) => d.source !== 'platform').map((d) => d.number)
      const rows = await store.rowsOf(latest.id, register)
      const computed = computeKpis(
        { datasets: latest.inputs, rows },
        await platformRecords(now),
        KPI_DEFINITIONS,
        now,
      )
      return kept(await keep(id, trigger, latest.inputs, computed, now))
    })
  }

  /** A kept computation as its lineage run ends: it wrote the history if it published a version. */
  const kept = (k: { computation: KpiComputation; published: boolean }) => ({
    result: k.computation,
    outputs: k.published ? [{ namespace: PORTAL_NAMESPACE, name: KPI_HISTORY_DATASET.slug }] : [],
  })

  /** The platform's own records the platform KPIs read, up to the end of the current year. */
  async function platformRecords(now: Date) {
    return {
      sharingRecords: await sharingRecords(deps.db, {
        from: new Date(`${KPI_FIRST_YEAR}-01-01T00:00:00+08:00`),
        to: endOfYear(yearOf(now)),
      }),
      coreFields: await coreFieldAvailability(deps.db),
    }
  }

  /**
   * Keeps the values and publishes the history, unless the same inputs gave the same values:
   * then the kept computation stands, checked again now.
   */
  async function keep(
    id: string,
    trigger: KpiTrigger,
    inputs: KpiInput[],
    computed: ReturnType<typeof computeKpis>,
    now: Date,
  ): Promise<{ computation: KpiComputation; published: boolean }> {
    const { platformRecords, contentSha256 } = computed
    const ran = {
      trigger: trigger.kind,
      actor: trigger.actor,
      inputs,
      platformRecords,
      values: computed.measured,
    }
    const latest = await store.latest()
    if (latest?.contentSha256 === contentSha256) {
      await store.markChecked(latest.id, now)
      deps.log.info({ computation: latest.id, trigger: trigger.kind }, 'KPIs unchanged')
      const { computedAt, historyVersion } = latest
      return {
        computation: { id: latest.id, computedAt, historyVersion, ...ran },
        published: false,
      }
    }
    await store.keep(
      { id, computedAt: now, trigger, inputs, platformRecords, contentSha256 },
      computed.values,
    )
    // The history is published after the values are kept: a failure here leaves the values
    // readable, and the next computation publishes again.
    const publication = await publishKpiHistory(deps, id, computed.history)
    await store.setHistoryVersion(id, publication.version)
    deps.log.info(
      {
        computation: id,
        trigger: trigger.kind,
        values: computed.values.length,
        historyVersion: publication.version,
      },
      'KPIs computed',
    )
    const computation = { id, computedAt: now, historyVersion: publication.version, ...ran }
    return { computation, published: publication.created }
  }

  /** One computation at a time: each waits for the one before it, failed or not. */
  function queued(work: () => Promise<KpiComputation>): Promise<KpiComputation> {
    const next = running.then(work, work)
    running = next.catch(() => undefined)
    return next
  }

  return {
    compute: (trigger) => queued(() => compute(trigger)),
    computePlatform: (trigger) => queued(() => computePlatform(trigger)),
  }
}
