import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFECT_TREATMENTS } from '../fixtures/index.js'
import { TEST_BACKENDS } from '../testing/index.js'
import { SLA_ADDRESSES } from './contracts/ssot-feeds.js'
import { useTrustedCentre } from './trusted-centre-test-kit.js'

/** The reason each quarantined defect kind must carry. */
const EXPECTED_REASONS: Record<string, RegExp> = {
  'dos_persons:bad_checksum':
    /^uinfin: '[STFGM]\d{7}[A-Z]' is not an NRIC\/FIN with a valid check letter$/,
  'dos_persons:invalid_postal_sector':
    /^reg_postal: '.{6}' is not a six-digit postal code in a valid sector$/,
  'dos_persons:exact_duplicate': /^exact duplicate of row \d+$/,
  'sla_addresses:postal_nil': /^postal: 'NIL' is not a six-digit postal code in a valid sector$/,
  'sla_addresses:outside_singapore': /^latitude: '[\d.]+' is outside 1.15..1.48$/,
  'dos_businesses:bad_uen_checksum':
    /^uen: '\w+' is not a UEN of a known format and entity type with a valid check letter$/,
  'dos_businesses:unknown_entity_type':
    /^uen: 'T\d\dZZ\d{4}[A-Z]' is not a UEN of a known format and entity type with a valid check letter$/,
  'govtech_sensor_readings:out_of_range':
    /^value: a (temperature outside 10..45 deg C|relative humidity outside 0..100 %|five-minute rainfall outside 0..200 mm)$/,
  'govtech_sensor_readings:exact_duplicate': /^exact duplicate of row \d+$/,
  'dos_businesses:ssic_unknown':
    /^primary_ssic_code: '\d{5}' is not a five-digit SSIC code of a known division$/,
  'moh_chronic_registry:bad_checksum':
    /^uinfin: '[STFGM]\d{7}[A-Z]' is not an NRIC\/FIN with a valid check letter$/,
  'mddi_digital_services:digital_exceeds_total':
    /^transactions_digital: more digital transactions than transactions$/,
  'mddi_satisfaction_survey:rating_out_of_scale': /^rating: '[07]' is outside 1..6$/,
  'psd_officer_training:unknown_ministry_family': /^ministry_family: 'MOX' is not one of MCCY, /,
  'govtech_systems_register:unknown_hosting':
    /^hosting: 'mainframe-x' is not one of commercial-cloud, government-data-centre$/,
}

/** How each normalised defect must look once accepted: a SQL expression over the staged row that must be true. */
const NORMALISED: Record<string, (key: string) => string> = {
  'dos_persons:unnormalised_id': (key) => `uinfin = '${key}'`,
  'dos_businesses:postal_leading_zero_dropped': () => `regexp_full_match(postal_code, '0[0-9]{5}')`,
  'dos_businesses:ssic_as_number': () => `regexp_full_match(primary_ssic_code, '0[0-9]{4}')`,
  'govtech_sensor_readings:utc_timestamp': (key) =>
    `observed_at = '${key.split('@')[1]?.split('/')[0]}'::TIMESTAMPTZ`,
  'moh_chronic_registry:unnormalised_id': (key) => `uinfin = '${key}'`,
}

describe.each(TEST_BACKENDS)('ingest on %s', (backend) => {
  const setup = useTrustedCentre(backend)

  it('gives every defect kind its treatment: quarantined with row and reason, or repaired, and counts reconcile', async () => {
    const results = await setup.tc.ingestDirectory(setup.inbox)
    expect(results.map((r) => [r.outcome, r.run.subject])).toEqual(
      [...setup.manifest.feeds]
        .map((f) => f.feed)
        .sort()
        .map((feed) => ['ingested', feed]),
    )
    for (const { run } of results) {
      const feed = setup.manifest.feeds.find((f) => f.feed === run.subject)
      expect(run.rowsIn).toBe(feed?.rows)
      expect(run.rowsIn).toBe((run.accepted ?? 0) + (run.quarantined ?? 0))
      const quarantined = await setup.parquetRows<{
        row: string
        reason: string
        raw_text: string
      }>(run.quarantinePath ?? '')
      const accepted = await setup.parquetRows<{ n: string }>(
        run.stagingPath ?? '',
        'count(*) AS n',
      )
      expect(Number(accepted[0]?.n)).toBe(run.accepted)
      expect(quarantined.length).toBe(run.quarantined)

      const defects = setup.manifest.defects.filter((d) => d.feed === run.subject)
      const treatments = DEFECT_TREATMENTS[run.subject] ?? {}
      const byRow = new Map(quarantined.map((q) => [Number(q.row), q]))
      for (const defect of defects) {
        const kind = `${defect.feed}:${defect.kind}`
        if (treatments[defect.kind] === 'quarantine') {
          expect(byRow.get(defect.row)?.reason, `${kind} at row ${defect.row}`).toMatch(
            EXPECTED_REASONS[kind] as RegExp,
          )
        } else {
          expect(byRow.has(defect.row), `${kind} at row ${defect.row} must be accepted`).toBe(false)
        }
        const normalised = NORMALISED[kind]
        if (treatments[defect.kind] === 'normalise' && normalised) {
          const [check] = await setup.parquetRows<{ ok: boolean }>(
            run.stagingPath ?? '',
            `bool_and(${normalised(defect.key)}) AS ok`,
            `_row = ${defect.row}`,
          )
          expect(check?.ok, `${kind} at row ${defect.row}`).toBe(true)
        }
      }
      // Nothing is refused that was not injected on purpose.
      const refused = defects.filter((d) => treatments[d.kind] === 'quarantine').map((d) => d.row)
      expect(new Set(quarantined.map((q) => Number(q.row)))).toEqual(new Set(refused))
    }
    const lines = (await readFile(join(setup.inbox, 'dos_persons.csv'), 'utf8')).split('\n')
    const checksum = setup.manifest.defects.find(
      (d) => d.kind === 'bad_checksum' && d.feed === 'dos_persons',
    )
    const persons = results.find((r) => r.run.subject === 'dos_persons')
    const quarantined = await setup.parquetRows<{ row: string; raw_text: string }>(
      persons?.run.quarantinePath ?? '',
    )
    expect(quarantined.find((q) => Number(q.row) === checksum?.row)?.raw_text).toBe(
      lines[checksum?.row ?? 0],
    )
  })

  it('treats a repeated delivery as a no-op that names the earlier run', async () => {
    const before = await setup.tc.listRuns()
    const again = await setup.tc.ingest('dos_persons', join(setup.inbox, 'dos_persons.csv'))
    expect(again.outcome).toBe('already-delivered')
    expect(again.run.id).toBe(before.find((r) => r.subject === 'dos_persons')?.id)
    expect(await setup.tc.listRuns()).toHaveLength(before.length)
  })

  it('refuses a delivery whose header breaks the contract, keeping the file', async () => {
    const file = join(setup.dataDir, 'renamed.csv')
    const original = await readFile(join(setup.inbox, 'sla_addresses.csv'), 'utf8')
    await writeFile(
      file,
      original.replace('postal,blk_no', 'postcode,blk_no').replace(',synthetic', ''),
    )
    const result = await setup.tc.ingest('sla_addresses', file)
    expect(result.outcome).toBe('refused')
    // In the contract's terms only: the file's own column name is withheld, kept for stewards.
    const columns = SLA_ADDRESSES.columns.length
    expect(result.run.message).toBe(
      `Header of the sla_addresses delivery does not match contract v1: expected ${columns} columns, found ${columns - 1}; missing columns: postal, synthetic; 1 column not in the contract`,
    )
    const [failed] = await setup.tc.failedDeliveries('sla_addresses')
    expect(failed?.run.id).toBe(result.run.id)
    expect(failed?.withheld?.firstLine).toContain('postcode,blk_no')
    expect(await readdir(join(setup.dataDir, 'feeds', 'sla', 'sla_addresses'))).toHaveLength(2)
  })

  // Last: this delivery becomes the current SLA snapshot.
  it('numbers rows correctly around structural faults', async () => {
    const lines = (await readFile(join(setup.inbox, 'sla_addresses.csv'), 'utf8'))
      .trimEnd()
      .split('\n')
    const header = lines[0] as string
    const good = lines.slice(1, 6).filter((l) => !l.startsWith('NIL'))
    const file = join(setup.dataDir, 'broken.csv')
    await writeFile(
      file,
      [
        header,
        good[0],
        `${good[1]},extra`,
        good[2],
        'just,three,fields',
        good[3],
        '999999,"open quote,x',
      ].join('\n'),
    )
    const result = await setup.tc.ingest('sla_addresses', file)
    expect(result.run).toMatchObject({ rowsIn: 6, accepted: 3, quarantined: 3 })
    const quarantined = await setup.parquetRows<{ row: string; reason: string }>(
      result.run.quarantinePath ?? '',
      'row, reason',
    )
    expect(quarantined.map((q) => [Number(q.row), q.reason.split(':')[0]])).toEqual([
      [2, 'TOO MANY COLUMNS'],
      [4, 'MISSING COLUMNS'],
      [6, 'UNQUOTED VALUE'],
    ])
    const staged = await setup.parquetRows<{ _row: string }>(result.run.stagingPath ?? '', '_row')
    expect(staged.map((s) => Number(s._row))).toEqual([1, 3, 5])
  })
})
