import { type Kysely, type SqlBool, sql } from 'kysely'
import { type AppAbility, accessibleWhere, type User } from '../identity/index.js'
import { grantPseudonymScope, type PseudonymScope } from '../keys/index.js'
import type { RowCondition } from './access-request.js'
import type { AccessTables } from './access-tables.js'

/**
 * What a person may read, and how much of it: the one answer the query service builds its views
 * from. Worked out at the moment of asking, so a grant works the instant it is approved and stops
 * the instant it expires or is revoked, with no job to run.
 */
export interface Entitlement {
  dataset: { id: string; slug: string; title: string; agency: string }
  /**
   * `full`: the published versions; `sample`: the de-identified sample of the latest version;
   * `aggregates`: the published versions, read only through aggregate queries whose answers
   * pass output checks (never row by row, never as a file).
   */
  scope: 'full' | 'sample' | 'aggregates'
  /** Why: Official (Open) data is open to all; a grant; a sample anyone who may discover it sees. */
  basis: 'open-data' | 'grant' | 'sample'
  grantId: string | undefined
  /** Files under the data directory, newest version first. */
  files: { version: number; path: string }[]
  /** Undefined: every column. */
  columns: string[] | undefined
  /** Every condition must hold for a row to be read. */
  rowFilter: RowCondition[]
  /** Direct identifiers shown in clear; all others are masked. Samples are masked already. */
  inClear: string[]
  /** The dataset's columns in order, with what they say about people. */
  schema: { name: string; type: string; personalData: string }[]
  /** Undefined: no end. */
  expiresAt: Date | undefined
  /**
   * Whose key masks the direct identifiers it shows: the grantee's project (or the grant itself),
   * so that two projects cannot join their extracts; `sample` for everything else.
   */
  pseudonymScope: PseudonymScope
}

/** Security levels whose datasets offer a de-identified sample (Official (Open) is open in full). */
const SAMPLED = new Set(['official-closed', 'restricted', 'confidential-cloud-eligible'])

export async function entitlementsFor(
  db: Kysely<AccessTables>,
  user: User | undefined,
  ability: AppAbility,
  now: Date,
): Promise<Entitlement[]> {
  if (!user) return []
  const discoverable = await db
    .selectFrom('datasets as d')
    .select(['d.id', 'd.slug', 'd.title', 'd.agency', 'd.security_classification', 'd.sensitivity'])
    .where(
      accessibleWhere(ability, 'read', 'Dataset', {
        agency: 'd.agency',
        security: 'd.security_classification',
        sensitivity: 'd.sensitivity',
      }),
    )
    .execute()
  const grants = await db
    .selectFrom('grants as g')
    .innerJoin('datasets as d', 'd.id', 'g.dataset_id')
    .innerJoin('access_requests as r', 'r.id', 'g.request_id')
    .select('r.project')
    .select([
      'g.id',
      'g.columns',
      'g.row_filter',
      'g.in_clear',
      'g.scope',
      'g.granted_at',
      'g.expires_at',
      'd.id as dataset_id',
    ])
    .select(['d.slug', 'd.title', 'd.agency'])
    .where('g.grantee_id', '=', user.id)
    .where('g.revoked_at', 'is', null)
    .where('g.expires_at', '>', now)
    // Oldest first: a second grant of one dataset is always `…_2`, from one call to the next.
    .orderBy('g.granted_at')
    .orderBy('g.id')
    .execute()
  const ids = [...new Set([...discoverable.map((d) => d.id), ...grants.map((g) => g.dataset_id)])]
  if (ids.length === 0) return []
  const [versions, samples, columns] = await Promise.all([
    db
      .selectFrom('dataset_versions')
      .select(['dataset_id', 'version', 'path', 'created_at'])
      .where('dataset_id', 'in', ids)
      .orderBy('version', 'desc')
      .execute(),
    db
      .selectFrom('dataset_samples as s')
      .select(['s.dataset_id', 's.version', 's.path'])
      .where('s.dataset_id', 'in', ids)
      .where('s.status', '=', 'published')
      .where(
        sql<SqlBool>`s.version = (select max(v.version) from dataset_versions v
          where v.dataset_id = s.dataset_id)`,
      )
      .execute(),
    db
      .selectFrom('dataset_columns')
      .select(['dataset_id', 'name', 'type', 'personal_data'])
      .where('dataset_id', 'in', ids)
      .orderBy('position')
      .execute(),
  ])
  const schemaOf = (datasetId: string) =>
    columns
      .filter((c) => c.dataset_id === datasetId)
      .map((c) => ({ name: c.name, type: c.type, personalData: c.personal_data }))
  const filesOf = (datasetId: string) =>
    versions
      .filter((v) => v.dataset_id === datasetId)
      .map((v) => ({ version: Number(v.version), path: v.path }))

  const entitlements: Entitlement[] = []
  for (const d of discoverable) {
    const dataset = { id: d.id, slug: d.slug, title: d.title, agency: d.agency }
    if (d.security_classification === 'official-open') {
      entitlements.push({
        dataset,
        scope: 'full',
        basis: 'open-data',
        grantId: undefined,
        files: filesOf(d.id),
        columns: undefined,
        rowFilter: [],
        inClear: [],
        schema: schemaOf(d.id),
        expiresAt: undefined,
        pseudonymScope: 'sample',
      })
      continue
    }
    // Samples are for data shared "sample at once, full by approval": up to Confidential
    // (Cloud-Eligible) and not Sensitive-High, whoever may discover the rest.
    const sample = samples.find((s) => s.dataset_id === d.id)
    if (
      SAMPLED.has(d.security_classification) &&
      d.sensitivity !== 'sensitive-high' &&
      sample?.path
    )
      entitlements.push({
        dataset,
        scope: 'sample',
        basis: 'sample',
        grantId: undefined,
        files: [{ version: Number(sample.version), path: sample.path }],
        columns: undefined,
        rowFilter: [],
        inClear: [],
        schema: schemaOf(d.id),
        expiresAt: undefined,
        pseudonymScope: 'sample',
      })
  }
  for (const g of grants)
    entitlements.push({
      dataset: { id: g.dataset_id, slug: g.slug, title: g.title, agency: g.agency },
      scope: g.scope === 'aggregates' ? 'aggregates' : 'full',
      basis: 'grant',
      grantId: g.id,
      // Aggregates stay on the version approved: a new one (a person more, say) would let an
      // answer made again differ from its earlier release unseen.
      files:
        g.scope === 'aggregates'
          ? versions
              .filter((v) => v.dataset_id === g.dataset_id && v.created_at <= g.granted_at)
              .slice(0, 1)
              .map((v) => ({ version: Number(v.version), path: v.path }))
          : filesOf(g.dataset_id),
      columns: g.columns ?? undefined,
      rowFilter: g.row_filter as RowCondition[],
      inClear: g.in_clear,
      schema: schemaOf(g.dataset_id),
      expiresAt: g.expires_at,
      pseudonymScope: grantPseudonymScope({
        id: g.id,
        granteeId: user.id,
        project: g.project?.name,
      }),
    })
  return entitlements
}

/** The grants in force now (neither revoked nor expired): what may still have projections. */
export async function liveGrantIds(db: Kysely<AccessTables>, now: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('grants')
    .select('id')
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .execute()
  return rows.map((r) => r.id)
}
