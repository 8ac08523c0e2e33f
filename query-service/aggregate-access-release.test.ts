import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { beforeAll, describe, expect, it } from 'vitest'
import { systemAbility } from '../identity/index.js'
import { useAggregateApi } from './aggregate-access-test-kit.js'

// Aggregate-only access to the chronic disease registry, tried as an attacker would. One platform
// for the file: each answer released is remembered, and later questions are checked against it.
const { platform, post, query, refused } = useAggregateApi()

/** The registry as the Trusted Centre published it, to aim attacks at real people. */
let raw: {
  person_key: string
  condition_code: string
  days_since_diagnosis: number
  planning_area_code: string | null
  age_band: string | null
  sex: string | null
}[]

beforeAll(async () => {
  const dataset = await platform.runtime.catalog.findDataset(
    'chronic-disease-registry',
    systemAbility(),
  )
  const file = join(
    platform.runtime.dataDir,
    `tc/chronic-disease-registry/v${dataset?.currentVersion?.version}.parquet`,
  )
  const duck = await (await DuckDBInstance.create(':memory:')).connect()
  raw = (
    await duck.runAndReadAll(
      `SELECT person_key, condition_code, days_since_diagnosis, planning_area_code, age_band, sex FROM '${file}'`,
    )
  ).getRowObjectsJson() as typeof raw
  duck.closeSync()
})

describe('aggregate-only access: cells that count enough people', () => {
  it('answers aggregates whose every cell counts enough people', async () => {
    const views = await platform.app.request('/api/query/views', {
      headers: platform.as['officer.moe'],
    })
    const view = (
      (await views.json()) as {
        data: { name: string; scope: string; columns: { name: string }[] }[]
      }
    ).data.find((v) => v.name === 'chronic_disease_registry')
    expect(view?.scope).toBe('aggregates')
    // Whom a row is about is not in the view at all.
    expect(view?.columns.map((c) => c.name)).not.toContain('person_key')
    const total = await query('SELECT count(*) AS people FROM chronic_disease_registry')
    expect(total.status).toBe(200)
    expect(total.rows).toEqual([[String(raw.length)]])
    const byCondition = await query(
      'SELECT condition_code, count(*) AS n, round(avg(days_since_diagnosis)) AS mean_days FROM chronic_disease_registry GROUP BY condition_code ORDER BY condition_code',
    )
    expect(byCondition.status, byCondition.message).toBe(200)
    expect(byCondition.rows.length).toBe(7)
    for (const [condition, n] of byCondition.rows)
      expect(Number(n)).toBe(raw.filter((r) => r.condition_code === condition).length)
  })

  it('refuses small cells, naming the rule but no cell and no count', async () => {
    const answer = await refused(
      'SELECT planning_area_code, condition_code, count(*) FROM chronic_disease_registry GROUP BY 1, 2',
      /minimum count \(every cell must count at least 10 people.*\): cells grouped by planning_area_code, condition_code\./,
    )
    expect(answer.code).toBe('query_refused')
    // Which cells exist, and how small they are, is what the checks protect: never said.
    expect(answer.message).not.toMatch(/E11|I10|J44|people\)/)
    await refused(
      'SELECT diagnosed_on, count(*) FROM chronic_disease_registry GROUP BY diagnosed_on',
      /minimum count/,
    )
    const cut = [...raw].sort((a, b) => a.days_since_diagnosis - b.days_since_diagnosis)[2]
    await refused(
      `SELECT count(*) FROM chronic_disease_registry WHERE days_since_diagnosis <= ${cut?.days_since_diagnosis}`,
      /minimum count .*: the answer\./,
    )
    await refused(
      "SELECT count(*) FROM chronic_disease_registry WHERE planning_area_code = 'XX'",
      /minimum count/,
    )
  })

  it('refuses a sum or mean one or two people dominate (p% rule, here with p = 100)', async () => {
    // The ten shortest times since diagnosis and the longest: the longest is most of the sum.
    const days = raw.map((r) => r.days_since_diagnosis).sort((a, b) => a - b)
    const cell = `WHERE days_since_diagnosis <= ${days[9]} OR days_since_diagnosis >= ${days.at(-1)}`
    await refused(
      `SELECT sum(days_since_diagnosis) FROM chronic_disease_registry ${cell}`,
      /dominance \(.*\): sum\(days_since_diagnosis\)\./,
    )
    await refused(
      `SELECT round(avg(days_since_diagnosis)) FROM chronic_disease_registry ${cell}`,
      /dominance/,
    )
  })
})

describe('aggregate-only access: answers that differ from earlier ones', () => {
  it('refuses an answer that differs from an earlier one by a few people or rows', async () => {
    const e11 = raw.filter((r) => r.condition_code === 'E11')
    const fewest = Math.min(...e11.map((r) => r.days_since_diagnosis))
    const first = await query(
      "SELECT count(*) AS n FROM chronic_disease_registry WHERE condition_code = 'E11'",
    )
    expect(first.status, first.message).toBe(200)
    const answer = await refused(
      `SELECT count(*) AS n FROM chronic_disease_registry WHERE condition_code = 'E11' AND days_since_diagnosis > ${fewest}`,
      /differencing \(.*\): this answer or one of its cells, against your q_[\w-]+/,
    )
    expect(answer.message).toContain(first.id)
    // The same question again is no difference at all.
    const again = "SELECT count(*) AS n FROM chronic_disease_registry WHERE condition_code = 'E11'"
    expect((await query(again)).status).toBe(200)
    // Two answers checked at once are never both released unchecked against each other.
    const i10 = raw.filter((r) => r.condition_code === 'I10')
    const both = await Promise.all([
      query("SELECT count(*) AS n FROM chronic_disease_registry WHERE condition_code = 'I10'"),
      query(
        `SELECT count(*) AS n FROM chronic_disease_registry WHERE condition_code = 'I10' AND days_since_diagnosis > ${Math.min(...i10.map((r) => r.days_since_diagnosis))}`,
      ),
    ])
    expect(both.map((a) => a.status).sort()).toEqual([200, 400])
    expect(both.find((a) => a.status === 400)?.message).toMatch(
      /differencing|released while this one was being checked/,
    )
    // Cells that add up to nearly an earlier answer: the whole answer is compared too.
    expect((await query('SELECT count(*) AS n FROM chronic_disease_registry')).status).toBe(200)
    const least = Math.min(...raw.map((r) => r.days_since_diagnosis))
    await refused(
      `SELECT sex, count(*) AS n FROM chronic_disease_registry WHERE days_since_diagnosis > ${least} GROUP BY sex`,
      /differencing/,
    )
    // One row fewer, however many people: a person with two conditions loses one of them.
    const people = new Map<string, typeof raw>()
    for (const r of raw) people.set(r.person_key, [...(people.get(r.person_key) ?? []), r])
    const target = [...people.values()]
      .filter((rows) => rows.length > 1)
      .flat()
      .find((r) => {
        if (!r.planning_area_code || !r.age_band || !r.sex) return false
        const same = raw.filter(
          (x) =>
            x.planning_area_code === r.planning_area_code &&
            x.age_band === r.age_band &&
            x.sex === r.sex &&
            x.condition_code === r.condition_code,
        )
        const area = raw.filter((x) => x.planning_area_code === r.planning_area_code)
        return same.length === 1 && new Set(area.map((x) => x.person_key)).size >= 12
      })
    expect(target).toBeDefined()
    const area = `planning_area_code = '${target?.planning_area_code}'`
    const whole = await query(`SELECT count(*) AS n FROM chronic_disease_registry WHERE ${area}`)
    expect(whole.status, whole.message).toBe(200)
    await refused(
      `SELECT count(*) AS n FROM chronic_disease_registry WHERE ${area} AND NOT (age_band = '${target?.age_band}' AND sex = '${target?.sex}' AND condition_code = '${target?.condition_code}')`,
      /differencing/,
    )
  })

  it('compares an answer with the union of an earlier table’s cells it overlaps, and treats nobody as few', async () => {
    // Someone else, with a grant of their own and no answers yet.
    const who = 'steward.sla'
    const request = await post(who, '/api/requests', {
      dataset: 'chronic-disease-registry',
      scope: 'aggregates',
      purpose: 'Plan chronic disease programmes by condition, age band and region',
      legalBasis: 'PSGA 2018 s. 25',
      durationDays: 30,
    })
    await post('steward.moh', `/api/requests/${request.body.data.id}/approve`, {})
    // Two age bands of an earlier table add up to nearly this answer: one person fewer.
    const bands = await query(
      'SELECT age_band, count(*) AS n FROM chronic_disease_registry WHERE age_band IS NOT NULL GROUP BY age_band',
      'json',
      who,
    )
    expect(bands.status, bands.message).toBe(200)
    const young = raw.filter((r) => r.age_band === '18-34' && r.planning_area_code && r.sex)
    const target = young.find(
      (r) =>
        young.filter((x) => x.planning_area_code === r.planning_area_code && x.sex === r.sex)
          .length < 5,
    )
    expect(target).toBeDefined()
    await refused(
      `SELECT count(*) AS n FROM chronic_disease_registry WHERE age_band IN ('18-34', '0-17') AND NOT (planning_area_code = '${target?.planning_area_code}' AND sex = '${target?.sex}' AND age_band = '18-34')`,
      /differencing/,
      who,
    )
    // A filter nobody matches is refused as one few match is: the two look the same.
    const nobody = await query(
      "SELECT sex, count(*) FROM chronic_disease_registry WHERE planning_area_code = 'XX' GROUP BY sex",
    )
    const few = await query(
      `SELECT sex, count(*) FROM chronic_disease_registry WHERE planning_area_code = '${target?.planning_area_code}' AND sex = '${target?.sex}' AND age_band = '18-34' GROUP BY sex`,
    )
    expect([nobody.status, few.status]).toEqual([400, 400])
    expect(nobody.message).toBe(few.message)
    // count(column) beside count(*): the people without a value are a small group of their own.
    const unplaced = new Map<string, number>()
    for (const r of raw)
      if (!r.planning_area_code)
        unplaced.set(r.condition_code, (unplaced.get(r.condition_code) ?? 0) + 1)
    const complement = await query(
      'SELECT condition_code, count(*) AS n, count(planning_area_code) AS placed FROM chronic_disease_registry GROUP BY condition_code',
    )
    if ([...unplaced.values()].some((n) => n > 0 && n < 10))
      expect(complement.message).toMatch(/minimum count/)
    // Decimal constants keep their scale.
    const between = await query(
      'SELECT count(*) AS n FROM chronic_disease_registry WHERE days_since_diagnosis BETWEEN 1000.0 AND 4000.5',
    )
    const truth = raw.filter(
      (r) => r.days_since_diagnosis >= 1000 && r.days_since_diagnosis <= 4000.5,
    ).length
    if (between.status === 200) expect(between.rows).toEqual([[String(truth)]])
    else expect(between.message).toMatch(/differencing|minimum count/)
  })
})
