import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { openTestRuntime, type TestRuntime } from '../testing/index.js'
import { runCli } from './cli.js'

// The commands run in process, on the data and database of a runtime loaded as `npm start` would.
let runtime: TestRuntime
let lineageFile: string
beforeAll(async () => {
  lineageFile = join(await mkdtemp(join(tmpdir(), 'cli-lineage-')), 'events.jsonl')
  runtime = await openTestRuntime({
    backend: 'postgres',
    postgresUrl: inject('postgresUrl'),
    // Lineage also goes to a file, so runs have an external delivery to show.
    env: { LINEAGE_FILE: lineageFile },
  })
})
afterAll(() => runtime.dispose())

const cli = async (...argv: string[]) => {
  let out = ''
  let err = ''
  const env = {
    DATA_DIR: runtime.dataDir,
    DATABASE_URL: runtime.config.DATABASE_URL,
    LOG_LEVEL: 'silent',
    // Development mode, as the runtime: both read the pseudonym key kept in the data directory.
    DEV_SIGN_IN: 'true',
  }
  const code = await runCli(
    argv,
    env,
    (t) => {
      out += t
    },
    (t) => {
      err += t
    },
  )
  return { code, out, err }
}

describe('CLI commands', () => {
  it("shows whether each run's lineage reached the external consumers", async () => {
    expect(await runtime.lineage.emitter.flush(10_000)).toBe(true)
    const runs = JSON.parse((await cli('runs', '--json')).out) as {
      kind: string
      lineageDelivery: { transport: string; delivered: number; pending: number }[]
    }[]
    const fuse = runs.filter((r) => r.kind === 'fuse')
    expect(fuse.length).toBeGreaterThan(0)
    for (const run of fuse)
      expect(run.lineageDelivery).toEqual([
        expect.objectContaining({ transport: `file:${lineageFile}`, delivered: 2, pending: 0 }),
      ])
    const lines = (await readFile(lineageFile, 'utf8')).trim().split('\n')
    expect(lines.length).toBeGreaterThanOrEqual(runs.length * 2)
    const table = (await cli('runs')).out.split('\n')
    expect(table[0]).toMatch(/lineage out/)
    expect(table.filter((line) => / fuse .* sent /.test(line))).toHaveLength(fuse.length)
  })

  it('lists runs as JSON for scripts', async () => {
    const { code, out } = await cli('runs', '--json')
    expect(code).toBe(0)
    const runs = JSON.parse(out) as Record<string, unknown>[]
    const ingests = runs.filter((r) => r.kind === 'ingest')
    expect(ingests.map((r) => r.feed).sort()).toEqual([
      'dos_businesses',
      'dos_persons',
      'govtech_sensor_readings',
      'govtech_sensor_stations',
      'govtech_systems_register',
      'mddi_ai_projects',
      'mddi_digital_services',
      'mddi_satisfaction_survey',
      'mddi_transformative_projects',
      'moh_chronic_registry',
      'psd_officer_training',
      'sla_addresses',
    ])
    for (const run of ingests) {
      expect(run).toMatchObject({
        id: expect.stringMatching(/^run_/),
        status: 'succeeded',
        rowsIn: expect.any(Number),
        accepted: expect.any(Number),
        quarantined: expect.any(Number),
      })
      expect(run.rowsIn).toBe((run.accepted as number) + (run.quarantined as number))
    }
    expect(
      runs
        .filter((r) => r.kind === 'fuse')
        .map((r) => r.pipeline)
        .sort(),
    ).toEqual([
      'ai_projects',
      'business_by_planning_area',
      'chronic_disease_registry',
      'digital_services',
      'officer_training',
      'person_address_pa',
      'postal_geocode_reference',
      'satisfaction_survey',
      'sensor_hourly_by_planning_area',
      'systems_register',
      'transformative_projects',
    ])
  })

  it('reports a repeated delivery and an unknown feed clearly', async () => {
    const repeat = await cli(
      'ingest',
      'dos_persons',
      join(runtime.dataDir, 'feeds', 'inbox', 'dos_persons.csv'),
    )
    expect(repeat.code).toBe(0)
    expect(repeat.out).toMatch(
      /^already-delivered: \d+ of \d+ rows accepted, \d+ quarantined \(run run_/,
    )
    const unknown = await cli('ingest', 'dos_pets', 'x.csv')
    expect(unknown).toMatchObject({
      code: 1,
      err: "Unknown feed 'dos_pets': expected one of dos_persons, sla_addresses, dos_businesses, govtech_sensor_stations, govtech_sensor_readings, moh_chronic_registry, mddi_digital_services, mddi_satisfaction_survey, psd_officer_training, mddi_transformative_projects, mddi_ai_projects, govtech_systems_register\n",
    })
    const usage = await cli('ingest')
    expect(usage.code).toBe(2)
    expect(usage.err).toMatch(/^ingest needs a feed and a file/)
  })

  it('shows the rows an ingest run quarantined, and refuses other runs', async () => {
    const runs = JSON.parse((await cli('runs', '--json')).out) as {
      id: string
      kind: string
      feed?: string
      quarantined?: number
    }[]
    const persons = runs.find((r) => r.feed === 'dos_persons')
    const { code, out } = await cli('quarantine', persons?.id ?? '', '--json')
    expect(code).toBe(0)
    const rows = JSON.parse(out) as { row: number; reason: string; rawText: string }[]
    expect(rows.length).toBe(persons?.quarantined)
    expect(rows[0]).toEqual({
      row: expect.any(Number),
      reason: expect.any(String),
      rawText: expect.any(String),
    })
    const text = await cli('quarantine', persons?.id ?? '', '--limit', '2')
    expect(text.out).toMatch(/^row \d+: .+\n {4}.+\nrow \d+: .+\n {4}.+\n$/)
    const fuse = runs.find((r) => r.kind === 'fuse')
    expect((await cli('quarantine', fuse?.id ?? '')).err).toBe(
      `Run '${fuse?.id}' is a fuse run: only ingest runs have a quarantine\n`,
    )
    expect((await cli('quarantine', 'run_nope')).err).toBe("Run 'run_nope' not found\n")
  })

  it('fuses again without publishing a duplicate', async () => {
    const { code, out } = await cli('fuse')
    expect(code).toBe(0)
    expect(out).toBe(
      [
        'postal_geocode_reference: Unchanged: postal-geocode-reference v1 is current',
        'person_address_pa: Unchanged: person-address-pa v1 is current',
        'business_by_planning_area: Unchanged: business-by-planning-area v1 is current',
        'sensor_hourly_by_planning_area: Unchanged: sensor-hourly-by-planning-area v1 is current',
        'chronic_disease_registry: Unchanged: chronic-disease-registry v1 is current',
        'digital_services: Unchanged: digital-services-register v1 is current',
        'satisfaction_survey: Unchanged: digital-services-satisfaction-survey v1 is current',
        'officer_training: Unchanged: officer-training-records v1 is current',
        'transformative_projects: Unchanged: digital-projects-register v1 is current',
        'ai_projects: Unchanged: ai-projects-register v1 is current',
        'systems_register: Unchanged: government-systems-register v1 is current',
        '',
      ].join('\n'),
    )
  })
})
