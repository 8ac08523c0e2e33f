import { describe, expect, it } from 'vitest'
import { singaporeStamp } from './download-name.js'
import { type Answer, useQueryApi } from './routes-test-kit.js'

const { platform, post, query } = useQueryApi()

interface Entry {
  id: string
  sql: string
  purpose: string
  status: string
  views: string[]
}

const historyOf = async (who: 'officer.moh' | 'officer.moe', show?: string) => {
  const res = await platform.app.request(`/api/query/history${show ? `?show=${show}` : ''}`, {
    headers: platform.as[who],
  })
  expect(res.status).toBe(200)
  return ((await res.json()) as Answer<Entry[]>).data
}

describe('a person’s history through the API', () => {
  it('lists only their own queries, with the sample previews of dataset pages apart', async () => {
    const ran = [
      {
        id: 'q_history-workbench-1',
        sql: 'SELECT sex FROM person_address_pa',
        purpose: 'workbench',
      },
      { id: 'q_history-api-0001', sql: 'SELECT 1 AS one' },
      {
        id: 'q_history-preview-1',
        sql: 'SELECT * FROM postal_geocode_reference LIMIT 10',
        purpose: 'preview',
      },
    ]
    for (const body of ran) expect((await query('officer.moh', body)).status).toBe(200)
    const theirs = { id: 'q_history-theirs-1', sql: 'SELECT 2 AS two', purpose: 'workbench' }
    expect((await query('officer.moe', theirs)).status).toBe(200)

    const mine = await historyOf('officer.moh')
    expect(mine.map((e) => [e.id, e.purpose, e.status])).toEqual([
      ['q_history-api-0001', 'api', 'succeeded'],
      ['q_history-workbench-1', 'workbench', 'succeeded'],
    ])
    expect(mine[1]?.views).toEqual(['person_address_pa'])
    expect((await historyOf('officer.moh', 'previews')).map((e) => [e.id, e.purpose])).toEqual([
      ['q_history-preview-1', 'preview'],
    ])

    // Another person's queries never show, nor theirs in mine, whichever list is asked for.
    const other = [
      ...(await historyOf('officer.moe')),
      ...(await historyOf('officer.moe', 'previews')),
    ]
    expect(other.map((e) => e.id)).toEqual(['q_history-theirs-1'])
    expect(mine.map((e) => e.id)).not.toContain(theirs.id)
  })

  it('refuses a purpose or a list it does not know, naming what it takes', async () => {
    const refused = await query('officer.moh', { sql: 'SELECT 1', purpose: 'chart' })
    expect(refused.status).toBe(400)
    expect(refused.body.error.message).toMatch(/purpose/)
    const res = await platform.app.request('/api/query/history?show=everyone', {
      headers: platform.as['officer.moh'],
    })
    expect(res.status).toBe(400)
  })
})

describe('the views’ grant terms', () => {
  it('names the columns granted, the identifiers in clear and the row filter', async () => {
    const res = await platform.app.request('/api/query/views', {
      headers: platform.as['officer.moh'],
    })
    const views = (
      (await res.json()) as Answer<
        { name: string; grantedColumns: string[] | null; inClear: string[]; rowFilter: unknown[] }[]
      >
    ).data
    expect(views.find((v) => v.name === 'person_address_pa')).toMatchObject({
      grantedColumns: ['person_key', 'sex', 'planning_area_code'],
      inClear: [],
      rowFilter: [{ column: 'sex', op: 'in', values: ['M'] }],
    })
    expect(views.find((v) => v.name === 'postal_geocode_reference')).toMatchObject({
      grantedColumns: null,
      rowFilter: [],
    })
  })
})

describe('downloads of a query', () => {
  it('are named after the datasets read and the time in Singapore', async () => {
    const before = new Date()
    const res = await post('/api/query', 'officer.moh', {
      sql: 'SELECT p.sex, g.region_code FROM person_address_pa p JOIN postal_geocode_reference g USING (planning_area_code) LIMIT 5',
      format: 'csv',
      purpose: 'workbench',
    })
    expect(res.status, await res.clone().text()).toBe(200)
    await res.arrayBuffer()
    const header = res.headers.get('content-disposition') ?? ''
    const name = /^attachment; filename="([^"]+)"$/.exec(header)?.[1] ?? ''
    const stamp = /_(\d{4}-\d{2}-\d{2}T\d{4}\+0800)\.csv$/.exec(name)?.[1]
    expect(name.replace(`_${stamp}.csv`, '').split('_').sort()).toEqual([
      'person-address-pa',
      'postal-geocode-reference',
    ])
    expect([singaporeStamp(before), singaporeStamp(new Date())]).toContain(stamp)
  })

  it('are named "query" with the time when they read no dataset', async () => {
    const res = await post('/api/query', 'officer.moe', {
      sql: 'SELECT 1 AS one',
      format: 'ndjson',
    })
    await res.arrayBuffer()
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="query_\d{4}-\d{2}-\d{2}T\d{4}\+0800\.ndjson"$/,
    )
  })
})
