import { sql, type Transaction } from 'kysely'
import type { Facets } from '../events.js'
import type { LineageTables } from '../lineage-tables.js'
import type { Step } from './packed-statements.js'
import { chunked, inRounds } from './rounds.js'

/** One string per job or dataset, to group an event's mentions of it. */
export const entityKey = (e: { namespace: string; name: string }) => `${e.namespace}\u0000${e.name}`

/** An entity's facets as an event brings them: the ones to keep, and the ones it deletes. */
export function facetChange(facets: Facets | undefined) {
  const kept: Facets = {}
  const deleted: string[] = []
  for (const [key, facet] of Object.entries(facets ?? {}))
    if (facet?._deleted === true) deleted.push(key)
    else kept[key] = facet
  return { kept, deleted }
}

/** Every mention of the same entity in one event, its facet changes merged in order. */
function mergeMentions(refs: readonly { namespace: string; name: string; facets?: Facets }[]) {
  const byKey = new Map<
    string,
    { namespace: string; name: string; kept: Facets; deleted: string[] }
  >()
  for (const ref of refs) {
    const change = facetChange(ref.facets)
    const found = byKey.get(entityKey(ref))
    if (found) {
      Object.assign(found.kept, change.kept)
      found.deleted.push(...change.deleted)
    } else byKey.set(entityKey(ref), { namespace: ref.namespace, name: ref.name, ...change })
  }
  return [...byKey.values()]
}

/** One event's mentions of jobs or datasets, at that event's time. */
export interface EntityMentions {
  refs: readonly { namespace: string; name: string; facets?: Facets }[]
  time: Date
}

/**
 * The steps (see `runPacked`) upserting jobs or datasets of many events, one per round (see
 * {@link inRounds}) for all of them: a facet replaces its predecessor of the same key whole, the
 * newest by event time winning (an older event only adds keys not yet known); `_deleted: true`
 * removes it. An event without facets changes nothing.
 */
export function entitySteps(
  trx: Transaction<LineageTables>,
  table: 'lineage_jobs' | 'lineage_datasets',
  events: readonly EntityMentions[],
): Step[] {
  const rows = events.flatMap((e) => mergeMentions(e.refs).map((r) => ({ ...r, time: e.time })))
  return inRounds(rows, entityKey).flatMap((round) =>
    chunked(round).flatMap((chunk) => upsertRound(trx, table, chunk)),
  )
}

/** Rows of distinct entities, in one step (and one more when some delete facets). */
function upsertRound(
  trx: Transaction<LineageTables>,
  table: 'lineage_jobs' | 'lineage_datasets',
  rows: readonly (ReturnType<typeof mergeMentions>[number] & { time: Date })[],
) {
  // Deleted keys travel in the row's facets under a reserved key, so one statement serves all.
  const DELETED = '__deleted'
  const upsert = trx
    .insertInto(table)
    .values(
      rows.map((r) => ({
        namespace: r.namespace,
        name: r.name,
        facets: JSON.stringify({
          ...r.kept,
          ...(r.deleted.length > 0 ? { [DELETED]: r.deleted } : {}),
        }),
        facets_time: r.time,
        created_at: r.time,
        updated_at: r.time,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['namespace', 'name'])
        .doUpdateSet({
          facets: sql`case when excluded.facets_time >= ${sql.ref(`${table}.facets_time`)}
              then (${sql.ref(`${table}.facets`)} || (excluded.facets - ${DELETED}))
                - coalesce(array(select jsonb_array_elements_text(excluded.facets -> ${DELETED})), '{}'::text[])
              else (excluded.facets - ${DELETED}) || ${sql.ref(`${table}.facets`)} end`,
          facets_time: sql`greatest(${sql.ref(`${table}.facets_time`)}, excluded.facets_time)`,
          updated_at: sql`greatest(${sql.ref(`${table}.updated_at`)}, excluded.updated_at)`,
        })
        .where(sql<boolean>`excluded.facets <> '{}'::jsonb`),
    )
  // A brand-new row keeps no deletion marker (removed by the next step: a statement does not
  // see its own changes).
  const deleting = rows.filter((r) => r.deleted.length > 0)
  if (deleting.length === 0) return [{ query: upsert }]
  const unmark = trx
    .updateTable(table)
    .set({ facets: sql`facets - ${DELETED}` })
    .where(
      sql<boolean>`(namespace, name) in (${sql.join(deleting.map((r) => sql`(${r.namespace}, ${r.name})`))})`,
    )
  return [{ query: upsert }, { query: unmark }]
}
