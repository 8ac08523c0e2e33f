import { createHash } from 'node:crypto'
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { systemAbility } from '../core/index.js'
import { CHRONIC_REGISTRY_PIPELINE } from '../trusted-centre/chronic-registry-pipeline.js'
import { createTestApp, openTestRuntime, signInAs, type TestRuntime } from './test-runtime.js'

// RED TEAM scratch test (to be deleted). Logs findings to /tmp/redteam2/results.jsonl.
const OUT = '/tmp/redteam2/results.jsonl'
const log = (what: string, data: unknown) => {
  appendFileSync(OUT, `${JSON.stringify({ what, data })}\n`)
  console.log(what, JSON.stringify(data).slice(0, 3000))
}

interface Row {
  person_key: string
  condition_code: string
  diagnosed_on: string
  diagnosed_year: number
  institution_uen: string
  age_band: string | null
  sex: string | null
  planning_area_code: string | null
  region_code: string | null
  days_since_diagnosis: number
}
interface Answer {
  status: number
  code?: string
  message: string
  rows: unknown[][]
  id?: string
  ms: number
}
const V = 'chronic_disease_registry'
const q = (s: string) => `'${s.replaceAll("'", "''")}'`

describe('red team 2', { timeout: 300_000 }, () => {
  let runtime: TestRuntime
  let app: ReturnType<typeof createTestApp>
  const as: Record<string, Record<string, string>> = {}
  let raw: Row[] = []
  let file = ''
  const grants: Record<string, string> = {}

  const post = async (who: string, path: string, body: unknown) => {
    const res = await app.request(path, {
      method: 'POST',
      headers: { ...as[who], 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    // biome-ignore lint/suspicious/noExplicitAny: scratch
    return { status: res.status, body: (await res.json()) as any }
  }
  const query = async (who: string, sql: string): Promise<Answer> => {
    const t = Date.now()
    const res = await post(who, '/api/query', { sql, format: 'json' })
    return {
      status: res.status,
      code: res.body.error?.code,
      message: res.body.error?.message ?? '',
      rows: res.body.data?.rows ?? [],
      id: res.body.data?.id ?? res.body.error?.queryId,
      ms: Date.now() - t,
    }
  }
  const grant = async (who: string, columns?: string[]) => {
    const r = await post(who, '/api/requests', {
      dataset: 'chronic-disease-registry',
      scope: 'aggregates',
      purpose: 'Plan chronic disease programmes by condition, age band and region',
      legalBasis: 'PSGA 2018 s. 25',
      durationDays: 30,
      ...(columns ? { columns } : {}),
    })
    if (r.status !== 201) return { status: r.status, body: r.body }
    const a = await post('steward.moh', `/api/requests/${r.body.data.id}/approve`, {})
    grants[who] = a.body.data?.grant?.id
    return { status: a.status, grant: a.body.data?.grant }
  }
  const people = (rows: Row[]) => new Set(rows.map((r) => r.person_key)).size
  const sum = (rows: Row[]) => rows.reduce((s, r) => s + r.days_since_diagnosis, 0)
  /** People unique on (area, band, sex) with no nulls: a neighbour the attacker knows. */
  const uniques = () => {
    const byKey = new Map<string, Set<string>>()
    for (const r of raw) {
      if (!r.planning_area_code || !r.age_band || !r.sex) continue
      const k = `${r.planning_area_code}|${r.age_band}|${r.sex}`
      byKey.set(k, (byKey.get(k) ?? new Set()).add(r.person_key))
    }
    return [...byKey.entries()]
      .filter(([, s]) => s.size === 1)
      .map(([k, s]) => {
        const [area, band, sex] = k.split('|') as [string, string, string]
        const key = [...s][0] as string
        return { area, band, sex, key, rows: raw.filter((r) => r.person_key === key) }
      })
  }
  const qid = (t: { area: string; band: string; sex: string }) =>
    `planning_area_code = ${q(t.area)} AND age_band = ${q(t.band)} AND sex = ${q(t.sex)}`

  beforeAll(async () => {
    writeFileSync(OUT, '')
    runtime = await openTestRuntime({ backend: 'pglite', scale: 1 })
    app = createTestApp(runtime)
    for (const who of [
      'officer.moe',
      'steward.moh',
      'steward.dos',
      'steward.sla',
      'steward.govtech',
    ])
      as[who] = await signInAs(app, who)
    const dataset = await runtime.catalog.findDataset('chronic-disease-registry', systemAbility())
    file = join(runtime.dataDir, `tc/chronic-disease-registry/v${dataset?.currentVersion?.version}.parquet`)
    const duck = await (await DuckDBInstance.create(':memory:')).connect()
    raw = (
      await duck.runAndReadAll(`SELECT * EXCLUDE (diagnosed_on), diagnosed_on::VARCHAR AS diagnosed_on FROM '${file}'`)
    ).getRowObjectsJson() as unknown as Row[]
    duck.closeSync()
    log('dataset', {
      rows: raw.length,
      people: people(raw),
      version: dataset?.currentVersion?.version,
      nullAge: raw.filter((r) => r.age_band === null).length,
      nullArea: raw.filter((r) => r.planning_area_code === null).length,
      nullSex: raw.filter((r) => r.sex === null).length,
    })
    for (const who of ['officer.moe', 'steward.dos', 'steward.sla', 'steward.govtech'])
      log(`grant ${who}`, await grant(who))
  }, 300_000)
  afterAll(() => runtime?.dispose())

  it('A: existence oracle (empty answer vs refusal) and binary search of a row value', async () => {
    const targets = uniques().filter((t) => t.rows.length >= 1)
    const t = targets[0]
    if (!t) return log('A no target', {})
    let queries = 0
    // Which conditions does the neighbour have?
    const found: string[] = []
    for (const c of ['E11', 'I10', 'E78', 'J45', 'N18', 'I25', 'J44']) {
      const a = await query(
        'officer.moe',
        `SELECT sex, count(*) AS n FROM ${V} WHERE ${qid(t)} AND condition_code = ${q(c)} GROUP BY sex`,
      )
      queries++
      if (a.status === 400 && /minimum count/.test(a.message)) found.push(c)
      if (c === 'E11' || found.length === 1) log(`A probe ${c}`, { status: a.status, rows: a.rows, message: a.message, ms: a.ms })
    }
    // Binary search days_since_diagnosis of the first found condition.
    const c = found[0] as string
    let lo = 0
    let hi = 20_000
    const times: { empty: number[]; refused: number[] } = { empty: [], refused: [] }
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2)
      const a = await query(
        'officer.moe',
        `SELECT sex, count(*) AS n FROM ${V} WHERE ${qid(t)} AND condition_code = ${q(c)} AND days_since_diagnosis <= ${mid} GROUP BY sex`,
      )
      queries++
      if (a.status === 400) {
        hi = mid
        times.refused.push(a.ms)
      } else {
        lo = mid + 1
        times.empty.push(a.ms)
      }
    }
    // Institution by IN-list halving.
    const insts = [...new Set(raw.map((r) => r.institution_uen))].sort()
    let cand = insts
    while (cand.length > 1) {
      const half = cand.slice(0, Math.ceil(cand.length / 2))
      const a = await query(
        'officer.moe',
        `SELECT sex, count(*) AS n FROM ${V} WHERE ${qid(t)} AND condition_code = ${q(c)} AND institution_uen IN (${half.map(q).join(', ')}) GROUP BY sex`,
      )
      queries++
      cand = a.status === 400 ? half : cand.slice(half.length)
    }
    const truth = t.rows.find((r) => r.condition_code === c)
    log('A result', {
      target: { area: t.area, band: t.band, sex: t.sex },
      conditionsFound: found,
      conditionsTrue: t.rows.map((r) => r.condition_code).sort(),
      daysFound: lo,
      daysTrue: truth?.days_since_diagnosis,
      institutionFound: cand[0],
      institutionTrue: truth?.institution_uen,
      queries,
      times,
    })
  })

  it('B: refusal names the number of cells (= number of people, by a near-unique grouping)', async () => {
    const groups = new Map<string, Row[]>()
    for (const r of raw)
      if (r.planning_area_code)
        groups.set(`${r.planning_area_code}|${r.condition_code}`, [
          ...(groups.get(`${r.planning_area_code}|${r.condition_code}`) ?? []),
          r,
        ])
    const picks = [...groups.entries()]
      .filter(([, rows]) => rows.length >= 2 && rows.length <= 9)
      .slice(0, 3)
    for (const [k, rows] of picks) {
      const [area, c] = k.split('|') as [string, string]
      const a = await query(
        'officer.moe',
        `SELECT diagnosed_on, count(*) AS n FROM ${V} WHERE planning_area_code = ${q(area)} AND condition_code = ${q(c)} GROUP BY diagnosed_on`,
      )
      log('B', {
        area,
        c,
        truePeople: people(rows),
        trueRows: rows.length,
        distinctDates: new Set(rows.map((r) => r.diagnosed_on)).size,
        status: a.status,
        message: a.message,
      })
    }
  })

  it('B2: ungrouped: nobody vs one person', async () => {
    const t = uniques()[2]
    if (!t) return
    const nobody = await query('officer.moe', `SELECT count(*) AS n FROM ${V} WHERE ${qid(t)} AND days_since_diagnosis < 0`)
    const one = await query('officer.moe', `SELECT count(*) AS n FROM ${V} WHERE ${qid(t)}`)
    log('B2', { same: nobody.message === one.message, nobody: nobody.message.slice(-120), one: one.message.slice(-120) })
  })

  it('D: count(*) beside count(column) releases the NULL subgroup however small', async () => {
    const direct = await query(
      'officer.moe',
      `SELECT condition_code, count(*) AS n FROM ${V} WHERE planning_area_code IS NULL GROUP BY condition_code`,
    )
    const a = await query(
      'officer.moe',
      `SELECT condition_code, count(*) AS n_rows, count(planning_area_code) AS n_area, count(age_band) AS n_age, count(sex) AS n_sex FROM ${V} GROUP BY condition_code ORDER BY condition_code`,
    )
    const truth = Object.fromEntries(
      ['E11', 'I10', 'E78', 'J45', 'N18', 'I25', 'J44'].map((c) => {
        const rows = raw.filter((r) => r.condition_code === c)
        return [
          c,
          {
            nullArea: rows.filter((r) => r.planning_area_code === null).length,
            nullAge: rows.filter((r) => r.age_band === null).length,
            nullSex: rows.filter((r) => r.sex === null).length,
          },
        ]
      }),
    )
    log('D', {
      direct: { status: direct.status, message: direct.message },
      status: a.status,
      message: a.message,
      derived: a.rows.map(([c, n, area, age, sex]) => ({
        c,
        nullArea: Number(n) - Number(area),
        nullAge: Number(n) - Number(age),
        nullSex: Number(n) - Number(sex),
      })),
      truth,
    })
  })

  it('C: two queries — a grouped answer, then a union of its cells less one person', async () => {
    const who = 'steward.dos'
    const bands = ['0-17', '18-34', '35-49', '50-64', '65+']
    const t = uniques().find((u) => u.rows.length >= 1 && u.band !== '65+')
    if (!t) return log('C no target', {})
    const other = bands.find((b) => b !== t.band) as string
    const q1 = await query(
      who,
      `SELECT age_band, count(*) AS n, sum(days_since_diagnosis) AS s FROM ${V} WHERE age_band IS NOT NULL GROUP BY age_band`,
    )
    log('C q1', { status: q1.status, message: q1.message, rows: q1.rows })
    const notT = `(planning_area_code <> ${q(t.area)} OR planning_area_code IS NULL OR sex <> ${q(t.sex)} OR sex IS NULL OR age_band <> ${q(t.band)})`
    const q2 = await query(
      who,
      `SELECT count(*) AS n, sum(days_since_diagnosis) AS s FROM ${V} WHERE age_band IN (${q(t.band)}, ${q(other)}) AND ${notT}`,
    )
    log('C q2', { status: q2.status, message: q2.message, rows: q2.rows })
    if (q1.status !== 200 || q2.status !== 200) return
    const cell = (band: string) => q1.rows.find((r) => r[0] === band) ?? [band, 0, 0]
    log('C result', {
      target: { area: t.area, band: t.band, sex: t.sex },
      derived: {
        n: Number(cell(t.band)[1]) + Number(cell(other)[1]) - Number(q2.rows[0]?.[0]),
        days: Number(cell(t.band)[2]) + Number(cell(other)[2]) - Number(q2.rows[0]?.[1]),
      },
      truth: { n: t.rows.length, days: sum(t.rows), rows: t.rows.map((r) => [r.condition_code, r.days_since_diagnosis]) },
    })
  })

  it('E: three-query tracker A∪T, B, A∪B', async () => {
    const who = 'steward.sla'
    const all = uniques()
    const t = all[all.length - 1]
    if (!t) return
    const areaPeople = new Map<string, number>()
    for (const r of raw) if (r.planning_area_code) areaPeople.set(r.planning_area_code, 0)
    for (const a of areaPeople.keys())
      areaPeople.set(a, people(raw.filter((r) => r.planning_area_code === a)))
    const big = [...areaPeople.entries()]
      .filter(([a, n]) => a !== t.area && n >= 15)
      .map(([a]) => a)
    const [p1, p2] = big as [string, string]
    const m = 'count(*) AS n, sum(days_since_diagnosis) AS s'
    const r1 = await query(who, `SELECT ${m} FROM ${V} WHERE planning_area_code = ${q(p1)} OR (${qid(t)})`)
    const r2 = await query(who, `SELECT ${m} FROM ${V} WHERE planning_area_code = ${q(p2)}`)
    const r3 = await query(who, `SELECT ${m} FROM ${V} WHERE planning_area_code IN (${q(p1)}, ${q(p2)})`)
    const st = [r1, r2, r3].map((r) => ({ status: r.status, message: r.message, rows: r.rows }))
    log('E', {
      st,
      derived:
        r1.status === 200 && r2.status === 200 && r3.status === 200
          ? {
              n: Number(r1.rows[0]?.[0]) - Number(r3.rows[0]?.[0]) + Number(r2.rows[0]?.[0]),
              days: Number(r1.rows[0]?.[1]) - Number(r3.rows[0]?.[1]) + Number(r2.rows[0]?.[1]),
            }
          : undefined,
      truth: { n: t.rows.length, days: sum(t.rows) },
    })
  })

  it('J: parser corner cases and engine errors', async () => {
    const who = 'officer.moe'
    const lt100 = raw.filter((r) => r.days_since_diagnosis < 100).length
    const lt1000 = raw.filter((r) => r.days_since_diagnosis < 1000).length
    const cases = [
      `SELECT count(*) AS n FROM ${V} WHERE days_since_diagnosis < 100.0`,
      `SELECT count(*) AS n FROM ${V} WHERE days_since_diagnosis < 100`,
      `SELECT count(*) AS n FROM ${V} WHERE days_since_diagnosis < 1000`,
      `SELECT count(*) AS n FROM ${V} WHERE days_since_diagnosis < 99.9::DOUBLE`,
      `SELECT sum(condition_code) AS n FROM ${V}`,
      `SELECT avg(diagnosed_on) AS n FROM ${V}`,
      `SELECT round(count(*), 99999999999) AS n FROM ${V}`,
      `SELECT count(*) AS n FROM ${V} WHERE diagnosed_on > INTERVAL 1 DAY`,
      `SELECT count(*) AS n FROM ${V} WHERE sex = 'F' COLLATE nocase`,
      `SELECT count(*) AS n FROM ${V} WHERE sex IS DISTINCT FROM 'F'`,
      `SELECT count(*) AS n FROM ${V} WHERE condition_code LIKE 'E%' ESCAPE '!'`,
      `SELECT count(*) AS n FROM ${V} WHERE condition_code = E'E\\x31\\x31'`,
      `SELECT count(*) AS n FROM ${V} WHERE "Condition_Code" = 'E11'`,
      `SELECT count(*) AS n FROM main.${V}`,
      `SELECT count(*) AS n FROM ${V} WHERE diagnosed_on = [1,2]`,
    ]
    const out = []
    for (const sql of cases) {
      const a = await query(who, sql)
      out.push({ sql, status: a.status, code: a.code, message: a.message.slice(0, 300), rows: a.rows })
    }
    log('J', { lt100, lt1000, out })
  })

  it('H: history shows nothing extra; race', async () => {
    const res = await app.request('/api/query/history?limit=3', { headers: as['officer.moe'] })
    const body = (await res.json()) as { data: unknown[] }
    log('H history sample', body.data.slice(0, 3))
    // Race: several at once, pairwise differing by one person.
    const t = uniques()[1]
    if (!t) return
    const base = `planning_area_code = ${q(t.area)}`
    const answers = await Promise.all([
      query('officer.moe', `SELECT count(*) AS n FROM ${V} WHERE ${base} AND sex IS NOT NULL`),
      query('officer.moe', `SELECT count(*) AS n FROM ${V} WHERE ${base} AND sex IS NOT NULL AND NOT (${qid(t)})`),
      query('officer.moe', `SELECT count(*) AS n FROM ${V} WHERE ${base} AND sex IS NOT NULL AND condition_code IS NOT NULL`),
    ])
    log('H race', answers.map((a) => ({ status: a.status, rows: a.rows, message: a.message.slice(0, 160) })))
  })

  it('G: grant revoked and asked for again (other columns)', async () => {
    // steward.sla has releases mentioning planning_area_code (E). New grant without that column.
    const who = 'steward.sla'
    const rv = await post('steward.moh', `/api/grants/${grants[who]}/revoke`, {
      reason: 'red team: revoke and ask again',
    })
    const g = await grant(who, ['condition_code', 'age_band', 'sex', 'days_since_diagnosis'])
    const a = await query(who, `SELECT age_band, count(*) AS n FROM ${V} GROUP BY age_band`)
    log('G', { revoke: rv.status, regrant: g, query: { status: a.status, code: a.code, message: a.message } })
    // officer.moe: a second aggregates request while holding one
    const second = await grant('officer.moe')
    log('G second aggregates request', { status: second.status })
    // officer.moe: revoke, ask again with all columns: are earlier releases still compared?
    const rv2 = await post('steward.moh', `/api/grants/${grants['officer.moe']}/revoke`, { reason: 'red team: ask again' })
    const g2 = await grant('officer.moe')
    const counts = new Map<number, number>()
    for (const r of raw) counts.set(r.days_since_diagnosis, (counts.get(r.days_since_diagnosis) ?? 0) + 1)
    const lone = [...counts.entries()].find(([, n]) => n === 1)?.[0]
    const b = await query('officer.moe', `SELECT count(*) AS n FROM ${V} WHERE days_since_diagnosis <> ${lone}`)
    log('G officer.moe regrant', { revoke: rv2.status, regrant: g2.status, minusOne: { status: b.status, message: b.message.slice(0, 200), rows: b.rows } })
  })

  it('F: a new version — earlier answers are re-made over it, so the new person is not seen as a difference', async () => {
    const who = 'steward.govtech'
    const sql = `SELECT count(*) AS n, sum(days_since_diagnosis) AS s FROM ${V} WHERE condition_code = 'J44'`
    const before = await query(who, sql)
    // Publish v2: v1 plus one new person with J44 diagnosed 4321 days ago.
    const dataset = await runtime.catalog.findDataset('chronic-disease-registry', systemAbility())
    const version = (dataset?.currentVersion?.version ?? 1) + 1
    const target = join(runtime.dataDir, `tc/chronic-disease-registry/v${version}.parquet`)
    const duck = await (await DuckDBInstance.create(':memory:')).connect()
    const base = raw.find((r) => r.condition_code === 'J44' && r.age_band && r.sex) as Row
    await duck.run(
      `COPY (SELECT * FROM '${file}' UNION ALL SELECT * REPLACE ('redteamnewperson0000000000000000' AS person_key, 4321 AS days_since_diagnosis) FROM '${file}' WHERE person_key = ${q(base.person_key)} AND condition_code = 'J44') TO '${target}.tmp' (FORMAT parquet)`,
    )
    const schema = (
      await duck.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${target}.tmp')`)
    ).getRowObjectsJson().map((c) => ({ name: String(c.column_name), type: String(c.column_type) }))
    duck.closeSync()
    const bytes = readFileSync(`${target}.tmp`)
    const published = await runtime.catalog.publishVersion(
      CHRONIC_REGISTRY_PIPELINE.dataset,
      {
        rowCount: raw.length + 1,
        byteSize: statSync(`${target}.tmp`).size,
        contentSha256: createHash('sha256').update(bytes).digest('hex'),
        schema,
      },
      async (v) => {
        const { rename } = await import('node:fs/promises')
        await rename(`${target}.tmp`, join(runtime.dataDir, `tc/chronic-disease-registry/v${v}.parquet`))
        return `tc/chronic-disease-registry/v${v}.parquet`
      },
    )
    const after = await query(who, sql)
    log('F', {
      published,
      before: { status: before.status, rows: before.rows },
      after: { status: after.status, rows: after.rows, message: after.message },
      derived:
        after.status === 200
          ? {
              n: Number(after.rows[0]?.[0]) - Number(before.rows[0]?.[0]),
              days: Number(after.rows[0]?.[1]) - Number(before.rows[0]?.[1]),
            }
          : undefined,
    })
  })
})
