import { randomBytes } from 'node:crypto'
import type { Kysely, Selectable } from 'kysely'
import { InvalidInputError } from '../core/index.js'
import { hashSecret, newSecretToken } from '../keys/index.js'
import type { ApiTokenRow, IdentityTables } from './identity-tables.js'
import type { User } from './user.js'
import type { UserStore } from './user-store.js'

/** What a token may be used for: `read` allows safe methods only, `write` everything its owner may do. */
export const TOKEN_SCOPES = ['read', 'write'] as const
export type TokenScope = (typeof TOKEN_SCOPES)[number]

/** A personal API token as its owner sees it; the secret itself is shown once, at creation. */
export interface ApiToken {
  id: string
  name: string
  scopes: TokenScope[]
  createdAt: Date
  expiresAt: Date
  lastUsedAt: Date | undefined
  revokedAt: Date | undefined
}

/** Longest lifetime a token may be given. */
export const MAX_TOKEN_DAYS = 365

export interface ApiTokenStore {
  createToken(
    user: User,
    request: { name: string; scopes: TokenScope[]; expiresAt: Date },
    now: Date,
  ): Promise<{ token: string; apiToken: ApiToken }>
  listTokens(userId: string): Promise<ApiToken[]>
  /** Revokes one of the user's own tokens; undefined when they have no such token. */
  revokeToken(userId: string, tokenId: string, now: Date): Promise<ApiToken | undefined>
  /** The token and its owner, if the secret names a live token; records the use. */
  redeemToken(secret: string, now: Date): Promise<{ apiToken: ApiToken; user: User } | undefined>
}

export function createApiTokenStore(db: Kysely<IdentityTables>, users: UserStore): ApiTokenStore {
  return {
    async createToken(user, request, now) {
      if (request.expiresAt <= now) throw new InvalidInputError('expiresAt must be in the future')
      if (request.expiresAt.getTime() - now.getTime() > MAX_TOKEN_DAYS * 86_400_000) {
        throw new InvalidInputError(`expiresAt must be at most ${MAX_TOKEN_DAYS} days away`)
      }
      const token = newSecretToken('gdp')
      const row = await db
        .insertInto('api_tokens')
        .values({
          id: `t_${randomBytes(8).toString('hex')}`,
          user_id: user.id,
          name: request.name,
          token_hash: hashSecret(token),
          scopes: [...new Set(request.scopes)],
          created_at: now,
          expires_at: request.expiresAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
      return { token, apiToken: rowToToken(row) }
    },

    async listTokens(userId) {
      const rows = await db
        .selectFrom('api_tokens')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at', 'desc')
        .execute()
      return rows.map(rowToToken)
    },

    async revokeToken(userId, tokenId, now) {
      const row = await db
        .updateTable('api_tokens')
        .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(now)) }))
        .where('id', '=', tokenId)
        .where('user_id', '=', userId)
        .returningAll()
        .executeTakeFirst()
      return row && rowToToken(row)
    },

    async redeemToken(secret, now) {
      const row = await db
        .updateTable('api_tokens')
        .set({ last_used_at: now })
        .where('token_hash', '=', hashSecret(secret))
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .returningAll()
        .executeTakeFirst()
      if (!row) return undefined
      const user = await users.findUser(row.user_id)
      return user && { apiToken: rowToToken(row), user }
    },
  }
}

function rowToToken(row: Selectable<ApiTokenRow>): ApiToken {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes as TokenScope[],
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at ?? undefined,
    revokedAt: row.revoked_at ?? undefined,
  }
}
