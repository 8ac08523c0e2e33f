import { z } from 'zod'
import { defineModule, defineRoute, ok } from '../routing/index.js'
import { MAX_LENGTH } from '../text/index.js'
import { suggestionJson } from './suggestion-json.js'

export const suggestQuery = z.object({
  q: z
    .string()
    .max(MAX_LENGTH.title, `keep the search under ${MAX_LENGTH.title} characters`)
    .describe('What has been typed so far; fewer than 2 characters suggest nothing'),
})

export const suggestSearches = defineRoute({
  method: 'get',
  path: '/suggestions',
  access: 'signed-in',
  summary: 'Suggestions as one types: datasets, columns, glossary terms and agencies',
  description:
    'At most 10, each with a word starting with `q`. Only datasets (and their columns) the caller may discover are suggested, and agencies that own one.',
  request: { query: suggestQuery },
  responses: {
    200: { description: 'The suggestions, datasets first', json: ok(z.array(suggestionJson)) },
  },
})

/** Search suggestions, mounted under /api/search: `GET /api/search/suggestions?q=nri`. */
export const SUGGEST_API = defineModule('/search', 'Catalogue', { suggestSearches })
