import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Entitlement } from '../access/index.js'
import {
  type AuditEvent,
  type AuditRecorder,
  ConflictError,
  ForbiddenError,
  NotFoundError,
} from '../core/index.js'
import type { AppAbility, User } from '../identity/index.js'
import { viewsOf } from './caller-views.js'
import type { QueryAnswer } from './query-answers.js'
import type { QueryRequest } from './query-run.js'
import {
  type SavedQuery,
  type SavedQueryFields,
  type SavedQueryTables,
  savedQueryStore as store,
} from './saved-queries.js'
import { checkSavedSql, type SqlParser } from './saved-query-check.js'
import {
  fillPlaceholders,
  literalsFor,
  type ParameterValue,
  placeholdersIn,
} from './saved-query-parameters.js'

/** Saved queries one person may keep: enough for a working set, not a second history. */
export const MAX_SAVED_QUERIES_PER_PERSON = 100

export interface SavedQueriesDeps {
  db: Kysely<SavedQueryTables>
  /** The workbench's own query path: gate, the caller's views, limits, history and audit. */
  run: (
    user: User,
    ability: AppAbility,
    request: QueryRequest,
    requestId?: string,
  ) => Promise<QueryAnswer>
  entitlements: (user: User, ability: AppAbility, now: Date) => Promise<Entitlement[]>
  parse: SqlParser
  audit: AuditRecorder
  now: () => Date
}

/** Who did it and under which request, as every entry of this module says. */
interface Caller {
  user: User
  ability: AppAbility
  requestId?: string
}

// The audit trail takes any module's transaction; Kysely's types cannot say "any tables".
const within = (trx: Kysely<SavedQueryTables>) => trx as unknown as Kysely<unknown>

const ownerOf = (user: User) => ({ id: user.id, name: user.displayName })

/**
 * Saved queries: named, described SQL with typed `$name` parameters, kept by their owner and
 * opened by anyone signed in who holds the link. A run fills the parameters in with checked
 * literals and goes through the query path as whoever runs it, under their own access (never
 * the owner's). Saving, changing, deleting and running are audited.
 */
export function createSavedQueries(deps: SavedQueriesDeps) {
  const entryOf = (
    caller: Caller,
    action: string,
    query: SavedQuery,
    details: Record<string, unknown>,
    outcome: AuditEvent['outcome'] = 'succeeded',
  ): AuditEvent => ({
    actor: { id: caller.user.id, name: caller.user.username },
    action,
    outcome,
    subject: { type: 'SavedQuery', id: query.id },
    details: { name: query.name, owner: query.owner.id, ...details },
    ...(caller.requestId && { requestId: caller.requestId }),
  })

  /** The fields as they will be kept, checked against the caller's own views. */
  const checked = async (caller: Caller, fields: SavedQueryFields): Promise<SavedQueryFields> => {
    const views = viewsOf(await deps.entitlements(caller.user, caller.ability, deps.now()))
    const names = new Set(views.map((v) => v.name))
    const parameters = await checkSavedSql(fields.sql, fields.parameters, names, deps.parse)
    return { ...fields, parameters }
  }

  /** A saved query its caller owns: anyone else may open it, not change it. */
  const owned = async (caller: Caller, id: string, doing: string) => {
    const query = await find(id)
    if (query.owner.id !== caller.user.id)
      throw new ForbiddenError(
        `Only ${query.owner.name}, who saved this query, may ${doing} it: save a copy of your own instead`,
      )
    return query
  }

  const find = async (id: string): Promise<SavedQuery> => {
    const query = await store.find(deps.db, id)
    if (!query)
      throw new NotFoundError(
        `No saved query '${id}': the link may be mistyped, or its owner deleted it`,
      )
    return query
  }

  return {
    find,

    list: (user: User) => store.listOwnedBy(deps.db, user.id),

    async create(caller: Caller, fields: SavedQueryFields): Promise<SavedQuery> {
      const kept = await checked(caller, fields)
      return deps.db.transaction().execute(async (trx) => {
        if ((await store.countOwnedBy(trx, caller.user.id)) >= MAX_SAVED_QUERIES_PER_PERSON)
          throw new ConflictError(
            `You have ${MAX_SAVED_QUERIES_PER_PERSON} saved queries, as many as one person may keep: delete one you no longer need first`,
          )
        const query = await store.insert(trx, ownerOf(caller.user), kept, deps.now())
        await deps.audit.append(
          entryOf(caller, 'saved-query.create', query, { parameters: query.parameters.length }),
          deps.now(),
          within(trx),
        )
        return query
      })
    },

    async update(
      caller: Caller,
      id: string,
      change: Partial<SavedQueryFields>,
    ): Promise<SavedQuery> {
      const query = await owned(caller, id, 'change')
      const kept = await checked(caller, {
        name: change.name ?? query.name,
        description: change.description === undefined ? query.description : change.description,
        sql: change.sql ?? query.sql,
        parameters: change.parameters ?? query.parameters,
      })
      return deps.db.transaction().execute(async (trx) => {
        const owner = { ...query, owner: ownerOf(caller.user) }
        const updated = await store.update(trx, owner, kept, deps.now())
        await deps.audit.append(
          entryOf(caller, 'saved-query.update', updated, {
            changed: Object.keys(change).sort(),
          }),
          deps.now(),
          within(trx),
        )
        return updated
      })
    },

    async remove(caller: Caller, id: string): Promise<void> {
      const query = await owned(caller, id, 'delete')
      await deps.db.transaction().execute(async (trx) => {
        await store.remove(trx, query.id)
        await deps.audit.append(
          entryOf(caller, 'saved-query.delete', query, {}),
          deps.now(),
          within(trx),
        )
      })
    },

    /**
     * Runs a saved query as the caller with these parameter values, as JSON. The run is the
     * query path's (its history row and `query.run` entry under the id answered); this entry
     * names the saved query and that run, and the parameters given (not their values).
     */
    async run(
      caller: Caller,
      id: string,
      values: Readonly<Record<string, ParameterValue>>,
    ): Promise<QueryAnswer> {
      const query = await find(id)
      const literals = literalsFor(query.parameters, values)
      const sql = fillPlaceholders(query.sql, placeholdersIn(query.sql), literals)
      const runId = `q_${randomUUID()}`
      // How the run itself ended (and why) is in its own `query.run` entry.
      const record = (outcome: AuditEvent['outcome']) =>
        deps.audit.append(
          entryOf(
            caller,
            'saved-query.run',
            query,
            { query: runId, parameters: Object.keys(values).sort() },
            outcome,
          ),
          deps.now(),
        )
      try {
        const answer = await deps.run(
          caller.user,
          caller.ability,
          { sql, format: 'json', id: runId, purpose: 'workbench' },
          caller.requestId,
        )
        await record('succeeded')
        return answer
      } catch (error) {
        await record('failed')
        throw error
      }
    },
  }
}

/** The saved queries of everyone, as the routes use them. */
export type SavedQueries = ReturnType<typeof createSavedQueries>
