import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { currentVersionFiles } from '../catalog/index.js'
import { quoteLiteral, readRows, withConnection } from '../core/index.js'
import type { EmittedRunEvent } from '../lineage/index.js'
import { useTestPlatform } from '../testing/index.js'
import { dataLayout } from '../trusted-centre/index.js'
import type { KpiEngine } from './kpi-computation.js'
import { createKpiEngine } from './kpi-engine.js'
import { KPI_HISTORY_DATASET } from './kpi-history-dataset.js'
import type { KpiRow } from './kpi-row.js'
import { createPlatformKpiRefresh } from './platform-kpi-refresh.js'

const platform = useTestPlatform({ backend: 'pglite' })
const SLUG = KPI_HISTORY_DATASET.slug

/** An engine on the test platform whose lineage events are kept, computing at `now`. */
function engineAt(now: Date, dataDir = platform.runtime.dataDir) {
  const { db, catalog, duckdb, log } = platform.runtime
  const events: EmittedRunEvent[] = []
  const lineage = { record: async (event: EmittedRunEvent) => events.push(event) }
  const engine = createKpiEngine({ db, catalog, duckdb, dataDir, log, now: () => now, lineage })
  return { engine, events }
}

describe('the KPI computation as a run', () => {
  it('publishes the history where every dataset version lives, whole, and says so to lineage', async () => {
    const { engine, events } = engineAt(new Date('2027-02-01T02:00:00Z'))
    const computation = await engine.compute({ kind: 'on demand', actor: 'admin' })

    const [history] = await currentVersionFiles(platform.runtime.db, [SLUG])
    expect(history?.version).toBe(computation.historyVersion)
    expect(history?.path).toBe(dataLayout.version(SLUG, computation.historyVersion ?? 0))
    // Nothing half-written is left beside the versions.
    const files = await readdir(join(platform.runtime.dataDir, 'tc', SLUG))
    expect(files.filter((f) => !/^v\d+\.parquet$/.test(f))).toEqual([])
    const [read] = await withConnection(
      () => platform.runtime.duckdb.connect(),
      (conn) =>
        readRows<{ kpis: bigint }>(
          conn,
          `SELECT count(DISTINCT number) AS kpis FROM read_parquet(${quoteLiteral(join(platform.runtime.dataDir, history?.path ?? ''))})`,
        ),
    )
    expect(Number(read?.kpis)).toBeGreaterThan(0)

    expect(events.map((e) => e.eventType)).toEqual(['START', 'COMPLETE'])
    expect(events[1]?.outputs.map((o) => o.name)).toEqual([SLUG])
    expect(events[0]?.inputs.map((i) => i.name)).toEqual([
      ...computation.inputs.map((i) => i.slug),
      'sharing-records',
      'core-data-fields',
    ])
  })

  it('ends with FAIL, keeping no computation, when an input cannot be read', async () => {
    const before = await platform.runtime.kpi.reads.latestComputation()
    const emptyDir = await mkdtemp(join(tmpdir(), 'kpi-no-files-'))
    try {
      const { engine, events } = engineAt(new Date('2027-03-01T02:00:00Z'), emptyDir)
      await expect(engine.compute({ kind: 'on demand', actor: 'admin' })).rejects.toThrow()
      expect(events.map((e) => e.eventType)).toEqual(['START', 'FAIL'])
      expect(events[1]?.outputs).toEqual([])
    } finally {
      await rm(emptyDir, { recursive: true, force: true })
    }
    expect(await platform.runtime.kpi.reads.latestComputation()).toEqual(before)
  })
})

describe('the platform KPIs measured again', () => {
  it('reads only the platform records, keeping the register values of the latest computation', async () => {
    const full = await engineAt(new Date('2027-04-01T02:00:00Z')).engine.compute({
      kind: 'on demand',
      actor: 'admin',
    })
    const { engine, events } = engineAt(new Date('2027-04-01T03:00:00Z'))
    const platformOnly = await engine.computePlatform({ kind: 'access decision', actor: 'system' })
    expect(platformOnly.inputs).toEqual(full.inputs)
    // In a fixed order: DuckDB returns grouping sets in whatever order its threads finish.
    const sorted = (rows: KpiRow[] = []) =>
      rows.map((r) => JSON.stringify(r)).sort((a, b) => a.localeCompare(b))
    for (const number of [1, 3, 8, 15])
      expect(sorted(platformOnly.values.get(number)), `KPI ${number}`).toEqual(
        sorted(full.values.get(number)),
      )
    expect(events[0]).toMatchObject({ eventType: 'START', job: { name: 'kpi.compute.platform' } })
    expect(events[0]?.inputs.map((i) => i.name)).toEqual(['sharing-records', 'core-data-fields'])
  })

  it('coalesces a burst of decisions into at most two recomputations, never two at once', async () => {
    const { engine } = engineAt(new Date('2027-04-02T02:00:00Z'))
    let running = 0
    let most = 0
    let calls = 0
    // The real engine, watched: how many platform computations ran, and how many at once.
    const watched: KpiEngine = {
      ...engine,
      async computePlatform(trigger) {
        calls++
        most = Math.max(most, ++running)
        try {
          return await engine.computePlatform(trigger)
        } finally {
          running--
        }
      },
    }
    const refresh = createPlatformKpiRefresh(watched, platform.runtime.log)
    refresh.onWorkflowChange({
      kind: 'submitted',
      requestId: 'r_0',
      state: 'submitted',
      decided: false,
    })
    expect(calls).toBe(0)
    for (let n = 1; n <= 20; n++)
      refresh.onWorkflowChange({
        kind: 'step',
        requestId: `r_${n}`,
        state: 'approved',
        decided: true,
      })
    await refresh.settled()
    expect(calls).toBe(2)
    expect(most).toBe(1)
  })
})
