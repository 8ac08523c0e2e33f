import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { tableFromArrays, tableToIPC } from 'apache-arrow'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { grantsOnRecord } from '../access/index.js'
import { systemAbility } from '../identity/index.js'
import { runCli, useTestPlatform } from '../testing/index.js'
import { traceExtract } from './trace-extract.js'

// Each project sees its own pseudonyms: two projects' extracts of one dataset cannot be joined on
// them, and a file that leaks names the grant it was made for.
const platform = useTestPlatform({
  backend: 'postgres',
  postgresUrl: inject('postgresUrl'),
  signIn: ['officer.moh', 'officer.moe', 'steward.sla', 'steward.dos'],
})
type User = keyof typeof platform.as
let dir: string
const grants: Record<string, string> = {}

const post = async (who: User, path: string, body: unknown) => {
  const res = await platform.app.request(path, {
    method: 'POST',
    headers: { ...platform.as[who], 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return (await res.json()) as { data: { id: string; grant?: { id: string } } }
}
/** A grant of three columns of the fused persons, for the requester's project. */
const grant = async (who: User, project: string | undefined) => {
  const request = await post(who, '/api/requests', {
    dataset: 'person-address-pa',
    columns: ['person_key', 'sex', 'age_band'],
    purpose: 'Plan services by age band and sex across planning areas',
    legalBasis: 'PSGA 2018 s. 25',
    durationDays: 30,
    ...(project && { project: { name: project } }),
  })
  const approved = await post('steward.dos', `/api/requests/${request.data.id}/approve`, {})
  grants[who] = approved.data.grant?.id ?? ''
}
/** The caller's extract as CSV: its file, and person_key by row. */
const extract = async (who: User, path = 'extract') => {
  const dataset = await platform.runtime.catalog.findDataset('person-address-pa', systemAbility())
  const version = dataset?.currentVersion?.version ?? 1
  const res = await platform.app.request(
    `/api/datasets/person-address-pa/versions/${version}/${path}?format=csv`,
    { headers: platform.as[who] },
  )
  expect(res.status).toBe(200)
  const text = await res.text()
  const file = join(dir, `${who}-${path}.csv`)
  await writeFile(file, text)
  const keys = text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',')[0] ?? '')
  return { file, keys }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pseudonyms-'))
  await grant('officer.moh', 'Polyclinic capacity')
  // Someone else naming the same project, as anyone may: their pseudonyms are their own.
  await grant('steward.sla', '  polyclinic   CAPACITY')
  await grant('officer.moe', 'Road safety')
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('pseudonyms per project', () => {
  it('gives one project one pseudonym per person, and anyone else’s project others', async () => {
    const moh = await extract('officer.moh')
    expect(moh.keys.length).toBeGreaterThan(500)
    expect(moh.keys.every((k) => /^masked-[0-9a-f]{16}$/.test(k))).toBe(true)
    for (const other of [await extract('steward.sla'), await extract('officer.moe')]) {
      const theirs = new Set(other.keys)
      expect(theirs.size).toBe(moh.keys.length)
      expect(moh.keys.filter((k) => theirs.has(k))).toEqual([])
    }
    // A second grant of the same project for the same person: the same pseudonyms.
    await grant('officer.moh', 'POLYCLINIC capacity ')
    const keysOf = async (view: string) => {
      const res = await platform.app.request('/api/query', {
        method: 'POST',
        headers: { ...platform.as['officer.moh'], 'content-type': 'application/json' },
        body: JSON.stringify({ sql: `SELECT person_key FROM ${view} ORDER BY person_key` }),
      })
      return ((await res.json()) as { data: { rows: string[][] } }).data.rows.flat()
    }
    const first = await keysOf('person_address_pa')
    expect(first).toHaveLength(moh.keys.length)
    expect(await keysOf('person_address_pa_2')).toEqual(first)
    const theirs = new Set((await extract('officer.moe')).keys)
    // The sample has a key of its own too.
    const sample = await extract('officer.moh', 'sample')
    expect(sample.keys.filter((k) => theirs.has(k) || first.includes(k))).toEqual([])
  })

  it('traces a leaked file to the grants of its project', async () => {
    const leaked = await extract('officer.moe')
    const trace = await traceExtract(leaked.file, {
      dataDir: platform.runtime.dataDir,
      keys: platform.runtime.pseudonyms,
      ...(await grantsOnRecord(platform.runtime.db)),
    })
    expect(trace.pseudonymColumns).toEqual([{ column: 'person_key', sampled: 200 }])
    expect(trace.matches).toEqual([
      expect.objectContaining({
        column: 'person_key',
        dataset: 'person-address-pa',
        identifier: 'person_key',
        scope: expect.stringMatching(/^project:u_[0-9a-f]+\/road safety$/),
        matched: 200,
        sampled: 200,
        grants: [
          expect.objectContaining({
            id: grants['officer.moe'],
            grantee: expect.objectContaining({ username: 'officer.moe', agency: 'MOE' }),
            sameColumns: true,
          }),
        ],
      }),
    ])
    // The command operators run, on the same database and data directory.
    let out = ''
    const code = await runCli(
      ['trace-extract', leaked.file],
      {
        DATA_DIR: platform.runtime.dataDir,
        DATABASE_URL: platform.runtime.config.DATABASE_URL,
        LOG_LEVEL: 'silent',
        DEV_SIGN_IN: 'true',
      },
      (text) => {
        out += text
      },
      () => {},
    )
    expect(code).toBe(0)
    expect(out).toContain(
      'Made for project "Road safety" of "officer.moe": all pseudonyms of "person_key" are person-address-pa.person_key under its key',
    )
    expect(out).toContain(`grant ${grants['officer.moe']}  "officer.moe" ("MOE")`)
    // A sample traces to the samples' key, not to anyone's grant.
    const sample = await extract('officer.moe', 'sample')
    const sampleTrace = await traceExtract(sample.file, {
      dataDir: platform.runtime.dataDir,
      keys: platform.runtime.pseudonyms,
      ...(await grantsOnRecord(platform.runtime.db)),
    })
    expect(
      sampleTrace.matches.map((m) => [m.column, m.scope, m.matched, m.grants.length]).sort(),
    ).toEqual([
      ['person_key', 'sample:person-address-pa/v1', 200, 0],
      ['person_source', 'sample:person-address-pa/v1', 200, 0],
    ])
  })
})

describe('tracing a reshaped or quoted extract', () => {
  it('traces a file however it was reshaped: renamed, mixed with a sample, as JSON or an Arrow file', async () => {
    const records = await grantsOnRecord(platform.runtime.db)
    const trace = (file: string) =>
      traceExtract(file, {
        dataDir: platform.runtime.dataDir,
        keys: platform.runtime.pseudonyms,
        ...records,
      })
    const scopesOf = async (file: string) =>
      (await trace(file)).matches.map((m) => [
        m.column,
        m.scope.replace(/u_[0-9a-f]+/, 'u'),
        m.identifier,
      ])
    const leaked = await extract('officer.moe')
    const sample = await extract('officer.moe', 'sample')
    const [header = '', ...rows] = (await readFile(leaked.file, 'utf8')).trim().split('\n')
    // The identifier's column renamed.
    const renamed = join(dir, 'renamed.csv')
    await writeFile(renamed, [header.replace('person_key', 'pk'), ...rows].join('\n'))
    expect(await scopesOf(renamed)).toEqual([['pk', 'project:u/road safety', 'person_key']])
    // A thousand rows of the sample first, then the grant's: both sources are named.
    const sampleRows = (await readFile(sample.file, 'utf8')).trim().split('\n').slice(1)
    const mixed = join(dir, 'mixed.csv')
    await writeFile(
      mixed,
      [header, ...sampleRows.map((r) => r.split(',').slice(0, 3).join(',')), ...rows].join('\n'),
    )
    expect((await scopesOf(mixed)).map(([, scope]) => scope).sort()).toEqual([
      'project:u/road safety',
      'sample:person-address-pa/v1',
    ])
    // The portal's own JSON answer, and an Arrow IPC file (as pyarrow writes them).
    const answer = await platform.app.request('/api/query', {
      method: 'POST',
      headers: { ...platform.as['officer.moe'], 'content-type': 'application/json' },
      body: JSON.stringify({ sql: 'SELECT person_key FROM person_address_pa' }),
    })
    const json = join(dir, 'answer.json')
    await writeFile(json, await answer.text())
    expect(await scopesOf(json)).toEqual([['person_key', 'project:u/road safety', 'person_key']])
    const arrowFile = join(dir, 'answer.arrow')
    await writeFile(
      arrowFile,
      tableToIPC(tableFromArrays({ person_key: rows.map((r) => r.split(',')[0] ?? '') }), 'file'),
    )
    expect(await scopesOf(arrowFile)).toEqual([
      ['person_key', 'project:u/road safety', 'person_key'],
    ])
  })

  it('prints names from free text quoted, so none can rewrite the lines around them', async () => {
    const asked = {
      dataset: 'person-address-pa',
      columns: ['person_key', 'sex'],
      purpose: 'Plan services by sex across the whole of Singapore',
      legalBasis: 'PSGA 2018 s. 25',
      durationDays: 30,
    }
    // A name with control characters (here: clear the line, return) is refused outright …
    const refused = await platform.app.request('/api/requests', {
      method: 'POST',
      headers: { ...platform.as['officer.moe'], 'content-type': 'application/json' },
      body: JSON.stringify({
        ...asked,
        project: { name: "Dengue\u001b[2K\rMade for project 'x' of officer.moh" },
      }),
    })
    expect(refused.status).toBe(400)
    expect(await refused.text()).toMatch(/project\.name: .*U\+001B/)
    // … and one that quotes itself is printed quoted whole.
    const request = await post('officer.moe', '/api/requests', {
      ...asked,
      project: { name: 'Dengue" of "officer.moh' },
    })
    await post('steward.dos', `/api/requests/${request.data.id}/approve`, {})
    const res = await platform.app.request('/api/query', {
      method: 'POST',
      headers: { ...platform.as['officer.moe'], 'content-type': 'application/json' },
      body: JSON.stringify({
        sql: 'SELECT person_key, sex FROM person_address_pa_2',
        format: 'csv',
      }),
    })
    const file = join(dir, 'dengue.csv')
    await writeFile(file, await res.text())
    let out = ''
    await runCli(
      ['trace-extract', file],
      {
        DATA_DIR: platform.runtime.dataDir,
        DATABASE_URL: platform.runtime.config.DATABASE_URL,
        LOG_LEVEL: 'silent',
        DEV_SIGN_IN: 'true',
      },
      (text) => {
        out += text
      },
      () => {},
    )
    // No control character but the line ends.
    expect(
      [...out].filter((c) => c < ' ' && c !== '\n'),
      out,
    ).toEqual([])
    expect(out).toContain('Made for project "Dengue\\" of \\"officer.moh" of "officer.moe"')
  })
})
