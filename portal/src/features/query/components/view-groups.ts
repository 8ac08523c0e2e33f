import type { ViewInfo } from '../api/use-query.js'

/** Where a view is listed: what the person may do with it decides how high. */
export type ViewGroupKey = 'granted' | 'samples' | 'open' | 'aggregates'

export interface ViewGroup {
  key: ViewGroupKey
  title: string
  views: ViewInfo[]
}

/** The groups in the order they are listed: the person's own grants first. */
const GROUPS: readonly { key: ViewGroupKey; title: string }[] = [
  { key: 'granted', title: 'Granted to you (full access)' },
  { key: 'samples', title: 'Samples' },
  { key: 'open', title: 'Official (Open) data' },
  { key: 'aggregates', title: 'Aggregates only' },
]

/** The group a view belongs in. */
export function groupOf(view: Pick<ViewInfo, 'scope' | 'basis'>): ViewGroupKey {
  if (view.scope === 'aggregates') return 'aggregates'
  if (view.scope === 'sample') return 'samples'
  return view.basis === 'grant' ? 'granted' : 'open'
}

/** Whether a view matches every word searched for, in its name, dataset title, slug or agency. */
export function matchesSearch(view: Pick<ViewInfo, 'name' | 'dataset'>, search: string): boolean {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean)
  const text = [view.name, view.dataset.title, view.dataset.slug, view.dataset.agency]
    .join(' ')
    .toLowerCase()
  return words.every((word) => text.includes(word))
}

/**
 * The views matching a search, grouped (granted, samples, open data, aggregates) and sorted by
 * name within each group; groups left empty are left out.
 */
export function groupViews(views: readonly ViewInfo[], search = ''): ViewGroup[] {
  const shown = views.filter((v) => matchesSearch(v, search))
  return GROUPS.map(({ key, title }) => ({
    key,
    title,
    views: shown.filter((v) => groupOf(v) === key).sort((a, b) => a.name.localeCompare(b.name)),
  })).filter((group) => group.views.length > 0)
}
