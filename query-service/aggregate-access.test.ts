import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemAbility } from '../identity/index.js'
import { createTestApp, openTestRuntime, signInAs, type TestRuntime } from '../testing/index.js'

/** The API's envelope, as these tests read it. */
interface Body {
  data: {
    id: string
    rows?: unknown[][]
    scope?: string
    approvalsNeeded?: number
    grant?: { scope: string; status: string } | null
  }
  error?: { code: string; message: string; queryId?: string }
}

interface Answer {
  status: number
  code?: string
  message: string
  rows: unknown[][]
  id?: string
}

describe('aggregate-only access to the chronic disease registry, tried as an attacker would', () => {
  let runtime: TestRuntime
  let app: ReturnType<typeof createTestApp>
  const as: Record<string, Record<string, string>> = {}
  /** The registry as the Trusted Centre published it, to aim attacks at real people. */
  let raw: {
    person_key: string
    condition_code: string
    days_since_diagnosis: number
    planning_area_code: string | null
    age_band: string | null
    sex: string | null
  }[]

  const post = async (who: string, path: string, body: unknown) => {
    const res = await app.request(path, {
      method: 'POST',
      headers: { ...as[who], 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    return { status: res.status, body: (await res.json()) as Body }
  }
  const query = async (sql: string, format = 'json', who = 'officer.moe'): Promise<Answer> => {
    const res = await post(who, '/api/query', { sql, format })
    return {
      status: res.status,
      code: res.body.error?.code,
      message: res.body.error?.message ?? '',
      rows: res.body.data?.rows ?? [],
      id: res.body.data?.id ?? res.body.error?.queryId,
    }
  }
  const refused = async (sql: string, rule: RegExp, who = 'officer.moe') => {
    const answer = await query(sql, 'json', who)
    expect(answer.status, `${sql}: ${answer.message}`).toBe(400)
    expect(answer.message, sql).toMatch(rule)
    expect(answer.rows).toEqual([])
    return answer
  }

  beforeAll(async () => {
    runtime = await openTestRuntime({
      backend: 'pglite',
      scale: 1,
      env: { SDC_DOMINANCE_P: '100' },
    })
    app = createTestApp(runtime)
    for (const who of ['officer.moe', 'steward.moh', 'steward.sla'])
      as[who] = await signInAs(app, who)
    const dataset = await runtime.catalog.findDataset('chronic-disease-registry', systemAbility())
    const file = join(
      runtime.dataDir,
      `tc/chronic-disease-registry/v${dataset?.currentVersion?.version}.parquet`,
    )
    const duck = await (await DuckDBInstance.create(':memory:')).connect()
    raw = (
      await duck.runAndReadAll(
        `SELECT person_key, condition_code, days_since_diagnosis, planning_area_code, age_band, sex FROM '${file}'`,
      )
    ).getRowObjectsJson() as typeof raw
    duck.closeSync()
    const request = await post('officer.moe', '/api/requests', {
      dataset: 'chronic-disease-registry',
      scope: 'aggregates',
      purpose: 'Plan chronic disease programmes by condition, age band and region',
      legalBasis: 'PSGA 2018 s. 25',
      durationDays: 30,
    })
    expect(request.status).toBe(201)
    expect(request.body.data).toMatchObject({ scope: 'aggregates', approvalsNeeded: 1 })
    const approved = await post('steward.moh', `/api/requests/${request.body.data.id}/approve`, {})
    expect(approved.status, JSON.stringify(approved.body)).toBe(200)
    expect(approved.body.data.grant).toMatchObject({ scope: 'aggregates', status: 'active' })
  }, 120_000)
  afterAll(() => runtime?.dispose())

  it('answers aggregates whose every cell counts enough people', async () => {
    const views = await app.request('/api/query/views', { headers: as['officer.moe'] })
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

  it('never lets a row out: row-level reads, identifiers, extremes, hidden subgroups and engine errors are refused', async () => {
    const shape =
      /answers tables|compares columns with constants|takes one column|must be grouped by/
    const corpus: [string, RegExp][] = [
      ['SELECT * FROM chronic_disease_registry', shape],
      ['SELECT condition_code, diagnosed_on FROM chronic_disease_registry', shape],
      ['SELECT DISTINCT planning_area_code FROM chronic_disease_registry', /SELECT DISTINCT/],
      ['SELECT max(days_since_diagnosis) FROM chronic_disease_registry', /max\(\) is not offered/],
      [
        'SELECT min(diagnosed_on), count(*) FROM chronic_disease_registry',
        /min\(\) is not offered/,
      ],
      ['SELECT list(condition_code) FROM chronic_disease_registry', /list\(\) is not offered/],
      ["SELECT string_agg(institution_uen, ',') FROM chronic_disease_registry", /string_agg\(\)/],
      ['SELECT median(days_since_diagnosis) FROM chronic_disease_registry', /median\(\)/],
      [
        'SELECT arg_max(planning_area_code, days_since_diagnosis) FROM chronic_disease_registry',
        /arg_max\(\)/,
      ],
      ['SELECT count(DISTINCT planning_area_code) FROM chronic_disease_registry', /DISTINCT/],
      ["SELECT count(*) FILTER (WHERE age_band = '0-17') FROM chronic_disease_registry", /FILTER/],
      [
        'SELECT condition_code, count(*) FROM chronic_disease_registry GROUP BY ALL',
        /GROUP BY ALL/,
      ],
      [
        'SELECT condition_code, count(*) FROM chronic_disease_registry GROUP BY ROLLUP (condition_code)',
        /ROLLUP/,
      ],
      ['SELECT count(*) OVER () FROM chronic_disease_registry', /not offered|answers tables/],
      ['SELECT (SELECT count(*) FROM chronic_disease_registry) AS n', /on its own|answers tables/],
      ['SELECT count(*) FROM (SELECT * FROM chronic_disease_registry)', /on its own/],
      ['WITH r AS (SELECT * FROM chronic_disease_registry) SELECT count(*) FROM r', /No WITH/],
      [
        'SELECT count(*) FROM chronic_disease_registry UNION ALL SELECT 1',
        /No WITH, UNION|on its own/,
      ],
      ['SELECT __unit, count(*) FROM chronic_disease_registry GROUP BY __unit', /not a column/],
      ['SELECT count(*) FROM chronic_disease_registry__units', /not one of them|Only your views/],
      ['SELECT count(*) FROM chronic_disease_registry r, chronic_disease_registry s', /on its own/],
      ['SELECT count(*) FROM chronic_disease_registry USING SAMPLE 10', /SAMPLE/],
      ['SELECT count(*) AS __units FROM chronic_disease_registry', /__/],
      // Hidden subgroups: conditions or arithmetic inside an aggregate, or between aggregates.
      [
        "SELECT sum(CASE WHEN age_band = '65+' THEN 1 ELSE 0 END) FROM chronic_disease_registry",
        /takes one column/,
      ],
      [
        'SELECT avg((days_since_diagnosis < 100)::INTEGER) FROM chronic_disease_registry',
        /takes one column/,
      ],
      [
        'SELECT condition_code, count(*) - count(age_band) FROM chronic_disease_registry GROUP BY condition_code',
        shape,
      ],
      [
        'SELECT condition_code, count(*) FROM chronic_disease_registry GROUP BY condition_code HAVING count(*) >= 10',
        /HAVING/,
      ],
      [
        'SELECT condition_code, count(*) AS n FROM chronic_disease_registry GROUP BY condition_code ORDER BY n DESC LIMIT 4',
        /LIMIT/,
      ],
      // Reading rows through a subquery, or through what the engine says when a value fails.
      [
        "SELECT count(*) FROM chronic_disease_registry LIMIT (SELECT CAST(string_agg(condition_code, ';') AS INTEGER) FROM chronic_disease_registry)",
        /LIMIT/,
      ],
      [
        "SELECT count(*) FROM chronic_disease_registry WHERE CASE WHEN planning_area_code = 'TM' THEN CAST(concat_ws('|', condition_code, sex) AS INTEGER) ELSE 0 END = 0",
        /compares columns with constants/,
      ],
      [
        "SELECT count(*) FROM chronic_disease_registry WHERE CASE WHEN sex = 'F' THEN error(condition_code) ELSE true END",
        /compares columns with constants/,
      ],
      [
        'SELECT count(*) FROM chronic_disease_registry GROUP BY CAST(condition_code AS INTEGER)',
        shape,
      ],
      [
        "SELECT count(*) n FROM chronic_disease_registry WHERE CAST(COLUMNS('^__') AS INTEGER) = 1",
        /compares columns with constants|answers tables/,
      ],
      [
        'SELECT count(*) FROM chronic_disease_registry WHERE days_since_diagnosis > (SELECT 1)',
        /constant/,
      ],
      [
        "SELECT count(*) FROM chronic_disease_registry WHERE institution_uen > 5 AND condition_code = 'E11'",
        /minimum count|^$/,
      ],
    ]
    for (const [sql, rule] of corpus) {
      const answer = await query(sql)
      if (answer.status === 200) {
        // Only a table whose every cell passed may come back: never a row.
        expect(answer.rows.length, sql).toBeLessThanOrEqual(1)
        continue
      }
      expect(answer.status, sql).toBe(400)
      expect(answer.message, sql).toMatch(rule)
      expect(answer.message, sql).not.toMatch(/\|/)
      expect(answer.rows, sql).toEqual([])
    }
    // A person's identifier is no column of the view: named as a row-level column.
    for (const sql of [
      'SELECT person_key, count(*) FROM chronic_disease_registry GROUP BY person_key',
      "SELECT count(*) FROM chronic_disease_registry WHERE person_key = 'x'",
      'SELECT count(person_key) FROM chronic_disease_registry',
    ])
      await refused(sql, /person_key identifies a person: no row-level column is offered/)
    // Nor does anything leave as a file.
    const csv = await query(
      'SELECT condition_code, count(*) FROM chronic_disease_registry GROUP BY condition_code',
      'csv',
    )
    expect(csv.status).toBe(400)
    expect(csv.message).toMatch(/aggregates only: ask for JSON/)
    const extract = await app.request(
      '/api/datasets/chronic-disease-registry/versions/1/extract?format=csv',
      { headers: as['officer.moe'] },
    )
    expect(extract.status).toBe(404)
    // A second aggregate-only grant on the same data (with another row filter) is not given.
    const again = await post('officer.moe', '/api/requests', {
      dataset: 'chronic-disease-registry',
      scope: 'aggregates',
      purpose: 'A second look at chronic disease programmes by condition',
      legalBasis: 'PSGA 2018 s. 25',
      durationDays: 30,
    })
    expect(again.status).toBe(409)
  })
})
