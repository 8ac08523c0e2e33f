import type { Kysely } from 'kysely'
import type { AppAbility, User } from '../identity/index.js'
import { grantPseudonymScope, type PseudonymScope } from '../keys/index.js'
import type { RowCondition } from './access-request.js'
import type { AccessTables } from './access-tables.js'
import { type ColumnRead, readEntitlements, type VersionRead } from './entitlement-reads.js'

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

/**
 * What `user` may read at `now`. With `only.dataset` (its id or slug), only their entitlements to
 * that dataset, for a download or a preview of it: the same entitlements of it as the whole list
 * holds, read without the rest of the catalogue.
 */
export async function entitlementsFor(
  db: Kysely<AccessTables>,
  user: User | undefined,
  ability: AppAbility,
  now: Date,
  only?: { dataset: string },
): Promise<Entitlement[]> {
  if (!user) return []
  const { discoverable, grants } = await readEntitlements(db, user, ability, now, only?.dataset)
  const schemaOf = (columns: ColumnRead[]) =>
    columns.map((c) => ({ name: c.name, type: c.type, personalData: c.personal_data }))
  const filesOf = (versions: VersionRead[]) =>
    versions.map((v) => ({ version: Number(v.version), path: v.path }))

  const entitlements: Entitlement[] = []
  for (const d of discoverable) {
    const dataset = { id: d.id, slug: d.slug, title: d.title, agency: d.agency }
    if (d.security_classification === 'official-open') {
      entitlements.push({
        dataset,
        scope: 'full',
        basis: 'open-data',
        grantId: undefined,
        files: filesOf(d.versions),
        columns: undefined,
        rowFilter: [],
        inClear: [],
        schema: schemaOf(d.columns),
        expiresAt: undefined,
        pseudonymScope: 'sample',
      })
      continue
    }
    // Samples are for data shared "sample at once, full by approval": up to Confidential
    // (Cloud-Eligible) and not Sensitive-High, whoever may discover the rest.
    const sample = d.sample
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
        schema: schemaOf(d.columns),
        expiresAt: undefined,
        pseudonymScope: 'sample',
      })
  }
  for (const g of grants) {
    const grantedAt = new Date(g.granted_at)
    entitlements.push({
      dataset: { id: g.dataset_id, slug: g.slug, title: g.title, agency: g.agency },
      scope: g.scope === 'aggregates' ? 'aggregates' : 'full',
      basis: 'grant',
      grantId: g.id,
      // Aggregates stay on the version approved: a new one (a person more, say) would let an
      // answer made again differ from its earlier release unseen.
      files:
        g.scope === 'aggregates'
          ? filesOf(g.versions.filter((v) => new Date(v.created_at) <= grantedAt).slice(0, 1))
          : filesOf(g.versions),
      columns: g.columns ?? undefined,
      rowFilter: g.row_filter as RowCondition[],
      inClear: g.in_clear,
      schema: schemaOf(g.columns_of_dataset),
      expiresAt: new Date(g.expires_at),
      pseudonymScope: grantPseudonymScope({
        id: g.id,
        granteeId: user.id,
        project: g.project?.name,
      }),
    })
  }
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
