import { MAX_LISTED } from '../../core/index.js'

/**
 * Every item of a list the API answers a page at a time (`limit`, `offset`: a page shorter than
 * its limit is the last), read page by page through `getPage`.
 */
export async function allPages<T>(
  getPage: (path: string) => Promise<T[]>,
  path: string,
): Promise<T[]> {
  const items: T[] = []
  for (let offset = 0; ; offset += MAX_LISTED) {
    const page = await getPage(
      `${path}${path.includes('?') ? '&' : '?'}limit=${MAX_LISTED}&offset=${offset}`,
    )
    items.push(...page)
    if (page.length < MAX_LISTED) return items
  }
}
