import { systemAbility } from '../core/index.js'
import { openTestRuntime } from '../server/test-runtime.js'

const scale = Number(process.argv[2] ?? 1)
const runtime = await openTestRuntime({ backend: 'pglite', scale })
for (const d of await runtime.catalog.listDatasets(systemAbility())) {
  const detail = await runtime.catalog.findDataset(d.id, systemAbility())
  const s = detail?.currentVersion?.sample
  if (!s) continue
  if (s.status !== 'published') { console.log(d.slug, 'REFUSED', s.reason); continue }
  const r = s.details.report as any
  console.log(d.slug, `rows ${r.rows}/${r.drawnRows} k=${r.kReached} l=${r.lReached} loss=${r.informationLoss} kept=${r.keptAsAsked} lattice=${r.lattice.nodes}`)
  console.log('   ', r.hierarchies.map((h: any) => `${h.name}:${h.level}`).join(' | '))
  console.log('   ', r.columns.filter((c: any) => c.suggestion).map((c: any) => `${c.name}->${c.suggestion.kind}`).join(' '))
}
await runtime.dispose()
