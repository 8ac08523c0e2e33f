import { type Kysely, sql } from 'kysely'
import { coalesce } from '../core/index.js'
import type { CatalogTables } from './catalog-tables.js'

/** The facets a search can be narrowed by, each counted in every answer. */
export const FACETS = [
  'agency',
  'ministryFamily',
  'trustedCentre',
  'security',
  'sensitivity',
  'theme',
  'frequency',
  'sample',
] as const
export type Facet = (typeof FACETS)[number]

/** No value (a dataset whose agency has no Ministry family, say). */
const NONE = -1

/** One facet's values as small codes per dataset ordinal, with the dictionary of codes. */
class FacetColumn {
  readonly values: string[] = []
  private readonly codes = new Map<string, number>()

  code(value: string | null): number {
    if (value === null) return NONE
    let code = this.codes.get(value)
    if (code === undefined) {
      code = this.values.length
      this.values.push(value)
      this.codes.set(value, code)
    }
    return code
  }

  /** The codes of the given values; values never seen match nothing. */
  codesOf(values: readonly string[]): Set<number> {
    return new Set(values.flatMap((v) => this.codes.get(v) ?? []))
  }
}

interface FacetRow {
  xmin: string
  /** Ordinals of the datasets removed since the last refresh. */
  removed: number[]
  /** Ministry family by agency code (a handful of rows, read whole each time). */
  families: Record<string, string | null> | string | null
  /** Agency names by code, for facet labels. */
  names: Record<string, string> | string | null
  ordinal: number | null
  /** The transaction that last changed the row (xid8; below 2^53 for ages yet). */
  changed_xid: string | null
  title: string
  agency: string
  trusted_centre: string
  security_classification: string
  sensitivity: string
  themes: string[]
  update_frequency: string
  sample_available: boolean
}

/** The facets with one value per dataset (a dataset may have several themes). */
export type SingleFacet = Exclude<Facet, 'theme'>
export const SINGLE_FACETS = FACETS.filter((f): f is SingleFacet => f !== 'theme')
/** The facets read from the row itself; the Ministry family is the agency's. */
const STORED = SINGLE_FACETS.filter((f) => f !== 'ministryFamily')

/** Theme codes of ordinal o: `codes[starts[o]]` up to, not including, `codes[starts[o + 1]]`. */
export interface ThemeTable {
  starts: Int32Array
  codes: Int32Array
}

/** What the read rules test of a dataset (and nothing else: see accessibleWhere's columns). */
export interface AccessCombination {
  agency: string
  security: string
  sensitivity: string
}

/**
 * The facet values of every dataset, held in memory as codes by search ordinal so that counting
 * eight facets over tens of thousands of matches is a loop over numbers rather than eight
 * GROUP BYs. Which datasets match, and which the caller may see, is always decided in SQL (the
 * read rules by row, or once per combination of the values they test: see allowedCombinations);
 * this only knows what to count them under, and which datasets exist. It refreshes before each use from the rows changed since
 * its last refresh, tracked by transaction id: every transaction still running at a refresh has
 * an id at or above that refresh's snapshot xmin, so a later commit is never missed.
 */
export class FacetValues {
  private readonly dictionaries = Object.fromEntries(
    FACETS.map((f) => [f, new FacetColumn()]),
  ) as Record<Facet, FacetColumn>
  /** Code by ordinal for each single-valued facet (NONE where unknown). */
  private codes = Object.fromEntries(
    SINGLE_FACETS.map((f) => [f, new Int32Array(0).fill(NONE)]),
  ) as Record<SingleFacet, Int32Array>
  private readonly themes: number[][] = []
  /** The themes flattened for counting, made again only after themes change. */
  private themesFlat: ThemeTable | undefined
  /** Per ordinal, its index in `combinations`; NONE where no dataset has the ordinal (any more). */
  private access = new Int32Array(0).fill(NONE)
  private readonly combinations: AccessCombination[] = []
  private readonly combinationIndex = new Map<string, number>()
  /** Bumped whenever a refresh finds a dataset changed, added or removed. */
  private changes = 0
  /**
   * Per ordinal, the transaction whose change was read last: a transaction open elsewhere holds
   * the snapshot's xmin back, so the same rows come again at each refresh until it ends, and a
   * row read again unchanged must not make every kept answer stale.
   */
  private readAt = new Float64Array(0)
  private readonly titles: string[] = []
  /** Each ordinal's place in title order, worked out again only after titles change. */
  private titleOrder: Int32Array | undefined
  private xmin = '0'
  private families: string | undefined
  private agencyNames = new Map<string, string>()
  /**
   * One refresh at a time, in order, so that an older snapshot never overwrites a newer one;
   * callers arriving while one runs share the next, whose snapshot is taken after they called (a
   * search per caller would otherwise queue a read per caller, one after the other).
   */
  private readonly refreshes = coalesce(() => this.load())
  private readonly db: Kysely<CatalogTables>

  constructor(db: Kysely<CatalogTables>) {
    this.db = db
  }

  /** Brings the values up to date with everything committed before the call. */
  refresh(): Promise<void> {
    return this.refreshes.request()
  }

  /** Counts the refreshes that found datasets changed: what was read at another is stale. */
  get generation(): number {
    return this.changes
  }

  /** Every distinct combination of what the read rules test, by index; the list only grows. */
  accessCombinations(): readonly AccessCombination[] {
    return this.combinations
  }

  /** The ordinals of every dataset whose combination is allowed (by index, 1 = may read). */
  ordinalsAllowed(allowed: Uint8Array): Int32Array {
    const access = this.access
    const found = new Int32Array(access.length)
    let n = 0
    for (let ordinal = 0; ordinal < access.length; ordinal++) {
      const combination = access[ordinal] as number
      if (combination !== NONE && allowed[combination] === 1) found[n++] = ordinal
    }
    return found.slice(0, n)
  }

  title(ordinal: number): string {
    return this.titles[ordinal] ?? ''
  }

  /** Place in title order by ordinal: ties between equal ranks compare two numbers, not texts. */
  titleRanks(): Int32Array {
    if (!this.titleOrder) {
      const ordinals = Array.from(this.titles.keys())
      ordinals.sort((a, b) => {
        const ta = this.titles[a] ?? ''
        const tb = this.titles[b] ?? ''
        return ta < tb ? -1 : ta > tb ? 1 : a - b
      })
      const ranks = new Int32Array(this.titles.length)
      for (const [rank, ordinal] of ordinals.entries()) ranks[ordinal] = rank
      this.titleOrder = ranks
    }
    return this.titleOrder
  }

  /** Codes by ordinal of one facet: read it once, then index it in a loop. */
  column(facet: SingleFacet): Int32Array {
    return this.codes[facet]
  }

  /** Every ordinal's theme codes in one array: a loop over numbers, not over arrays of arrays. */
  themeTable(): ThemeTable {
    if (!this.themesFlat) {
      const size = this.codes.agency.length
      const starts = new Int32Array(size + 1)
      let n = 0
      for (let ordinal = 0; ordinal < size; ordinal++) {
        starts[ordinal] = n
        n += this.themes[ordinal]?.length ?? 0
      }
      starts[size] = n
      const codes = new Int32Array(n)
      for (let ordinal = 0; ordinal < size; ordinal++)
        codes.set(this.themes[ordinal] ?? [], starts[ordinal])
      this.themesFlat = { starts, codes }
    }
    return this.themesFlat
  }

  codesOf(facet: Facet, values: readonly string[]): Set<number> {
    return this.dictionaries[facet].codesOf(values)
  }

  valueOf(facet: Facet, code: number): string | undefined {
    return this.dictionaries[facet].values[code]
  }

  /** An agency's name by its code, as the roster has it. */
  agencyName(code: string): string | undefined {
    return this.agencyNames.get(code)
  }

  size(facet: Facet): number {
    return this.dictionaries[facet].values.length
  }

  private async load(): Promise<void> {
    const { rows } = await sql<FacetRow>`
      with snap as (select pg_snapshot_xmin(pg_current_snapshot())::text as xmin,
        (select json_object_agg(a.code, a.ministry_family) from agencies a) as families,
        (select json_object_agg(a.code, a.name) from agencies a) as names,
        (select coalesce(array_agg(r.ordinal), '{}') from dataset_search_removed r
          where r.removed_xid >= ${this.xmin}::xid8) as removed)
      select snap.xmin, snap.families, snap.names, snap.removed, s.ordinal, s.changed_xid::text, s.title, s.agency, s.trusted_centre,
        s.security_classification, s.sensitivity, s.themes, s.update_frequency, s.sample_available
      from snap left join dataset_search s on s.changed_xid >= ${this.xmin}::xid8`.execute(this.db)
    const first = rows[0]
    if (!first) return
    const highest = rows.reduce((max, r) => Math.max(max, r.ordinal ?? 0), 0)
    if (highest >= (this.codes.agency.length ?? 0)) this.grow(highest + 1)
    let changed = false
    for (const row of rows) {
      if (row.ordinal === null) continue
      const xid = Number(row.changed_xid)
      if (this.readAt[row.ordinal] !== xid) changed = true
      this.readAt[row.ordinal] = xid
      const text: Record<(typeof STORED)[number], string> = {
        agency: row.agency,
        trustedCentre: row.trusted_centre,
        security: row.security_classification,
        sensitivity: row.sensitivity,
        frequency: row.update_frequency,
        sample: row.sample_available ? 'available' : 'none',
      }
      for (const facet of STORED)
        this.codes[facet][row.ordinal] = this.dictionaries[facet].code(text[facet])
      this.themes[row.ordinal] = row.themes.map((t) => this.dictionaries.theme.code(t))
      this.titles[row.ordinal] = row.title
      this.titleOrder = undefined
      this.themesFlat = undefined
      this.access[row.ordinal] = this.combinationOf(row)
    }
    for (const ordinal of first.removed) {
      if (ordinal >= this.access.length || this.access[ordinal] === NONE) continue
      this.access[ordinal] = NONE
      changed = true
    }
    if (changed) this.changes++
    this.xmin = first.xmin
    const names = typeof first.names === 'string' ? JSON.parse(first.names) : first.names
    this.agencyNames = new Map(Object.entries<string>(names ?? {}))
    // Agencies are a handful of rows, read whole each time, so a changed family shows at once.
    const familiesText =
      typeof first.families === 'string' ? first.families : JSON.stringify(first.families)
    if (!changed && familiesText === this.families) return
    this.families = familiesText
    const families = JSON.parse(familiesText ?? '{}') as Record<string, string | null> | null
    const familyOfAgency = new Map<number, number>()
    for (const [agency, family] of Object.entries<string | null>(families ?? {}))
      familyOfAgency.set(
        this.dictionaries.agency.code(agency),
        this.dictionaries.ministryFamily.code(family),
      )
    const agencies = this.codes.agency
    const family = this.codes.ministryFamily
    for (let ordinal = 0; ordinal < agencies.length; ordinal++)
      family[ordinal] = familyOfAgency.get(agencies[ordinal] ?? NONE) ?? NONE
  }

  private combinationOf(row: FacetRow): number {
    const key = `${row.agency}\u0000${row.security_classification}\u0000${row.sensitivity}`
    let index = this.combinationIndex.get(key)
    if (index === undefined) {
      index = this.combinations.length
      this.combinations.push({
        agency: row.agency,
        security: row.security_classification,
        sensitivity: row.sensitivity,
      })
      this.combinationIndex.set(key, index)
    }
    return index
  }

  /** Room for ordinals up to `size` (doubling, so loading row by row stays linear). */
  private grow(size: number): void {
    const capacity = Math.max(size, 2 * (this.codes.agency.length ?? 0), 1024)
    const widen = (codes: Int32Array) => {
      const next = new Int32Array(capacity).fill(NONE)
      next.set(codes)
      return next
    }
    for (const facet of SINGLE_FACETS) this.codes[facet] = widen(this.codes[facet])
    this.access = widen(this.access)
    const readAt = new Float64Array(capacity)
    readAt.set(this.readAt)
    this.readAt = readAt
  }
}
