import { allPages } from './all-pages.js'
import type { BenchPerson, FixtureIds } from './portal-calls.js'

/** A signed-in GET returning the answer's `data`; throws on any status but 200. */
export type GetData = (path: string) => Promise<unknown>

interface DatasetSummary {
  slug: string
  agency: string
  currentVersion: unknown
}
interface DatasetDetail {
  versions: { version: number }[]
}

/**
 * The dataset every person's calls are made on: of those the officer may discover and the
 * platform holds (a described entry has no version), one of the steward's agency with the most
 * versions (so that the history tab has a schema diff to show).
 */
export async function benchDataset(
  get: GetData,
  stewardAgency: string,
): Promise<{ slug: string; versions: number[] }> {
  const listed = (
    await allPages((path) => get(path) as Promise<DatasetSummary[]>, '/api/datasets')
  ).filter((d) => d.currentVersion !== null)
  const own = listed.filter((d) => d.agency === stewardAgency)
  let best: { slug: string; versions: number[] } | undefined
  for (const d of own.length > 0 ? own : listed) {
    const detail = (await get(`/api/datasets/${d.slug}`)) as DatasetDetail
    const versions = detail.versions.map((v) => v.version).sort((a, b) => a - b)
    if (!best || versions.length > best.versions.length) best = { slug: d.slug, versions }
  }
  if (!best) throw new Error('The fixture catalogue lists no dataset')
  return best
}

/** The ids a person's calls need: a request they may open, a lineage job of the dataset. */
export async function personIds(
  get: GetData,
  person: BenchPerson,
  dataset: { slug: string; versions: number[] },
): Promise<FixtureIds> {
  const requests = (await get(
    person.role === 'steward' ? `/api/requests?agency=${person.agency}` : '/api/requests?mine=true',
  )) as { id: string }[]
  const saved = (await get('/api/saved-queries')) as { id: string }[]
  const lineage = (await get(
    `/api/v1/lineage?nodeId=${encodeURIComponent(`dataset:gov-data-portal:${dataset.slug}`)}&depth=2`,
  )) as { graph?: { id: string }[] }
  const jobId = lineage.graph?.map((n) => n.id).find((id) => id.startsWith('job:'))
  const [, namespace, ...name] = jobId?.split(':') ?? []
  return {
    ...dataset,
    requestId: requests[0]?.id,
    savedQueryId: saved[0]?.id,
    job: namespace && name.length > 0 ? { namespace, name: name.join(':') } : undefined,
  }
}
