/** Datasets named in a file name at most: past them, "-and-2-more". */
const NAMED_DATASETS = 3

/** Keeps a part of a file name to ASCII letters, digits and dashes: no quotes, slashes or lines. */
const safePart = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60)

/** A moment in Singapore time as a file name can hold it: `2026-12-07T1530+0800`. */
export function singaporeStamp(at: Date): string {
  // Singapore keeps UTC+8 all year: no summer time to account for.
  const local = new Date(at.getTime() + 8 * 3_600_000).toISOString()
  return `${local.slice(0, 10)}T${local.slice(11, 13)}${local.slice(14, 16)}+0800`
}

/**
 * The file name of a query's answer: the datasets it read and when, in Singapore time, e.g.
 * `hdb-resale-transactions_2026-12-07T1530+0800.csv` (`query_…` when it read none). Only ASCII
 * letters, digits, dashes, `_`, `+` and one dot: safe in a header and on any file system.
 */
export function queryFileName(datasets: readonly string[], at: Date, extension: string): string {
  const parts = [...new Set(datasets.map(safePart).filter((part) => part.length > 0))]
  const named = parts.slice(0, NAMED_DATASETS).join('_')
  const more = parts.length > NAMED_DATASETS ? `-and-${parts.length - NAMED_DATASETS}-more` : ''
  return `${named ? `${named}${more}` : 'query'}_${singaporeStamp(at)}.${safePart(extension) || 'bin'}`
}

/**
 * A Content-Disposition header saving the answer as `name`, with anything a header could be
 * broken with (quotes, backslashes, line ends, non-ASCII) left out of the name.
 */
export function attachmentOf(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._+-]+/g, '-')
  return `attachment; filename="${safe}"`
}
