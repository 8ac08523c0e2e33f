import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestPlatform } from '../testing/index.js'

// What a person is told when a query meets the edge of their access: words about what they hold,
// never an API path, the engine's own error words, nor a value from the data.

const platform = useTestPlatform({
  backend: 'pglite',
  signIn: ['officer.moh', 'officer.moe', 'steward.dos'],
})
type Who = 'officer.moh' | 'officer.moe' | 'steward.dos'

const TITLE = 'Persons by residential planning area'
const HIDDEN = 'moh-hiv-registry'
const SG_DAY = new Intl.DateTimeFormat('en-SG', { dateStyle: 'medium', timeZone: 'Asia/Singapore' })

interface JsonAnswer {
  rows: unknown[][]
  rowCount: number
  notes: string[]
}

const query = (who: Who, text: string) =>
  platform.call<JsonAnswer>('POST', '/api/query', who, { sql: text, format: 'json' })

/** A refusal's message, checked for what no message to a person may hold. */
async function refusal(who: Who, text: string): Promise<string> {
  const { status, body } = await query(who, text)
  expect(status).toBe(400)
  const { message } = body.error
  expect(message).not.toMatch(/\/api\//)
  expect(message).not.toMatch(/\b(Binder|Catalog|Conversion|Parser) Error\b|LINE \d+:/)
  // No value of the data: the race codes, planning areas and regions the dataset holds.
  expect(message).not.toMatch(/'(CN|MY|IN|OT|CR|ER|WR|NR)'/)
  return message
}

beforeAll(async () => {
  // officer.moh holds four columns of the persons, for the central and east regions only.
  const created = await platform.call<{ id: string }>('POST', '/api/requests', 'officer.moh', {
    dataset: 'person-address-pa',
    columns: ['person_key', 'sex', 'region_code', 'planning_area_code'],
    purpose: 'Plan polyclinic capacity in the central and east regions',
    legalBasis: 'PSGA 2018 s. 25',
    durationDays: 30,
  })
  const approved = await platform.call(
    'POST',
    `/api/requests/${created.body.data.id}/approve`,
    'steward.dos',
    {
      rowFilter: [{ column: 'region_code', op: 'in', values: ['CR', 'ER'] }],
    },
  )
  expect(approved.status).toBe(200)
  // A dataset officer.moe may not discover: Confidential, another agency's.
  await platform.runtime.catalog.publishVersion(
    {
      slug: HIDDEN,
      title: 'HIV registry (confidential)',
      description: 'Registered cases (synthetic).',
      agency: 'MOH',
      trustedCentre: 'TC-MOH',
      sourceSsots: ['moh'],
      classification: { security: 'confidential', sensitivity: 'sensitive-high' },
      updateFrequency: 'monthly',
      columns: [{ name: 'case_code', description: 'Case', personalData: 'sensitive' }],
    },
    {
      rowCount: 0,
      byteSize: 0,
      contentSha256: 'a'.repeat(64),
      schema: [{ name: 'case_code', type: 'VARCHAR' }],
    },
    async (version) => `tc/${HIDDEN}/v${version}.parquet`,
  )
})

describe('a name that is not one of the caller’s views', () => {
  it('says the caller holds only the sample, and how to query it', async () => {
    expect(await refusal('officer.moe', 'SELECT * FROM business_by_planning_area')).toBe(
      'You hold only the sample of Business entities by planning area and industry: query business_by_planning_area_sample, or request access to the full dataset',
    )
  })

  it('says when a grant of the caller’s past ended, and that its sample is still theirs', async () => {
    // officer.moe's grants on the persons in the fixtures' sharing history have all ended.
    expect(await refusal('officer.moe', 'SELECT * FROM person_address_pa')).toMatch(
      new RegExp(
        `^Your access to ${TITLE} ended on \\d{1,2} [A-Z][a-z]{2} \\d{4}: request it again to query it \\(its sample is still yours: query person_address_pa_sample\\)$`,
      ),
    )
  })

  it('answers a dataset the caller may not discover as it answers a name that names nothing', async () => {
    const hidden = await refusal('officer.moe', 'SELECT * FROM moh_hiv_registry')
    const nothing = await refusal('officer.moe', 'SELECT * FROM moh_hiv_registrx')
    expect(hidden).toBe(
      "'moh_hiv_registry' is not one of your views: the workbench lists the ones you hold",
    )
    expect(nothing).toBe(hidden.replace('moh_hiv_registry', 'moh_hiv_registrx'))
    expect(hidden).not.toContain('HIV registry')
  })

  it('keeps the reason for schemas, files and table functions, with no API path', async () => {
    expect(await refusal('officer.moe', 'SELECT * FROM information_schema.tables')).toContain(
      'another schema or catalog',
    )
    expect(await refusal('officer.moe', "SELECT * FROM 'x.parquet'")).toContain(
      'File names cannot be read as tables',
    )
    expect(await refusal('officer.moe', "SELECT * FROM read_csv('/etc/passwd')")).toContain(
      'Table functions such as read_csv()',
    )
  })
})

describe('a column outside the caller’s views', () => {
  it('names a column the grant leaves out, and how to ask for it', async () => {
    expect(await refusal('officer.moh', 'SELECT race_code FROM person_address_pa')).toBe(
      `race_code is not in your grant on ${TITLE}: ask a steward for it by requesting access with that column`,
    )
  })

  it('suggests the nearest column for a slip of the keys', async () => {
    expect(await refusal('officer.moh', 'SELECT regoin_code FROM person_address_pa')).toBe(
      'There is no column regoin_code in person_address_pa; did you mean region_code?',
    )
    expect(
      await refusal('officer.moh', 'SELECT p.planing_area_code FROM person_address_pa p'),
    ).toBe(
      'There is no column planing_area_code in person_address_pa; did you mean planning_area_code?',
    )
  })
})

describe('notes on the grants an answer read', () => {
  it('says when the query asks only for rows the grant’s row filter leaves out', async () => {
    const one = await query(
      'officer.moh',
      "SELECT * FROM person_address_pa WHERE region_code = 'WR'",
    )
    expect(one.status).toBe(200)
    expect(one.body.data).toMatchObject({ rowCount: 0, rows: [] })
    expect(one.body.data.notes).toEqual([
      `Your grant on ${TITLE} covers only rows where region_code is CR or ER; region_code = 'WR' matches none of them`,
    ])
    const list = await query(
      'officer.moh',
      "SELECT count(*) FROM person_address_pa p WHERE sex = 'M' AND p.region_code IN ('WR', 'NR')",
    )
    expect(list.body.data.notes).toEqual([
      `Your grant on ${TITLE} covers only rows where region_code is CR or ER; p.region_code IN ('WR', 'NR') matches none of them`,
    ])
  })

  it('names the row filter of an answer with no rows, and says nothing otherwise', async () => {
    const none = await query(
      'officer.moh',
      "SELECT * FROM person_address_pa WHERE region_code = 'CR' AND sex = 'X'",
    )
    expect(none.body.data.notes).toEqual([
      `No rows: your grant on ${TITLE} covers only rows where region_code is CR or ER`,
    ])
    const some = await query(
      'officer.moh',
      "SELECT * FROM person_address_pa WHERE region_code IN ('CR', 'WR')",
    )
    expect(some.body.data.rowCount).toBeGreaterThan(0)
    expect(some.body.data.notes).toEqual([])
    // A sample has no row filter: nothing to say of its empty answers.
    const sample = await query(
      'officer.moe',
      "SELECT * FROM person_address_pa_sample WHERE region_code = 'nowhere'",
    )
    expect(sample.body.data).toMatchObject({ rowCount: 0, notes: [] })
  })
})

describe('a grant that has ended', () => {
  it('says when it expired, then when and why it was revoked', async () => {
    const grants = await platform.call<{ id: string; dataset: { slug: string } }[]>(
      'GET',
      '/api/grants',
      'officer.moh',
    )
    const grant = grants.body.data.find((g) => g.dataset.slug === 'person-address-pa')
    const expiry = async (at: Date) =>
      sql`update grants set granted_at = ${new Date('2026-01-05T00:00:00Z')}, expires_at = ${at}
        where id = ${grant?.id}`.execute(platform.runtime.db)
    const stillSample = '(its sample is still yours: query person_address_pa_sample)'

    // Ended a minute ago: the latest of officer.moh's grants on the persons to end.
    const ended = new Date(Date.now() - 60_000)
    await expiry(ended)
    expect(await refusal('officer.moh', 'SELECT * FROM person_address_pa')).toBe(
      `Your access to ${TITLE} ended on ${SG_DAY.format(ended)}: request it again to query it ${stillSample}`,
    )

    await expiry(new Date(Date.now() + 86_400_000))
    const revoked = await platform.call('POST', `/api/grants/${grant?.id}/revoke`, 'steward.dos', {
      reason: 'The project ended early',
    })
    expect(revoked.status).toBe(200)
    expect(await refusal('officer.moh', 'SELECT sex FROM person_address_pa')).toBe(
      `Your access to ${TITLE} was revoked on ${SG_DAY.format(new Date())}: The project ended early ${stillSample}`,
    )
  })
})
