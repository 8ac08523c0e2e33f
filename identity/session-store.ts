import type { Kysely } from 'kysely'
import { hashSecret, newSecretToken } from '../keys/index.js'
import type { IdentityTables } from './identity-tables.js'
import type { User } from './user.js'
import { rowToUser, selectUsersOf } from './user-store.js'

/** A signed-in browser session. Only the hash of its token is stored, in the shared database. */
export interface Session {
  userId: string
  csrfToken: string
  method: 'oidc' | 'dev'
  expiresAt: Date
}

/** The secrets of a new session: the cookie value and the CSRF token the page must echo. */
export interface NewSession extends Session {
  token: string
}

/** A pending OpenID Connect sign-in, between the redirect to the provider and its callback. */
export interface AuthFlow {
  state: string
  codeVerifier: string
  nonce: string
  returnTo: string
  expiresAt: Date
}

export interface SessionStore {
  createSession(
    user: User,
    method: Session['method'],
    now: Date,
    ttlMs: number,
  ): Promise<NewSession>
  /** The live session behind a cookie value and its user, if both are still valid. */
  findSession(token: string, now: Date): Promise<{ session: Session; user: User } | undefined>
  deleteSession(token: string): Promise<void>
  saveAuthFlow(flow: AuthFlow): Promise<void>
  /** Returns the flow and deletes it, so a callback can be used once. */
  takeAuthFlow(state: string, now: Date): Promise<AuthFlow | undefined>
}

export function createSessionStore(db: Kysely<IdentityTables>): SessionStore {
  return {
    async createSession(user, method, now, ttlMs) {
      const token = newSecretToken('gds')
      const csrfToken = newSecretToken('csrf')
      const expiresAt = new Date(now.getTime() + ttlMs)
      // Housekeeping without a job: each sign-in clears that person's expired sessions.
      await db
        .deleteFrom('sessions')
        .where('user_id', '=', user.id)
        .where('expires_at', '<=', now)
        .execute()
      await db
        .insertInto('sessions')
        .values({
          id_hash: hashSecret(token),
          user_id: user.id,
          csrf_token: csrfToken,
          method,
          created_at: now,
          expires_at: expiresAt,
        })
        .execute()
      return { token, userId: user.id, csrfToken, method, expiresAt }
    },

    async findSession(token, now) {
      // The session and its user (who may still sign in) in one statement: every signed-in
      // request asks.
      const row = await selectUsersOf(db)
        .innerJoin('sessions', 'sessions.user_id', 'users.id')
        .select([
          'sessions.csrf_token',
          'sessions.method',
          'sessions.expires_at as session_expires_at',
        ])
        .where('sessions.id_hash', '=', hashSecret(token))
        .where('sessions.expires_at', '>', now)
        .executeTakeFirst()
      if (!row) return undefined
      return {
        session: {
          userId: row.id,
          csrfToken: row.csrf_token,
          method: row.method as Session['method'],
          expiresAt: row.session_expires_at,
        },
        user: rowToUser(row),
      }
    },

    async deleteSession(token) {
      await db.deleteFrom('sessions').where('id_hash', '=', hashSecret(token)).execute()
    },

    async saveAuthFlow(flow) {
      await db.deleteFrom('auth_flows').where('expires_at', '<=', new Date()).execute()
      await db
        .insertInto('auth_flows')
        .values({
          state: flow.state,
          code_verifier: flow.codeVerifier,
          nonce: flow.nonce,
          return_to: flow.returnTo,
          expires_at: flow.expiresAt,
        })
        .execute()
    },

    async takeAuthFlow(state, now) {
      const row = await db
        .deleteFrom('auth_flows')
        .where('state', '=', state)
        .returningAll()
        .executeTakeFirst()
      if (!row || row.expires_at <= now) return undefined
      return {
        state: row.state,
        codeVerifier: row.code_verifier,
        nonce: row.nonce,
        returnTo: row.return_to,
        expiresAt: row.expires_at,
      }
    },
  }
}
