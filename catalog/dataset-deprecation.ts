import type { Kysely } from 'kysely'
import { InvalidInputError } from '../core/index.js'
import { type AppAbility, accessibleWhere, asSubject, assertCan } from '../identity/index.js'
import type { CatalogTables } from './catalog-tables.js'
import type { DatasetDetail, DatasetId, Deprecation } from './dataset.js'

/** A steward's deprecation: why, and the successor's id or slug (or null for none). */
export interface DeprecationInput {
  reason: string
  successor: string | null
}

/**
 * Marks the dataset deprecated (or, with null, no longer deprecated), recorded in its metadata
 * history as the field `deprecation`. Only those who may update the dataset may; the successor
 * must be another dataset they may discover. The deprecation as it now is (null when none).
 */
export async function setDeprecation(
  db: Kysely<CatalogTables>,
  dataset: DatasetDetail,
  input: DeprecationInput | null,
  actor: { id: string; name: string },
  ability: AppAbility,
  now: Date,
): Promise<Deprecation | null> {
  assertCan(
    ability,
    'update',
    asSubject('Dataset', {
      agency: dataset.agency,
      security: dataset.classification.security,
      sensitivity: dataset.classification.sensitivity,
    }),
  )
  const successor = input?.successor ? await findSuccessor(db, input.successor, ability) : null
  if (successor && successor.id === dataset.id)
    throw new InvalidInputError('successor: a dataset cannot succeed itself')
  const before = dataset.deprecation
  const recorded = (
    d: { reason: string; successor: { slug: string } | null } | undefined | null,
  ) => (d ? { reason: d.reason, successor: d.successor?.slug ?? null } : null)
  const after = input ? { reason: input.reason, successor } : null
  if (JSON.stringify(recorded(before)) === JSON.stringify(recorded(after))) return before ?? null
  const at = after && before ? before.at : now
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('datasets')
      .set({
        deprecated_at: after ? at : null,
        deprecation_reason: after?.reason ?? null,
        successor_id: after?.successor?.id ?? null,
        updated_at: now,
      })
      .where('id', '=', dataset.id)
      .execute()
    await trx
      .insertInto('dataset_changes')
      .values({
        dataset_id: dataset.id,
        changed_at: now,
        actor_id: actor.id,
        actor: actor.name,
        field: 'deprecation',
        old_value: JSON.stringify(recorded(before)),
        new_value: JSON.stringify(recorded(after)),
      })
      .execute()
  })
  return after ? { at, ...after } : null
}

/** The successor a steward names, by id or slug, if they may discover it. */
async function findSuccessor(db: Kysely<CatalogTables>, key: string, ability: AppAbility) {
  const row = await db
    .selectFrom('datasets')
    .select(['id', 'slug', 'title'])
    .where(key.startsWith('d_') ? 'id' : 'slug', '=', key)
    .where(readable(ability))
    .executeTakeFirst()
  if (!row) throw new InvalidInputError(`successor: no dataset '${key}' that you may discover`)
  return { id: row.id as DatasetId, slug: row.slug, title: row.title }
}

/**
 * The deprecation of each deprecated dataset among `rows`, its successor shown only to readers
 * who may discover it.
 */
export async function deprecationsOf(
  db: Kysely<CatalogTables>,
  rows: readonly {
    id: string
    deprecated_at: Date | null
    deprecation_reason: string | null
    successor_id: string | null
  }[],
  ability: AppAbility,
): Promise<Map<string, Deprecation>> {
  const deprecated = rows.filter((r) => r.deprecated_at !== null)
  const successorIds = [
    ...new Set(deprecated.flatMap((r) => (r.successor_id ? [r.successor_id] : []))),
  ]
  const successors =
    successorIds.length === 0
      ? []
      : await db
          .selectFrom('datasets')
          .select(['id', 'slug', 'title'])
          .where('id', 'in', successorIds)
          .where(readable(ability))
          .execute()
  const byId = new Map(successors.map((s) => [s.id, { ...s, id: s.id as DatasetId }]))
  return new Map(
    deprecated.map((r) => [
      r.id,
      {
        at: r.deprecated_at as Date,
        reason: r.deprecation_reason ?? '',
        successor: (r.successor_id && byId.get(r.successor_id)) || null,
      },
    ]),
  )
}

/** The caller's read rules for datasets as a SQL condition on the datasets table. */
function readable(ability: AppAbility) {
  return accessibleWhere(ability, 'read', 'Dataset', {
    agency: 'datasets.agency',
    security: 'datasets.security_classification',
    sensitivity: 'datasets.sensitivity',
  })
}
