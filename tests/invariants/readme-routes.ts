import { routeTable } from '../../routing/index.js'
import { API_MODULES } from '../../server/index.js'

/** The README's route table sits between these lines; `npm run docs` writes it from the declarations. */
export const ROUTES_START = '<!-- routes: written by `npm run docs` from the route declarations -->'
export const ROUTES_END = '<!-- routes end -->'

export const README = new URL('../../README.md', import.meta.url)

/** The README with its route table written from every module's route declarations. */
export function withRouteTable(readme: string): string {
  const start = readme.indexOf(ROUTES_START)
  const end = readme.indexOf(ROUTES_END)
  if (start < 0 || end < start) throw new Error(`README.md has no ${ROUTES_START} … ${ROUTES_END}`)
  return `${readme.slice(0, start + ROUTES_START.length)}\n${routeTable(API_MODULES)}\n${readme.slice(end)}`
}
