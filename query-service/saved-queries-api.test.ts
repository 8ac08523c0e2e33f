import { beforeAll, describe, expect, it } from 'vitest'
import { useTestPlatform } from '../testing/index.js'
import type { JsonResult } from './routes-test-kit.js'

// officer.moh (A) holds three columns of the fused persons, every row; steward.sla (C) holds the
// same columns, men only; officer.moe (B) holds no grant, only the sample.
const platform = useTestPlatform({
  backend: 'pglite',
  signIn: ['officer.moh', 'officer.moe', 'steward.sla', 'steward.dos'],
})
type Who = 'officer.moh' | 'officer.moe' | 'steward.sla' | 'steward.dos'

interface SavedQueryJson {
  id: string
  name: string
  description: string | null
  sql: string
  parameters: { name: string; type: string; choices: string[] | null }[]
  owner: { id: string; name: string }
  mine: boolean
}

const call = <T>(method: string, path: string, who: Who, body?: unknown) =>
  platform.call<T>(method, path, who, body)

async function grant(who: Who, rowFilter?: unknown) {
  const created = await call<{ id: string }>('POST', '/api/requests', who, {
    dataset: 'person-address-pa',
    columns: ['person_key', 'sex', 'planning_area_code'],
    purpose: 'Plan polyclinic capacity by planning area and sex',
    legalBasis: 'PSGA 2018 s. 25',
    durationDays: 30,
  })
  expect(created.status).toBe(201)
  const approved = await call(
    'POST',
    `/api/requests/${created.body.data.id}/approve`,
    'steward.dos',
    rowFilter ? { rowFilter } : {},
  )
  expect(approved.status).toBe(200)
}

const BY_SEX = {
  name: 'People by sex',
  description: 'How many people of each sex, leaving one out',
  sql: 'SELECT sex, count(*) AS n FROM person_address_pa WHERE sex <> $skip GROUP BY sex ORDER BY sex',
  parameters: [{ name: 'skip', type: 'text' }],
}

let bySex: SavedQueryJson
beforeAll(async () => {
  await grant('officer.moh')
  await grant('steward.sla', [{ column: 'sex', op: 'in', values: ['M'] }])
  const saved = await call<SavedQueryJson>('POST', '/api/saved-queries', 'officer.moh', BY_SEX)
  expect(saved.status).toBe(201)
  bySex = saved.body.data
})

const run = (who: Who, id: string, values: Record<string, unknown>) =>
  call<JsonResult>('POST', `/api/saved-queries/${id}/run`, who, { values })

describe('a saved parameterised query, opened by link', () => {
  it('is saved with its name, description, owner and typed parameters', () => {
    expect(bySex).toMatchObject({
      id: expect.stringMatching(/^sq_[0-9a-f]{32}$/),
      name: 'People by sex',
      description: 'How many people of each sex, leaving one out',
      sql: BY_SEX.sql,
      parameters: [{ name: 'skip', type: 'text', choices: null }],
      owner: { name: 'Nur Aisyah (MOH officer)' },
      mine: true,
    })
  })

  it('runs for its owner over every row their grant shows', async () => {
    const { status, body } = await run('officer.moh', bySex.id, { skip: 'X' })
    expect(status).toBe(200)
    expect(body.data.rows.map((r) => r[0])).toEqual(['F', 'M'])
  })

  it('opens for another officer, who runs it under their own access: refused without a grant', async () => {
    const opened = await call<SavedQueryJson>(
      'GET',
      `/api/saved-queries/${bySex.id}`,
      'officer.moe',
    )
    expect(opened.status).toBe(200)
    expect(opened.body.data).toMatchObject({ id: bySex.id, mine: false })
    const { status, body } = await run('officer.moe', bySex.id, { skip: 'X' })
    expect(status).toBe(400)
    expect(body.error.code).toBe('query_refused')
    expect(body.error.message).toContain('person_address_pa')
  })

  it("gives an officer with a filtered grant only the rows their grant's filter lets through", async () => {
    const { status, body } = await run('steward.sla', bySex.id, { skip: 'X' })
    expect(status).toBe(200)
    expect(body.data.rows.map((r) => r[0])).toEqual(['M'])
  })

  it('records the run in the opener’s history and the audit trail, naming the saved query', async () => {
    const { headers } = await platform.app.request(`/api/saved-queries/${bySex.id}/run`, {
      method: 'POST',
      headers: { ...platform.as['steward.sla'], 'content-type': 'application/json' },
      body: JSON.stringify({ values: { skip: 'F' } }),
    })
    const runId = headers.get('x-query-id')
    const history = await call<{ id: string; sql: string }[]>(
      'GET',
      '/api/query/history',
      'steward.sla',
    )
    expect(history.body.data.find((h) => h.id === runId)?.sql).toContain("sex <> ('F')")
    const entries = await platform.runtime.db
      .selectFrom('audit_log')
      .select(['action', 'subject_id', 'details', 'actor'])
      .where('action', 'in', ['saved-query.run', 'query.run'])
      .where('actor', '=', 'steward.sla')
      .execute()
    expect(entries).toContainEqual(
      expect.objectContaining({
        action: 'saved-query.run',
        subject_id: bySex.id,
        details: expect.objectContaining({ query: runId, parameters: ['skip'] }),
      }),
    )
    expect(entries).toContainEqual(
      expect.objectContaining({ action: 'query.run', subject_id: runId }),
    )
  })
})

describe('parameter values are data, never SQL', () => {
  let bySexOf: SavedQueryJson
  let limited: SavedQueryJson
  beforeAll(async () => {
    bySexOf = (
      await call<SavedQueryJson>('POST', '/api/saved-queries', 'officer.moh', {
        name: 'One sex',
        sql: 'SELECT count(*) AS n FROM person_address_pa WHERE sex = $sex',
        parameters: [{ name: 'sex', type: 'text' }],
      })
    ).body.data
    limited = (
      await call<SavedQueryJson>('POST', '/api/saved-queries', 'officer.moh', {
        name: 'A few, after a day',
        sql: "SELECT sex FROM person_address_pa WHERE DATE '2026-01-01' >= $from AND 1-$n < 5 LIMIT $n",
        parameters: [
          { name: 'n', type: 'integer', choices: ['1', '2', '3'] },
          { name: 'from', type: 'date' },
        ],
      })
    ).body.data
  })

  it.each([
    "'; DROP TABLE query_history; --",
    "M' OR '1'='1",
    "') UNION SELECT count(*) FROM person_address_pa_sample --",
    "M'); SELECT 1; --",
    'M\\',
  ])('compares %j as text and finds no one', async (value) => {
    const { status, body } = await run('officer.moh', bySexOf.id, { sex: value })
    expect(status).toBe(200)
    expect(body.data.rows).toEqual([['0']])
  })

  it('fills a value only where DuckDB reads a parameter, whatever line breaks hide it', async () => {
    // A carriage return ends a line comment for DuckDB: a scanner that missed it would find the
    // first $v where DuckDB reads a string, and the value's quotes would close that string.
    const sql =
      "SELECT count(*) AS n FROM person_address_pa -- c\r WHERE sex = '\n$v\n' OR sex = $v --'\n"
    const value = ' OR TRUE OR sex = --'
    const saved = await call<SavedQueryJson>('POST', '/api/saved-queries', 'officer.moh', {
      name: 'Hidden by a carriage return',
      sql,
      parameters: [{ name: 'v', type: 'text', choices: [value] }],
    })
    // Either it is refused as unclear, or the value is compared as text and finds no one.
    if (saved.status === 400)
      expect(saved.body.error.message).toMatch(/could not be told apart from the text around/)
    else {
      const { status, body } = await run('officer.moh', saved.body.data.id, { v: value })
      expect(status).toBe(200)
      expect(body.data.rows).toEqual([['0']])
    }
  })

  it('refuses a number too large to be one, naming its parameter', async () => {
    const huge = await call<SavedQueryJson>('POST', '/api/saved-queries', 'officer.moh', {
      name: 'Above a share',
      sql: 'SELECT count(*) AS n FROM person_address_pa WHERE 1 > $share',
      parameters: [{ name: 'share', type: 'number' }],
    })
    const refused = await run('officer.moh', huge.body.data.id, { share: '1e309' })
    expect(refused.status).toBe(400)
    expect(refused.body.error.message).toMatch(/share/)
    expect((await run('officer.moh', huge.body.data.id, { share: '0.5' })).status).toBe(200)
  })

  it('matches a plain value as the SQL says', async () => {
    const { body } = await run('officer.moh', bySexOf.id, { sex: 'M' })
    expect(Number(body.data.rows[0]?.[0])).toBeGreaterThan(0)
  })

  it.each([
    [
      { n: '1 OR 1=1', from: '2025-01-01' },
      "values.n: '1 OR 1=1' is not a whole number such as 42",
    ],
    [{ n: 2.5, from: '2025-01-01' }, "values.n: '2.5' is not a whole number such as 42"],
    [{ n: '4', from: '2025-01-01' }, "values.n: choose one of '1', '2', '3'"],
    [
      { n: 1, from: '2025-02-30' },
      "values.from: '2025-02-30' is not a date as YYYY-MM-DD, such as 2026-03-31",
    ],
    [{ n: 1, from: "2025-01-01' OR 1=1" }, 'values.from:'],
    [{ n: 1 }, 'values.from: give a value (a date as YYYY-MM-DD, such as 2026-03-31)'],
    [
      { n: 1, from: '2025-01-01', region: 'CR' },
      'values.region: this query has no such parameter; its parameters are n, from',
    ],
  ])('refuses %j, naming the parameter', async (values, message) => {
    const { status, body } = await run('officer.moh', limited.id, values)
    expect(status).toBe(400)
    expect(body.error.code).toBe('invalid_input')
    expect(body.error.message).toContain(message)
  })

  it('runs typed values as literals of their type, a negative number included', async () => {
    const ok = await run('officer.moh', limited.id, { n: 2, from: '2025-12-31' })
    expect(ok.status).toBe(200)
    expect(ok.body.data.rows).toHaveLength(2)
    const minus = await call<SavedQueryJson>('POST', '/api/saved-queries', 'officer.moh', {
      name: 'Minus',
      sql: 'SELECT 1-$x AS y, $x AS x',
      parameters: [{ name: 'x', type: 'number' }],
    })
    const { status, body } = await run('officer.moh', minus.body.data.id, { x: '-1.5' })
    expect(status).toBe(200)
    expect(body.data.rows.map((r) => r.map(String))).toEqual([['2.5', '-1.5']])
  })
})

describe('saving, changing and deleting', () => {
  const save = (body: unknown, who: Who = 'officer.moh') =>
    call<SavedQueryJson>('POST', '/api/saved-queries', who, body)

  it.each([
    [{ name: 'Broken', sql: 'SELEC 1' }, 'sql: Syntax error'],
    [
      { name: 'Undeclared', sql: 'SELECT * FROM person_address_pa WHERE sex = $sex' },
      'parameters: give $sex a type',
    ],
    [
      { name: 'Unused', sql: 'SELECT 1', parameters: [{ name: 'sex', type: 'text' }] },
      'parameters[0].name: the SQL has no $sex',
    ],
    [
      { name: 'Numbered', sql: 'SELECT * FROM person_address_pa WHERE sex = $1' },
      'sql: name each parameter, a letter first',
    ],
    [{ name: 'Elsewhere', sql: 'SELECT * FROM persons_everywhere' }, 'persons_everywhere'],
    [
      {
        name: 'Bad choice',
        sql: 'SELECT $d AS d',
        parameters: [{ name: 'd', type: 'date', choices: ['yesterday'] }],
      },
      "parameters[0].choices[0]: 'yesterday' is not a date",
    ],
    [{ name: 'x'.repeat(201), sql: 'SELECT 1' }, 'name: at most 200 characters'],
    [
      { name: 'Long', description: 'x'.repeat(2_001), sql: 'SELECT 1' },
      'description: at most 2,000',
    ],
    [{ name: '  ', sql: 'SELECT 1' }, 'name: give the query a name'],
    [{ name: 'Two', sql: 'SELECT 1; SELECT 2' }, 'sql: One statement at a time'],
  ])('refuses a query when saved (case %#), saying what to fix', async (body, message) => {
    const { status, body: answer } = await save(body)
    expect(status).toBe(400)
    expect(answer.error.message).toContain(message)
  })

  it('lets only its owner change or delete it, and lists each person’s own', async () => {
    const { body } = await save({ name: 'Mine', sql: 'SELECT 1 AS one' })
    const id = body.data.id
    const changedByOther = await call('PATCH', `/api/saved-queries/${id}`, 'officer.moe', {
      name: 'Theirs',
    })
    expect(changedByOther.status).toBe(403)
    expect(changedByOther.body.error.message).toContain('Only Nur Aisyah (MOH officer)')
    expect((await call('DELETE', `/api/saved-queries/${id}`, 'officer.moe')).status).toBe(403)
    const changed = await call<SavedQueryJson>('PATCH', `/api/saved-queries/${id}`, 'officer.moh', {
      description: 'Just one',
      sql: 'SELECT $n AS one',
      parameters: [{ name: 'n', type: 'integer' }],
    })
    expect(changed.status).toBe(200)
    expect(changed.body.data).toMatchObject({ name: 'Mine', description: 'Just one' })
    const mine = await call<SavedQueryJson[]>('GET', '/api/saved-queries', 'officer.moh')
    expect(mine.body.data[0]?.id).toBe(id)
    expect(mine.body.data.every((q) => q.mine)).toBe(true)
    const theirs = await call<SavedQueryJson[]>('GET', '/api/saved-queries', 'officer.moe')
    expect(theirs.body.data).toEqual([])
    expect((await call('DELETE', `/api/saved-queries/${id}`, 'officer.moh')).status).toBe(200)
    expect((await call('GET', `/api/saved-queries/${id}`, 'officer.moe')).status).toBe(404)
    const audited = await platform.runtime.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', id)
      .orderBy('seq')
      .execute()
    expect(audited.map((e) => e.action)).toEqual([
      'saved-query.create',
      'saved-query.update',
      'saved-query.delete',
    ])
  })

  it('answers 404 for an id that is no saved query', async () => {
    expect((await call('GET', '/api/saved-queries/sq_nope', 'officer.moe')).status).toBe(404)
    expect((await run('officer.moe', `sq_${'0'.repeat(32)}`, {})).status).toBe(404)
  })

  it('keeps at most 100 saved queries per person', async () => {
    const me = await call<{ user: { id: string } }>('GET', '/api/auth/me', 'officer.moe')
    const now = new Date()
    await platform.runtime.db
      .insertInto('saved_queries')
      .values(
        Array.from({ length: 100 }, (_, i) => ({
          id: `sq_${i.toString(16).padStart(32, '0')}`,
          owner_id: me.body.data.user.id,
          owner_name: 'Daniel Tan (MOE officer)',
          name: `Query ${i}`,
          description: null,
          sql: 'SELECT 1',
          parameters: '[]',
          created_at: now,
          updated_at: now,
        })),
      )
      .execute()
    const { status, body } = await save({ name: 'One more', sql: 'SELECT 1' }, 'officer.moe')
    expect(status).toBe(409)
    expect(body.error.message).toContain('You have 100 saved queries')
  })
})
