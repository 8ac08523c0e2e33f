import type { Kysely, Selectable } from 'kysely'
import { ConflictError } from '../core/index.js'
import type { LineageTables } from './lineage-tables.js'
import {
  canonicalNamespace,
  isPlatformNamespace,
  type LineageNamespace,
  PLATFORM_NAMESPACES,
} from './namespace-ownership.js'

/** Runs inside the change's transaction (e.g. to audit it): both commit, or neither. */
export type WithinTransaction = (
  trx: Kysely<unknown>,
  registration: LineageNamespace,
) => Promise<unknown>

/** The registry of lineage namespaces and the agencies that own them. */
export interface NamespaceStore {
  /**
   * Registers a namespace to an agency; `created: false` when it already was, to that agency.
   * Throws a ConflictError when it is the platform's, or another agency holds it in any spelling.
   */
  register(
    input: { namespace: string; agency: string },
    by: string,
    now: Date,
    within?: WithinTransaction,
  ): Promise<{ registration: LineageNamespace; created: boolean }>
  /** Removes a registration (found in any spelling); undefined when there was none. */
  unregister(namespace: string, within?: WithinTransaction): Promise<LineageNamespace | undefined>
  /** Every registration, by agency then namespace. */
  list(): Promise<LineageNamespace[]>
  /** The registrations of these namespaces in one query, keyed by their canonical form. */
  ownersOf(namespaces: readonly string[]): Promise<Map<string, LineageNamespace>>
}

/** A registration as its row holds it. */
export function rowToNamespace(
  row: Selectable<LineageTables['lineage_namespaces']>,
): LineageNamespace {
  return {
    namespace: row.namespace,
    agency: row.agency,
    registeredBy: row.registered_by,
    registeredAt: new Date(row.registered_at),
  }
}

export function createNamespaceStore(db: Kysely<LineageTables>): NamespaceStore {
  const byCanonical = (trx: Kysely<LineageTables>, canonical: string) =>
    trx
      .selectFrom('lineage_namespaces')
      .selectAll()
      .where('canonical', '=', canonical)
      .executeTakeFirst()

  return {
    async register(input, by, now, within) {
      if (isPlatformNamespace(input.namespace))
        throw new ConflictError(
          `'${input.namespace}' is the platform's own namespace (${PLATFORM_NAMESPACES}): it cannot be registered to an agency`,
        )
      const canonical = canonicalNamespace(input.namespace)
      return db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('lineage_namespaces')
          .values({
            namespace: input.namespace,
            canonical,
            agency: input.agency,
            registered_by: by,
            registered_at: now,
          })
          .onConflict((oc) => oc.doNothing())
          .returningAll()
          .executeTakeFirst()
        if (inserted) {
          const registration = rowToNamespace(inserted)
          await within?.(trx as unknown as Kysely<unknown>, registration)
          return { registration, created: true }
        }
        const held = await byCanonical(trx, canonical)
        if (held && held.namespace === input.namespace && held.agency === input.agency)
          return { registration: rowToNamespace(held), created: false }
        throw new ConflictError(
          held
            ? `Lineage namespace '${input.namespace}' is already registered${held.namespace === input.namespace ? '' : ` as '${held.namespace}'`} to ${held.agency}: unregister it first to move it`
            : `Lineage namespace '${input.namespace}' is being registered by someone else: try again`,
        )
      })
    },

    async unregister(namespace, within) {
      return db.transaction().execute(async (trx) => {
        const removed = await trx
          .deleteFrom('lineage_namespaces')
          .where('canonical', '=', canonicalNamespace(namespace))
          .returningAll()
          .executeTakeFirst()
        if (!removed) return undefined
        const registration = rowToNamespace(removed)
        await within?.(trx as unknown as Kysely<unknown>, registration)
        return registration
      })
    },

    async list() {
      const rows = await db
        .selectFrom('lineage_namespaces')
        .selectAll()
        .orderBy('agency')
        .orderBy('namespace')
        .execute()
      return rows.map(rowToNamespace)
    },

    async ownersOf(namespaces) {
      const canonical = [...new Set(namespaces.map(canonicalNamespace))]
      const owners = new Map<string, LineageNamespace>()
      if (canonical.length === 0) return owners
      const rows = await db
        .selectFrom('lineage_namespaces')
        .selectAll()
        .where('canonical', 'in', canonical)
        .execute()
      for (const row of rows) owners.set(row.canonical, rowToNamespace(row))
      return owners
    },
  }
}
