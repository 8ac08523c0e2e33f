import { z } from 'zod'
import { QUERY_PURPOSES } from './query-history.js'
import { historyEntryJson, viewJson } from './query-json.js'

/** One of the caller's views, with the terms of the grant behind it in full. */
export const callerViewJson = viewJson.extend({
  grantedColumns: z
    .array(z.string())
    .nullable()
    .describe("The dataset's columns the grant shares; null: all of them"),
  inClear: z
    .array(z.string())
    .describe('Direct identifiers it shows in clear; every other one is masked'),
})

/** One query of the caller's history, with why it ran. */
export const historyItemJson = historyEntryJson.extend({
  purpose: z
    .enum(QUERY_PURPOSES)
    .describe(
      '`workbench`: written in the workbench; `preview`: a dataset page’s sample preview; `api`: any other client',
    ),
})
