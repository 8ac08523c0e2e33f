import { DuckDBInstance } from '@duckdb/node-api'
import { describe, expect, it } from 'vitest'
import { assessColumn, type ColumnFacts } from './assess-columns.js'
import { hierarchiesFor } from './hierarchy.js'
import { type EncodedHierarchy, MAX_EXHAUSTIVE_NODES, searchLattice } from './lattice-search.js'

/** A hierarchy over `values` (one per row): level i groups values by `ladders[i]`. */
function encoded(
  name: string,
  values: readonly string[],
  ladders: ((v: string) => string)[],
  extra: Partial<EncodedHierarchy> = {},
): EncodedHierarchy {
  const levels = [(v: string) => v, ...ladders, () => '*']
  const domain = new Set(values).size
  const codes: Int32Array[] = []
  const loss: Float64Array[] = []
  for (const level of levels) {
    const shown = values.map(level)
    const ids = new Map<string, number>()
    codes.push(Int32Array.from(shown.map((s) => ids.get(s) ?? ids.set(s, ids.size).get(s) ?? 0)))
    const covers = (s: string) => new Set(values.filter((v) => level(v) === s)).size
    loss.push(
      Float64Array.from(shown.map((s) => (domain <= 1 ? 0 : (covers(s) - 1) / (domain - 1)))),
    )
  }
  return {
    name,
    width: 1,
    levels: levels.map((_, i) => `level ${i}`),
    codes,
    loss,
    sensitive: false,
    ...extra,
  }
}

/** Smallest class of the rows kept, at the chosen levels. */
function smallestClass(
  hierarchies: readonly EncodedHierarchy[],
  levels: number[],
  dropped: number[],
) {
  const sizes = new Map<string, number>()
  const rows = hierarchies[0]?.codes[0]?.length ?? 0
  for (let row = 0; row < rows; row++) {
    if (dropped.includes(row)) continue
    const key = hierarchies.map((h, i) => h.codes[levels[i] ?? 0]?.[row]).join('|')
    sizes.set(key, (sizes.get(key) ?? 0) + 1)
  }
  return Math.min(...sizes.values())
}

/**
 * The least loss of any node that reaches k suppressing at most `budget` rows, node by node
 * (among the nodes `admit` lets in).
 */
function bruteForceLeastLoss(
  hierarchies: readonly EncodedHierarchy[],
  k: number,
  budget: number,
  admit: (levels: number[]) => boolean = () => true,
) {
  const rows = hierarchies[0]?.codes[0]?.length ?? 0
  let best = Number.POSITIVE_INFINITY
  const visit = (levels: number[]) => {
    if (levels.length < hierarchies.length) {
      for (let l = 0; l < (hierarchies[levels.length]?.levels.length ?? 0); l++)
        visit([...levels, l])
      return
    }
    if (!admit(levels)) return
    const keys = Array.from({ length: rows }, (_, row) =>
      hierarchies.map((h, i) => h.codes[levels[i] ?? 0]?.[row]).join('|'),
    )
    const sizes = new Map<string, number>()
    for (const key of keys) sizes.set(key, (sizes.get(key) ?? 0) + 1)
    const dropped = keys.map((key) => (sizes.get(key) ?? 0) < k)
    if (dropped.filter(Boolean).length > budget) return
    let total = 0
    for (let row = 0; row < rows; row++)
      for (const [i, h] of hierarchies.entries())
        total += dropped[row] ? h.width : (h.loss[levels[i] ?? 0]?.[row] ?? 0) * h.width
    best = Math.min(best, total / (rows * hierarchies.reduce((n, h) => n + h.width, 0)))
  }
  visit([])
  return best
}

// Forty people: ages spread evenly, two sexes, areas clustered so some are rare.
const ages = Array.from({ length: 40 }, (_, i) => String(20 + (i % 40)))
const sexes = Array.from({ length: 40 }, (_, i) => (i % 2 ? 'F' : 'M'))
const areas = Array.from({ length: 40 }, (_, i) => (i < 36 ? `A${i % 3}` : `B${i}`))
const decade = (v: string) => `${Math.floor(Number(v) / 10) * 10}s`
const half = (v: string) => (Number(v) < 40 ? '<40' : '40+')
const region = (v: string) => v[0] ?? ''

describe('the least-loss search of the generalisation lattice', () => {
  it('leaves data that is k-anonymous already as it is', () => {
    const found = searchLattice({
      rows: 40,
      hierarchies: [encoded('sex', sexes, [])],
      k: 5,
      l: 2,
      maxSuppressed: 0,
    })
    expect(found).toMatchObject({ levels: [0], loss: 0, suppressed: [], k: 20 })
  })

  it('reaches k with the least loss, suppressing no more than allowed', () => {
    const hierarchies = [
      encoded('age', ages, [decade, half]),
      encoded('sex', sexes, []),
      encoded('area', areas, [region]),
    ]
    const found = searchLattice({ rows: 40, hierarchies, k: 5, l: 2, maxSuppressed: 4 })
    expect(found).toBeDefined()
    if (!found) return
    expect(found.suppressed.length).toBeLessThanOrEqual(4)
    expect(smallestClass(hierarchies, found.levels, found.suppressed)).toBeGreaterThanOrEqual(5)
    expect(found.k).toBeGreaterThanOrEqual(5)
    // No node that reaches k within the suppression allowed loses less (checked by brute force).
    expect(found.loss).toBeCloseTo(bruteForceLeastLoss(hierarchies, 5, 4), 10)
  })

  it('leaves branches that cannot hold the best node, finding what a search of every node finds', () => {
    // Tables of 60 rows in random hierarchies (levels need not nest), k and budgets varied, a
    // level to keep now and then: the search evaluates far fewer nodes than the lattice holds,
    // and its least loss is the least of every node's, computed one by one.
    let seed = 25
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
      return seed / 2 ** 31
    }
    let evaluated = 0
    let nodes = 0
    for (let problem = 0; problem < 40; problem++) {
      const columns = 2 + Math.floor(random() * 3)
      const hierarchies = Array.from({ length: columns }, (_, c) => {
        const values = Array.from({ length: 60 }, () => String(Math.floor(random() * 12)))
        const ladders = Array.from(
          { length: Math.floor(random() * 3) },
          (_, l) => (v: string) => String((Number(v) * (c + l + 2)) % (5 - l)),
        )
        const keep = random() < 0.3 ? { keepAtMost: Math.floor(random() * ladders.length) } : {}
        return encoded(`c${c}`, values, ladders, keep)
      })
      const k = 2 + Math.floor(random() * 4)
      const budget = Math.floor(random() * 12)
      const found = searchLattice({ rows: 60, hierarchies, k, l: 2, maxSuppressed: budget })
      const kept = (levels: number[]) =>
        hierarchies.every((h, i) => h.keepAtMost === undefined || (levels[i] ?? 0) <= h.keepAtMost)
      const keptBest = bruteForceLeastLoss(hierarchies, k, budget, kept)
      const best = Number.isFinite(keptBest)
        ? keptBest
        : bruteForceLeastLoss(hierarchies, k, budget)
      if (!Number.isFinite(best)) {
        expect(found, `problem ${problem}`).toBeUndefined()
        continue
      }
      expect(found?.loss, `problem ${problem}`).toBeCloseTo(best, 10)
      expect(found?.keptAsAsked, `problem ${problem}`).toBe(
        Number.isFinite(keptBest) || hierarchies.every((h) => h.keepAtMost === undefined),
      )
      evaluated += found?.evaluated ?? 0
      nodes += found?.latticeSize ?? 0
    }
    expect(evaluated).toBeLessThan(nodes / 2)
  })

  it('honours the level a steward asks to keep where k allows, and says when it cannot', () => {
    const kept = searchLattice({
      rows: 40,
      hierarchies: [
        encoded('age', ages, [decade, half], { keepAtMost: 1 }),
        encoded('area', areas, [region]),
      ],
      k: 5,
      l: 2,
      maxSuppressed: 4,
    })
    expect(kept?.levels[0]).toBeLessThanOrEqual(1)
    expect(kept?.keptAsAsked).toBe(true)
    const impossible = searchLattice({
      rows: 40,
      hierarchies: [encoded('age', ages, [decade, half], { keepAtMost: 0 })],
      k: 5,
      l: 2,
      maxSuppressed: 0,
    })
    expect(impossible?.keptAsAsked).toBe(false)
    expect(impossible?.levels[0]).toBeGreaterThan(0)
  })

  it('makes a sensitive column l-diverse within every class, or hides it', () => {
    // Everyone in area A0 has the same condition: showing both would disclose it.
    const condition = areas.map((a, i) => (a === 'A0' ? 'E11' : i % 2 ? 'I10' : 'J45'))
    const hierarchies = [
      encoded('area', areas, [region]),
      encoded('condition', condition, [], { sensitive: true }),
    ]
    const found = searchLattice({ rows: 40, hierarchies, k: 3, l: 2, maxSuppressed: 4 })
    expect(found).toBeDefined()
    if (!found) return
    const [areaLevel = 0, conditionLevel = 0] = found.levels
    if (conditionLevel === 0) {
      const byArea = new Map<number, Set<number>>()
      for (let row = 0; row < 40; row++) {
        if (found.suppressed.includes(row)) continue
        const cls = hierarchies[0]?.codes[areaLevel]?.[row] ?? 0
        byArea.set(cls, (byArea.get(cls) ?? new Set()).add(hierarchies[1]?.codes[0]?.[row] ?? 0))
      }
      for (const values of byArea.values()) expect(values.size).toBeGreaterThanOrEqual(2)
    }
    expect(found.l === Number.POSITIVE_INFINITY || found.l >= 2).toBe(true)
  })

  it('searches a lattice too large to search whole greedily, still reaching k', () => {
    const many = Array.from({ length: 20 }, (_, c) =>
      encoded(
        `c${c}`,
        ages.map((a, i) => String((Number(a) * (c + 1) + i) % 7)),
        [(v) => String(Number(v) % 2)],
      ),
    )
    expect(3 ** 20).toBeGreaterThan(MAX_EXHAUSTIVE_NODES)
    const found = searchLattice({ rows: 40, hierarchies: many, k: 5, l: 2, maxSuppressed: 2 })
    expect(found).toBeDefined()
    if (!found) return
    expect(found.evaluated).toBeLessThan(found.latticeSize)
    expect(smallestClass(many, found.levels, found.suppressed)).toBeGreaterThanOrEqual(5)
  })
})

describe('generalisation hierarchies', () => {
  it('moves geography columns together, finest to coarsest, never a finer beside a coarser', () => {
    const columns = [
      'postal_code',
      'postal_sector',
      'postal_district',
      'planning_area_code',
      'planning_area_name',
      'region_code',
    ]
    const [geography] = hierarchiesFor(columns.map((name) => ({ name, type: 'VARCHAR' })))
    expect(geography?.levels.map((l) => l.name)).toEqual([
      'postal code',
      'postal sector',
      'postal district',
      'planning area',
      'region',
      'hidden',
    ])
    const planningArea = geography?.levels[3]?.values
    expect(planningArea?.postal_code).toBe("'*'")
    expect(planningArea?.postal_district).toBe("'*'")
    expect(planningArea?.planning_area_name).toBe('"planning_area_name"')
    // A dataset with a planning area and no region has no "region" level that shows nothing.
    const [partial] = hierarchiesFor([{ name: 'planning_area_code', type: 'VARCHAR' }])
    expect(partial?.levels.map((l) => l.name)).toEqual(['planning area', 'hidden'])
  })

  it('coarsens the schema’s age bands, dates and declared groups, as DuckDB computes them', async () => {
    const hierarchies = hierarchiesFor(
      [
        { name: 'age_band', type: 'VARCHAR', values: ['0-17', '18-34', '35-49', '50-64', '65+'] },
        { name: 'diagnosed_on', type: 'DATE' },
        { name: 'residential_status', type: 'VARCHAR' },
      ],
      { residential_status: { resident: ['C', 'P'], 'non-resident': ['N'] } },
    )
    expect(hierarchies.map((h) => h.levels.map((l) => l.name))).toEqual([
      ['as published', 'bands 0-34, 35-64, 65+', 'bands 0-64, 65+', 'hidden'],
      ['as published', 'month', 'quarter', 'year', 'hidden'],
      ['as published', 'groups', 'hidden'],
    ])
    const connection = await (await DuckDBInstance.create(':memory:')).connect()
    const at = async (h: number, level: number, column: string, value: string) => {
      const sql = hierarchies[h]?.levels[level]?.values[column]
      const reader = await connection.runAndReadAll(
        `SELECT (${sql})::VARCHAR FROM (SELECT ${value} AS "${column}")`,
      )
      return reader.getRows()[0]?.[0]
    }
    expect(await at(0, 1, 'age_band', "'18-34'")).toBe('0-34')
    expect(await at(0, 1, 'age_band', "'50-64'")).toBe('35-64')
    expect(await at(0, 2, 'age_band', "'65+'")).toBe('65+')
    expect(await at(0, 1, 'age_band', 'NULL::VARCHAR')).toBeNull()
    expect(await at(1, 2, 'diagnosed_on', "DATE '2024-05-17'")).toBe('2024-Q2')
    expect(await at(2, 1, 'residential_status', "'P'")).toBe('resident')
    connection.closeSync()
  })
})

describe('how each column is assessed', () => {
  const facts = (overrides: Partial<ColumnFacts>): ColumnFacts => ({
    name: 'x',
    type: 'VARCHAR',
    declared: 'none',
    stats: { rows: 1000, distinct: 5, rareRows: 0 },
    ...overrides,
  })

  it('treats a column labelled "not personal" as a quasi-identifier when its name or data say so', () => {
    expect(
      assessColumn(
        facts({ name: 'region_code', stats: { rows: 1000, distinct: 5, rareRows: 3 } }),
        5,
      ),
    ).toMatchObject({
      treatment: 'quasi-identifier',
      suggestion: {
        kind: 'quasi-identifier',
        reasons: ['its name says it is a place', '3 rows have a value fewer than 5 rows share'],
      },
    })
    // "agency" is not an age.
    expect(assessColumn(facts({ name: 'agency' }), 5).suggestion?.reasons.join()).not.toMatch(/age/)
  })

  it('hides a text that names rows one by one, coarsens dates, and keeps quantities', () => {
    expect(
      assessColumn(
        facts({ name: 'title', stats: { rows: 1000, distinct: 990, rareRows: 990 } }),
        5,
      ),
    ).toMatchObject({ treatment: 'quasi-identifier', suggestion: { kind: 'direct-identifier' } })
    expect(
      assessColumn(
        facts({
          name: 'started_on',
          type: 'DATE',
          stats: { rows: 1000, distinct: 990, rareRows: 990 },
        }),
        5,
      ).treatment,
    ).toBe('quasi-identifier')
    expect(
      assessColumn(
        facts({
          name: 'transactions',
          type: 'BIGINT',
          stats: { rows: 1000, distinct: 900, rareRows: 900 },
        }),
        5,
      ).treatment,
    ).toBe('measure')
    expect(
      assessColumn(
        facts({
          name: 'joined_year',
          type: 'INTEGER',
          stats: { rows: 1000, distinct: 40, rareRows: 0 },
        }),
        5,
      ).treatment,
    ).toBe('quasi-identifier')
  })

  it('follows a steward’s label given with a reason, and always masks direct identifiers', () => {
    expect(
      assessColumn(
        facts({
          name: 'region_code',
          decision: { kind: 'none', reason: 'Published openly by URA' },
        }),
        5,
      ),
    ).toMatchObject({
      treatment: 'kept',
      reasons: ['a steward marked it none: Published openly by URA'],
    })
    expect(
      assessColumn(facts({ name: 'person_key', declared: 'direct-identifier' }), 5).treatment,
    ).toBe('masked')
  })
})
