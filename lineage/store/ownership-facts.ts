import { type Kysely, type Selectable, sql } from 'kysely'
import type { LineageTables } from '../lineage-tables.js'
import { canonicalNamespace, type LineageNamespace } from '../namespace-ownership.js'
import { rowToNamespace } from '../namespace-store.js'

/** What the ownership checks of events read (see `refusalsOf`). */
export interface OwnershipFacts {
  /** The registrations of the namespaces asked about, keyed by their canonical form. */
  owners: Map<string, LineageNamespace>
  /** The job each run asked about belongs to (runs not yet known are absent). */
  runJobs: Map<string, { namespace: string; name: string }>
  /** Which of the datasets asked about the graph already holds, as `namespace\nname` keys. */
  known: Set<string>
}

/**
 * The facts in one statement (a round trip, where three separate reads cost three), its text the
 * same whatever the counts (lists travel as arrays).
 */
export async function readOwnershipFacts(
  db: Kysely<LineageTables>,
  asked: {
    namespaces: readonly string[]
    runIds: readonly string[]
    datasets: readonly { namespace: string; name: string }[]
  },
): Promise<OwnershipFacts> {
  const canonical = [...new Set(asked.namespaces.map(canonicalNamespace))]
  const runIds = [...new Set(asked.runIds)]
  const { rows } = await sql<{
    owners: Selectable<LineageTables['lineage_namespaces']>[]
    runs: [string, string, string][]
    known: [string, string][]
  }>`select
      (select coalesce(jsonb_agg(to_jsonb(n)), '[]') from lineage_namespaces n
        where n.canonical = any(${canonical}::text[])) as owners,
      (select coalesce(jsonb_agg(jsonb_build_array(r.run_id, r.job_namespace, r.job_name)), '[]')
        from lineage_runs r where r.run_id = any(${runIds}::text[])) as runs,
      (select coalesce(jsonb_agg(jsonb_build_array(d.namespace, d.name)), '[]')
        from lineage_datasets d
        join unnest(${asked.datasets.map((d) => d.namespace)}::text[],
          ${asked.datasets.map((d) => d.name)}::text[]) as asked(namespace, name)
          on d.namespace = asked.namespace and d.name = asked.name) as known`.execute(db)
  const [facts] = rows
  return {
    owners: new Map((facts?.owners ?? []).map((row) => [row.canonical, rowToNamespace(row)])),
    runJobs: new Map(
      (facts?.runs ?? []).map(([runId, namespace, name]) => [runId, { namespace, name }]),
    ),
    known: new Set((facts?.known ?? []).map(([namespace, name]) => `${namespace}\n${name}`)),
  }
}
