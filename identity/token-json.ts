import { z } from 'zod'
import { type ApiToken, TOKEN_SCOPES } from './api-token-store.js'

/** The shapes the API token routes answer with, as JSON (times are ISO 8601 strings). */

const time = z.iso.datetime().describe('ISO 8601 time')

/** A personal API token as its owner sees it: never its secret. */
export const apiTokenJson = z.strictObject({
  id: z.string().describe('`t_` + 16 hex digits'),
  name: z.string(),
  scopes: z.array(z.enum(TOKEN_SCOPES)).describe('`read`: safe methods only; `write`: everything'),
  createdAt: time,
  expiresAt: time,
  lastUsedAt: time.nullable(),
  revokedAt: time.nullable(),
})

export const createdTokenJson = z.strictObject({
  token: z.string().describe('The secret (`gdp_…`), for `Authorization: Bearer`: shown only here'),
  apiToken: apiTokenJson,
})

export function toApiTokenJson(token: ApiToken): z.output<typeof apiTokenJson> {
  return {
    id: token.id,
    name: token.name,
    scopes: token.scopes,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
  }
}
