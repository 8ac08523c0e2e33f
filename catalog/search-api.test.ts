import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestPlatform } from '../testing/index.js'
import { isIdentifier, splitIdentifiers } from './search-text.js'

const platform = useTestPlatform({
  backend: 'pglite',
  signIn: ['officer.moe', 'officer.moh', 'steward.dos'],
})

interface Hit {
  slug: string
  agencyName: string | null
  matched: { columns: string[]; typo: boolean }
}
interface Facet {
  value: string
  label: string
  count: number
}
interface Result {
  total: number
  hits: Hit[]
  terms: string[]
  didYouMean: string | null
  facets: Record<string, Facet[]>
}
interface Suggestion {
  kind: string
  label: string
  dataset: { slug: string; title: string } | null
  matched: string | null
  agency: string | null
}

const search = async (query: string, who: 'officer.moe' | 'officer.moh' = 'officer.moe') => {
  const { status, body } = await platform.call<Result>('GET', `/api/search?${query}`, who)
  expect(status).toBe(200)
  if (!body.ok) throw new Error('search failed')
  return body.data
}
const slugs = (result: Result) => result.hits.map((h) => h.slug)
const suggest = async (q: string, who: 'officer.moe' | 'officer.moh' = 'officer.moe') => {
  const { status, body } = await platform.call<Suggestion[]>(
    'GET',
    `/api/search/suggestions?q=${encodeURIComponent(q)}`,
    who,
  )
  expect(status).toBe(200)
  if (!body.ok) throw new Error('suggestions failed')
  return body.data
}

describe('search that finds what people mean', () => {
  beforeAll(async () => {
    // A confidential MOH dataset officers of other agencies may not discover.
    await platform.runtime.catalog.publishVersion(
      {
        slug: 'moh-dialysis-registry',
        title: 'Dialysis registry (confidential)',
        description: 'Patients on dialysis (synthetic).',
        agency: 'MOH',
        trustedCentre: 'TC-MOH',
        sourceSsots: ['moh'],
        classification: { security: 'confidential', sensitivity: 'sensitive-high' },
        updateFrequency: 'monthly',
        columns: [
          {
            name: 'dialysis_centre_code',
            description: 'Dialysis centre',
            personalData: 'sensitive',
          },
        ],
      },
      {
        rowCount: 0,
        byteSize: 0,
        contentSha256: 'c'.repeat(64),
        schema: [{ name: 'dialysis_centre_code', type: 'VARCHAR' }],
      },
      async (version) => `tc/moh-dialysis-registry/v${version}.parquet`,
    )
  })

  it('finds the persons dataset by NRIC, through the glossary term NRIC/FIN its column carries', async () => {
    const result = await search('q=NRIC')
    expect(slugs(result)).toContain('person-address-pa')
    expect(result.terms).toEqual(['NRIC/FIN'])
    const persons = result.hits.find((h) => h.slug === 'person-address-pa')
    expect(persons).toMatchObject({
      agencyName: 'Department of Statistics',
      matched: { typo: false },
    })
    expect(persons?.matched.columns).toContain('person_key')
  })

  it('matches a term by any synonym or abbreviation', async () => {
    for (const q of ['FIN', 'identity card number', 'NRIC/FIN', 'nric fin']) {
      const result = await search(`q=${encodeURIComponent(q)}`)
      expect(slugs(result), q).toContain('person-address-pa')
      expect(result.terms, q).toEqual(['NRIC/FIN'])
    }
  })

  it('finds where people live by what people call it', async () => {
    const home = await search('q=home%20address')
    expect(slugs(home)).toEqual(
      expect.arrayContaining(['person-address-pa', 'postal-geocode-reference']),
    )
    expect(home.terms).toEqual(['Address'])
    const live = await search('q=people%20where%20they%20live')
    expect(slugs(live)).toContain('person-address-pa')
    expect(live.terms).toEqual(['Person', 'Address'])
  })

  it('splits identifiers in the query as in the documents', async () => {
    const snake = await search('q=postal_code')
    const camel = await search('q=postalCode')
    const words = await search('q=postal%20code')
    expect(slugs(snake)).toContain('postal-geocode-reference')
    expect(slugs(camel).sort()).toEqual(slugs(snake).sort())
    expect(slugs(words).sort()).toEqual(slugs(snake).sort())
    const geocode = snake.hits.find((h) => h.slug === 'postal-geocode-reference')
    expect(geocode?.matched.columns).toContain('postal_code')
  })

  it('splits an identifier in the database exactly as search-text.ts splits what people type', async () => {
    const words = ['NRIC/FIN', 'postal_code', 'postalCode', 'OneMap', 'x__svy21', 'a/b_cD', 'plain']
    for (const word of words) {
      const { rows } = await sql<{ text: string }>`select search_text(${word}) as text`.execute(
        platform.runtime.db,
      )
      expect(rows[0]?.text, word).toBe(
        isIdentifier(word) ? `${word} ${splitIdentifiers(word)}` : word,
      )
    }
  })

  it('finds a term defined through the glossary routes by its new synonym', async () => {
    expect((await search('q=gender')).total).toBe(0)
    const defined = await platform.call('POST', '/api/glossary', 'steward.dos', {
      term: 'Sex',
      definition: 'Sex of the person as registered with ICA: M or F.',
      synonyms: ['gender'],
      abbreviations: [],
    })
    expect(defined.status).toBe(201)
    const linked = await platform.call('PATCH', '/api/datasets/person-address-pa', 'steward.dos', {
      columns: [{ name: 'sex', glossary: ['Sex'] }],
    })
    expect(linked.status).toBe(200)
    // Every dataset with a sex column now answers to "gender", the linked one first of all.
    const found = await search('q=gender')
    expect(found.terms).toEqual(['Sex'])
    expect(found.hits.find((h) => h.slug === 'person-address-pa')?.matched.columns).toEqual(['sex'])
    const changed = await platform.call('PATCH', '/api/glossary/Sex', 'steward.dos', {
      abbreviations: ['M/F'],
    })
    expect(changed.body).toMatchObject({
      ok: true,
      data: { after: { term: 'Sex', synonyms: ['gender'], abbreviations: ['M/F'] } },
    })
    const glossary = await platform.call<{ term: string; synonyms: string[] }[]>(
      'GET',
      '/api/glossary',
      'officer.moe',
    )
    const nric = glossary.body.ok
      ? glossary.body.data.find((t) => t.term === 'NRIC/FIN')
      : undefined
    expect(nric).toMatchObject({ abbreviations: ['NRIC', 'FIN'] })
  })

  it('says "did you mean" on a miss, only with words that find something', async () => {
    const typo = await search('q=geocde')
    expect(typo.didYouMean).toBe('geocode')
    expect(slugs(typo)).toContain('postal-geocode-reference')
    expect((await search('q=geocode')).didYouMean).toBeNull()
    const nothing = await search('q=zzqxw')
    expect(nothing).toMatchObject({ total: 0, didYouMean: null })
    // "dialysis" is a word of a title officer.moe may not discover: never offered to them.
    expect((await search('q=dialisis')).didYouMean).toBeNull()
    expect((await search('q=dialisis', 'officer.moh')).didYouMean).toBe('dialysis')
  })

  it('keeps chosen facet values on an empty result, with a count of 0', async () => {
    const result = await search('q=zzqxw&agency=DOS&security=official-open')
    expect(result.total).toBe(0)
    expect(result.facets.agency).toEqual([
      { value: 'DOS', label: 'Department of Statistics', count: 0 },
    ])
    expect(result.facets.security).toEqual([
      { value: 'official-open', label: 'Official (Open)', count: 0 },
    ])
    expect(result.facets.theme).toEqual([])
  })

  it('labels every facet value as people read it', async () => {
    const { facets } = await search('')
    const label = (facet: string, value: string) =>
      facets[facet]?.find((f) => f.value === value)?.label
    expect(label('agency', 'DOS')).toBe('Department of Statistics')
    expect(label('agency', 'SLA')).toBe('Singapore Land Authority')
    expect(label('ministryFamily', 'MTI')).toBe('Ministry of Trade and Industry')
    expect(label('security', 'official-open')).toBe('Official (Open)')
    expect(label('security', 'restricted')).toBe('Restricted')
    expect(label('sensitivity', 'sensitive-normal')).toBe('Sensitive Normal')
    expect(label('trustedCentre', 'TC-DoS')).toBe('Department of Statistics trusted centre')
    expect(label('frequency', 'daily')).toBe('Daily')
    for (const values of Object.values(facets))
      for (const f of values) expect(f.label, f.value).not.toBe('')
  })
})

describe('suggestions as one types', () => {
  it('suggests datasets, columns with their dataset, terms and agencies by a word prefix', async () => {
    const persons = await suggest('pers')
    expect(persons).toContainEqual({
      kind: 'dataset',
      label: 'Persons by residential planning area',
      dataset: { slug: 'person-address-pa', title: 'Persons by residential planning area' },
      matched: null,
      agency: null,
    })
    expect(persons).toContainEqual(expect.objectContaining({ kind: 'column', label: 'person_key' }))
    const postal = await suggest('postal c')
    expect(postal).toContainEqual({
      kind: 'column',
      label: 'postal_code',
      dataset: { slug: 'postal-geocode-reference', title: 'Postal code geocode reference' },
      matched: null,
      agency: null,
    })
    expect(await suggest('nri')).toContainEqual(
      expect.objectContaining({ kind: 'term', label: 'NRIC/FIN', matched: null }),
    )
    expect(await suggest('identity c')).toContainEqual({
      kind: 'term',
      label: 'NRIC/FIN',
      dataset: null,
      matched: 'identity card number',
      agency: null,
    })
    expect(await suggest('land auth')).toContainEqual({
      kind: 'agency',
      label: 'Singapore Land Authority',
      dataset: null,
      matched: null,
      agency: 'SLA',
    })
    const many = await suggest('pl')
    expect(many.length).toBeLessThanOrEqual(10)
    expect(await suggest('p')).toEqual([])
  })

  it('never suggests a dataset or a column of it to whom may not discover it', async () => {
    expect(await suggest('dialysis')).toEqual([])
    expect(await suggest('centre_co')).toEqual([])
    // An agency is suggested only if it owns a dataset the caller may discover.
    expect(await suggest('immigration')).toEqual([])
    const moh = await suggest('dialysis', 'officer.moh')
    expect(moh.map((s) => [s.kind, s.label, s.dataset?.slug])).toEqual([
      ['dataset', 'Dialysis registry (confidential)', 'moh-dialysis-registry'],
      ['column', 'dialysis_centre_code', 'moh-dialysis-registry'],
    ])
  })
})

describe('words of datasets the caller may not discover', () => {
  beforeAll(async () => {
    // A confidential MOH dataset whose title and tag words appear nowhere else.
    await platform.runtime.catalog.publishVersion(
      {
        slug: 'moh-dialysis-zorbulon',
        title: 'Dialysis registry zorbulon',
        description: 'Patients on dialysis (synthetic).',
        agency: 'MOH',
        trustedCentre: 'TC-MOH',
        sourceSsots: ['moh'],
        classification: { security: 'confidential', sensitivity: 'sensitive-high' },
        updateFrequency: 'monthly',
        tags: ['kidneyfailure'],
        columns: [{ name: 'patient_count', description: 'Patients', personalData: 'none' }],
      },
      {
        rowCount: 0,
        byteSize: 0,
        contentSha256: 'd'.repeat(64),
        schema: [{ name: 'patient_count', type: 'INTEGER' }],
      },
      async (version) => `tc/moh-dialysis-zorbulon/v${version}.parquet`,
    )
  })

  it('never offers a hidden title word beside a visible one, though the search reads "or"', async () => {
    const moe = await search('q=zorbulom%20or%20geocde')
    expect(moe.didYouMean).toBe('zorbulom or geocode')
    expect(slugs(moe)).not.toContain('moh-dialysis-zorbulon')
    const moh = await search('q=zorbulom%20or%20geocde', 'officer.moh')
    expect(moh.didYouMean).toBe('zorbulon or geocode')
  })

  it('never offers a hidden tag word beside a visible one', async () => {
    const moe = await search('q=kidnyfailure%20or%20geocde')
    expect(moe.didYouMean).toBe('kidnyfailure or geocode')
    const moh = await search('q=kidnyfailure%20or%20geocde', 'officer.moh')
    expect(moh.didYouMean).toBe('kidneyfailure or geocode')
  })

  it('never offers a hidden word alone', async () => {
    expect((await search('q=zorbulom')).didYouMean).toBeNull()
    expect((await search('q=kidnyfailure')).didYouMean).toBeNull()
    expect((await search('q=zorbulom', 'officer.moh')).didYouMean).toBe('zorbulon')
  })

  it('reads %, _ and \\ typed into suggestions as themselves, not as wildcards', async () => {
    expect(await suggest('%%')).toEqual([])
    expect(await suggest('__')).toEqual([])
    expect(await suggest('m_')).toEqual([])
    expect(await suggest('\\%')).toEqual([])
    expect(await suggest('%%', 'officer.moh')).toEqual([])
  })
})
