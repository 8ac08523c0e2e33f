import { randomBytes } from 'node:crypto'
import type { ColumnType, Kysely, Selectable } from 'kysely'
import type { QueryParameter } from './saved-query-parameters.js'

/** A query a person saved: its SQL with `$name` parameters, their types, who owns it. */
export interface SavedQueryRow {
  id: string
  owner_id: string
  /** The owner's name as it was when they last saved it, shown to whoever opens the query. */
  owner_name: string
  name: string
  description: string | null
  sql: string
  parameters: ColumnType<QueryParameter[], string, string>
  created_at: Date
  updated_at: Date
}

export interface SavedQueryTables {
  saved_queries: SavedQueryRow
}

/** A saved query as the rest of the module sees it. */
export interface SavedQuery {
  id: string
  owner: { id: string; name: string }
  name: string
  description: string | null
  sql: string
  parameters: QueryParameter[]
  createdAt: Date
  updatedAt: Date
}

/** What its owner writes of a saved query. */
export interface SavedQueryFields {
  name: string
  description: string | null
  sql: string
  parameters: QueryParameter[]
}

/** A new saved query's id: `sq_` and 32 hex digits, too many to guess (a link is shared). */
export const newSavedQueryId = () => `sq_${randomBytes(16).toString('hex')}`

/** Whether a text can be a saved query's id (anything else is no saved query). */
export const isSavedQueryId = (text: string) => /^sq_[0-9a-f]{32}$/.test(text)

const rowToSavedQuery = (row: Selectable<SavedQueryRow>): SavedQuery => ({
  id: row.id,
  owner: { id: row.owner_id, name: row.owner_name },
  name: row.name,
  description: row.description,
  sql: row.sql,
  parameters: row.parameters,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

/** Every read and write of saved queries; writes take the caller's transaction. */
export const savedQueryStore = {
  async find(db: Kysely<SavedQueryTables>, id: string): Promise<SavedQuery | undefined> {
    if (!isSavedQueryId(id)) return undefined
    const row = await db
      .selectFrom('saved_queries')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row && rowToSavedQuery(row)
  },

  /** The person's own saved queries, the latest changed first. */
  async listOwnedBy(db: Kysely<SavedQueryTables>, ownerId: string): Promise<SavedQuery[]> {
    const rows = await db
      .selectFrom('saved_queries')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .orderBy('updated_at', 'desc')
      .orderBy('id')
      .execute()
    return rows.map(rowToSavedQuery)
  },

  async countOwnedBy(db: Kysely<SavedQueryTables>, ownerId: string): Promise<number> {
    const { count } = await db
      .selectFrom('saved_queries')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('owner_id', '=', ownerId)
      .executeTakeFirstOrThrow()
    return Number(count)
  },

  async insert(
    db: Kysely<SavedQueryTables>,
    owner: SavedQuery['owner'],
    fields: SavedQueryFields,
    now: Date,
  ): Promise<SavedQuery> {
    const row = await db
      .insertInto('saved_queries')
      .values({
        id: newSavedQueryId(),
        owner_id: owner.id,
        owner_name: owner.name,
        name: fields.name,
        description: fields.description,
        sql: fields.sql,
        parameters: JSON.stringify(fields.parameters),
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    return rowToSavedQuery(row)
  },

  async update(
    db: Kysely<SavedQueryTables>,
    query: SavedQuery,
    fields: SavedQueryFields,
    now: Date,
  ): Promise<SavedQuery> {
    const row = await db
      .updateTable('saved_queries')
      .set({
        owner_name: query.owner.name,
        name: fields.name,
        description: fields.description,
        sql: fields.sql,
        parameters: JSON.stringify(fields.parameters),
        updated_at: now,
      })
      .where('id', '=', query.id)
      .returningAll()
      .executeTakeFirstOrThrow()
    return rowToSavedQuery(row)
  },

  async remove(db: Kysely<SavedQueryTables>, id: string): Promise<void> {
    await db.deleteFrom('saved_queries').where('id', '=', id).execute()
  },
}
