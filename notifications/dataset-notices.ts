/** What followers of a dataset and its agency's webhooks are told of, as events name it. */
export const DATASET_EVENT_KINDS = [
  'dataset.version-published',
  'dataset.schema-changed',
  'dataset.quality-failed',
  'dataset.deprecated',
] as const
export type DatasetEventKind = (typeof DATASET_EVENT_KINDS)[number]

/** A dataset as news of it names it, with what deciding who may hear of it needs. */
export interface DatasetNewsRef {
  id: string
  slug: string
  title: string
  agency: string
  classification: { security: string; sensitivity: string }
}

/**
 * What happened to a dataset (the catalogue's events, as this module reads them: the composition
 * root passes one to the other, so neither imports the other).
 */
export type DatasetNews =
  | {
      kind: 'dataset.version-published'
      dataset: DatasetNewsRef
      version: number
      rowCount: number
    }
  | {
      kind: 'dataset.schema-changed'
      dataset: DatasetNewsRef
      version: number
      previousVersion: number
      changes: {
        added: { name: string; type: string }[]
        removed: { name: string; type: string }[]
        retyped: { name: string; from: string; to: string }[]
      }
    }
  | {
      kind: 'dataset.quality-failed'
      dataset: DatasetNewsRef
      /** null: the failures stopped the version from being published. */
      version: number | null
      failed: { name: string; severity: string; observed: number; expected: string }[]
    }
  | {
      kind: 'dataset.deprecated'
      dataset: DatasetNewsRef
      reason: string
      successor: DatasetNewsRef | null
    }

/** A notice in plain words, with the page of the dataset to read more on. */
export interface DatasetNotice {
  title: string
  body: string
  link: string
}

/**
 * The notice of an event for one reader: `mayDiscover` says whether they may discover another
 * dataset (a successor is named only to those who may).
 */
export function datasetNotice(
  news: DatasetNews,
  mayDiscover: (dataset: DatasetNewsRef) => boolean,
): DatasetNotice {
  const { title, slug } = news.dataset
  const page = `/datasets/${slug}`
  switch (news.kind) {
    case 'dataset.version-published':
      return {
        title: `New version of ${title}: version ${news.version}`,
        body: `Version ${news.version} of ${title} was published with ${count(news.rowCount, 'row')}.`,
        link: `${page}/history`,
      }
    case 'dataset.schema-changed':
      return {
        title: `The columns of ${title} changed in version ${news.version}`,
        body: schemaWords(news.changes, news.previousVersion),
        link: `${page}/history`,
      }
    case 'dataset.quality-failed': {
      const checks = count(news.failed.length, 'quality check')
      const which = news.failed
        .map((f) => `${f.name} (measured ${f.observed}, expected ${f.expected})`)
        .join('; ')
      return news.version === null
        ? {
            title: `A new version of ${title} was held back: ${checks} failed`,
            body: `The new version was not published, and the current one stays. Failed: ${which}.`,
            link: `${page}/quality`,
          }
        : {
            title: `Version ${news.version} of ${title} failed ${checks}`,
            body: `It was published nonetheless. Failed: ${which}.`,
            link: `${page}/quality`,
          }
    }
    case 'dataset.deprecated': {
      const instead =
        news.successor && mayDiscover(news.successor) ? ` Use ${news.successor.title} instead.` : ''
      return {
        title: `${title} is deprecated`,
        body: `Its stewards' reason: ${news.reason.replace(/[.!?]?$/, '.')}${instead}`,
        link: page,
      }
    }
  }
}

function schemaWords(
  changes: Extract<DatasetNews, { kind: 'dataset.schema-changed' }>['changes'],
  previous: number,
): string {
  const parts = [
    changes.added.length > 0 &&
      `Added: ${changes.added.map((c) => `${c.name} (${c.type})`).join(', ')}.`,
    changes.removed.length > 0 && `Removed: ${changes.removed.map((c) => c.name).join(', ')}.`,
    changes.retyped.length > 0 &&
      `Of another type now: ${changes.retyped.map((c) => `${c.name} (was ${c.from}, now ${c.to})`).join(', ')}.`,
  ].filter((p): p is string => typeof p === 'string')
  return `Compared with version ${previous}: ${parts.join(' ')}`
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-SG')} ${n === 1 ? noun : `${noun}s`}`
}

/** What an agency's webhook receives besides the event's id, type and time. */
export function webhookDetails(news: DatasetNews): Record<string, unknown> {
  const { id, slug, title, agency } = news.dataset
  const dataset = { id, slug, title, agency }
  switch (news.kind) {
    case 'dataset.version-published':
      return { dataset, version: news.version, rowCount: news.rowCount }
    case 'dataset.schema-changed':
      return {
        dataset,
        version: news.version,
        previousVersion: news.previousVersion,
        changes: news.changes,
      }
    case 'dataset.quality-failed':
      return {
        dataset,
        version: news.version,
        published: news.version !== null,
        failed: news.failed,
      }
    case 'dataset.deprecated':
      return {
        dataset,
        reason: news.reason,
        successor: news.successor
          ? { id: news.successor.id, slug: news.successor.slug, title: news.successor.title }
          : null,
      }
  }
}
