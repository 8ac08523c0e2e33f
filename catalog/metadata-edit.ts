import type { Kysely } from 'kysely'
import { InvalidInputError } from '../core/index.js'
import { type AppAbility, asSubject, assertCan } from '../identity/index.js'
import type { CatalogTables } from './catalog-tables.js'
import { refreshColumnsText } from './columns-text.js'
import type { DatasetDetail, PersonalDataKind } from './dataset.js'
import { linkColumnTerms } from './glossary.js'

/** What a steward may change about a dataset; absent fields stay as they are. */
export interface MetadataPatch {
  title?: string
  description?: string
  tags?: string[]
  themes?: string[]
  licence?: string
  contactEmail?: string
  coverage?: { start: string | null; end: string | null }
  /** Levels samples should keep where k allows: { geography: 'planning area' }. */
  sampleKeep?: Record<string, string>
  columns?: {
    name: string
    description?: string
    isCoreField?: boolean
    authoritySsot?: string | null
    /** Replaces the column's glossary terms. */
    glossary?: string[]
    /** Relabels what the column holds about people, saying why (samples then follow it). */
    personalData?: { kind: PersonalDataKind; reason: string }
  }[]
}

/** One recorded change: which field, from what, to what, by whom. */
export interface MetadataChange {
  field: string
  oldValue: unknown
  newValue: unknown
  actor: string
  changedAt: Date
}

/**
 * Applies a steward's edit, field by field, recording every change with its old and new value.
 * Only those the rules let update the dataset may; nothing is written unless all of it is valid.
 */
export async function editMetadata(
  db: Kysely<CatalogTables>,
  dataset: DatasetDetail,
  patch: MetadataPatch,
  actor: { id: string; name: string },
  ability: AppAbility,
  now: Date,
): Promise<MetadataChange[]> {
  assertCan(
    ability,
    'update',
    asSubject('Dataset', {
      agency: dataset.agency,
      security: dataset.classification.security,
      sensitivity: dataset.classification.sensitivity,
    }),
  )
  const known = new Map(dataset.columns.map((c) => [c.name, c]))
  const unknown = (patch.columns ?? []).filter((c) => !known.has(c.name)).map((c) => c.name)
  if (unknown.length > 0)
    throw new InvalidInputError(
      `Dataset '${dataset.slug}' has no column ${unknown.map((n) => `'${n}'`).join(', ')}`,
    )

  const changes: MetadataChange[] = []
  const change = (field: string, oldValue: unknown, newValue: unknown) => {
    if (newValue !== undefined && JSON.stringify(oldValue) !== JSON.stringify(newValue)) {
      changes.push({ field, oldValue, newValue, actor: actor.name, changedAt: now })
    }
  }
  change('title', dataset.title, patch.title)
  change('description', dataset.description, patch.description)
  change('tags', dataset.tags, patch.tags)
  change('themes', dataset.themes, patch.themes)
  change('licence', dataset.licence, patch.licence)
  change('contactEmail', dataset.contactEmail, patch.contactEmail)
  const notHierarchies = Object.keys(patch.sampleKeep ?? {}).filter(
    (name) => name !== 'geography' && !known.has(name),
  )
  if (notHierarchies.length > 0)
    throw new InvalidInputError(
      `sampleKeep: ${notHierarchies.map((n) => `'${n}'`).join(', ')} is neither 'geography' nor a column of '${dataset.slug}'`,
    )
  change('sampleKeep', dataset.sampleKeep, patch.sampleKeep)
  change(
    'coverage',
    { start: dataset.coverage.start ?? null, end: dataset.coverage.end ?? null },
    patch.coverage,
  )
  for (const column of patch.columns ?? []) {
    const current = known.get(column.name)
    change(`columns.${column.name}.description`, current?.description, column.description)
    change(`columns.${column.name}.isCoreField`, current?.isCoreField, column.isCoreField)
    change(
      `columns.${column.name}.authoritySsot`,
      current?.authoritySsot ?? null,
      column.authoritySsot,
    )
    change(
      `columns.${column.name}.glossary`,
      (dataset.glossary[column.name] ?? []).map((t) => t.term).sort(),
      column.glossary && [...column.glossary].sort(),
    )
    change(
      `columns.${column.name}.personalData`,
      { kind: current?.personalData, reason: current?.personalDataReason ?? null },
      column.personalData,
    )
  }
  if (changes.length === 0) return []

  await db.transaction().execute(async (trx) => {
    const tags = patch.tags ?? dataset.tags
    const themes = patch.themes ?? dataset.themes
    await trx
      .updateTable('datasets')
      .set({
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.licence !== undefined ? { licence: patch.licence } : {}),
        ...(patch.contactEmail !== undefined ? { contact_email: patch.contactEmail } : {}),
        ...(patch.sampleKeep !== undefined
          ? { sample_keep: JSON.stringify(patch.sampleKeep) }
          : {}),
        ...(patch.coverage !== undefined
          ? {
              coverage_start: patch.coverage.start ? new Date(patch.coverage.start) : null,
              coverage_end: patch.coverage.end ? new Date(patch.coverage.end) : null,
            }
          : {}),
        tags,
        themes,
        tags_text: [...themes, ...tags].join(' '),
        updated_at: now,
      })
      .where('id', '=', dataset.id)
      .execute()
    for (const column of patch.columns ?? []) {
      const values = {
        ...(column.description !== undefined ? { description: column.description } : {}),
        ...(column.isCoreField !== undefined ? { is_core_field: column.isCoreField } : {}),
        ...(column.authoritySsot !== undefined ? { authority_ssot: column.authoritySsot } : {}),
        ...(column.personalData !== undefined
          ? {
              personal_data: column.personalData.kind,
              personal_data_reason: column.personalData.reason,
            }
          : {}),
      }
      if (Object.keys(values).length > 0) {
        await trx
          .updateTable('dataset_columns')
          .set(values)
          .where('dataset_id', '=', dataset.id)
          .where('name', '=', column.name)
          .execute()
      }
      if (column.glossary !== undefined)
        await linkColumnTerms(trx, dataset.id, column.name, column.glossary)
    }
    await refreshColumnsText(trx, dataset.id)
    await trx
      .insertInto('dataset_changes')
      .values(
        changes.map((c) => ({
          dataset_id: dataset.id,
          changed_at: c.changedAt,
          actor_id: actor.id,
          actor: actor.name,
          field: c.field,
          old_value: JSON.stringify(c.oldValue ?? null),
          new_value: JSON.stringify(c.newValue ?? null),
        })),
      )
      .execute()
  })
  return changes
}

/** A dataset's metadata history, newest first. */
export async function listChanges(
  db: Kysely<CatalogTables>,
  datasetId: string,
): Promise<MetadataChange[]> {
  const rows = await db
    .selectFrom('dataset_changes')
    .selectAll()
    .where('dataset_id', '=', datasetId)
    .orderBy('id', 'desc')
    .limit(500)
    .execute()
  return rows.map((r) => ({
    field: r.field,
    oldValue: r.old_value,
    newValue: r.new_value,
    actor: r.actor,
    changedAt: r.changed_at,
  }))
}

/** Counts a view of the dataset page towards its popularity. */
export async function recordView(db: Kysely<CatalogTables>, datasetId: string): Promise<void> {
  await recordUse(db, datasetId, 'views')
}

/** Counts one use of a dataset towards its popularity: a page view, a query, a download. */
export async function recordUse(
  db: Kysely<CatalogTables>,
  datasetId: string,
  kind: 'views' | 'queries' | 'downloads',
): Promise<void> {
  await db
    .insertInto('dataset_stats')
    .values({ dataset_id: datasetId, [kind]: 1 })
    .onConflict((oc) =>
      oc
        .column('dataset_id')
        .doUpdateSet((eb) => ({ [kind]: eb(`dataset_stats.${kind}`, '+', 1) })),
    )
    .execute()
}
