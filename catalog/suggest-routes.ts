import { Hono } from 'hono'
import type { AppAbility, RouteEnv } from '../identity/index.js'
import { serve } from '../identity/index.js'
import type { Suggestion } from './search-suggestions.js'
import { suggestSearches } from './suggest-api.js'
import { toSuggestionJson } from './suggestion-json.js'

/** What the suggestion routes need: suggestions of what a caller may discover. */
export interface SuggestRouteDeps {
  suggest: (ability: AppAbility, typed: string) => Promise<Suggestion[]>
}

/** Search suggestions, served from their declaration. */
export const suggestRoutes = (deps: SuggestRouteDeps) =>
  new Hono<RouteEnv>().route(
    '/',
    serve(suggestSearches, async (c) => {
      const suggestions = await deps.suggest(c.get('ability'), c.req.valid('query').q)
      return c.json({ ok: true as const, data: suggestions.map(toSuggestionJson) }, 200)
    }),
  )
