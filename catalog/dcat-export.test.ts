import { describe, expect, it } from 'vitest'
import type { Dataset, DatasetId } from './dataset.js'
import { dcatCatalog } from './dcat-export.js'
import { ALL_SHAPES, validate, violations } from './dcat-shacl-test-kit.js'
import { isPublic } from './public-catalogue.js'

const BASE = 'https://data.example.gov'
const DCT = 'http://purl.org/dc/terms/'

function dataset(fields: Partial<Dataset> & Pick<Dataset, 'id' | 'slug' | 'title'>): Dataset {
  return {
    description: 'A synthetic dataset for the DCAT-AP export tests.',
    agency: 'DOS',
    trustedCentre: 'TC-DoS',
    sourceSsots: ['sla'],
    classification: { security: 'official-open', sensitivity: 'non-sensitive' },
    updateFrequency: 'monthly',
    themes: [],
    tags: [],
    coverage: { start: undefined, end: undefined },
    licence: 'Government use only, under the data-sharing terms of the owning agency',
    contactEmail: '',
    sampleKeep: {},
    columns: [],
    currentVersion: undefined,
    createdAt: new Date('2025-01-06T02:00:00Z'),
    updatedAt: new Date('2025-03-03T08:30:00Z'),
    ...fields,
  }
}

const population = dataset({
  id: 'd_0123456789abcdef0123456789abcdef' as DatasetId,
  slug: 'resident-population-by-planning-area',
  title: 'Resident population by planning area',
  themes: ['Population', 'Geospatial', 'Sports'],
  tags: ['residents', 'planning area'],
  coverage: { start: '2020-01-01', end: '2024-12-31' },
  contactEmail: 'data@dos.example.gov',
  currentVersion: {
    version: 3,
    rowCount: 12_345,
    byteSize: 456_789,
    contentSha256: 'a3f1c2d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90',
    quality: undefined,
    sample: undefined,
    createdAt: new Date('2025-03-01T00:00:00Z'),
  },
})
const businesses = dataset({
  id: 'd_fedcba9876543210fedcba9876543210' as DatasetId,
  slug: 'business-formations',
  title: 'Business formations by industry',
  agency: 'ACRA',
  themes: ['Economy'],
  updateFrequency: 'irregular',
})
const persons = dataset({
  id: 'd_00000000000000000000000000000001' as DatasetId,
  slug: 'person-address-pa',
  title: 'Persons by residential planning area',
  classification: { security: 'restricted', sensitivity: 'sensitive-normal' },
  currentVersion: population.currentVersion,
})

const catalog = dcatCatalog({
  baseUrl: `${BASE}/`,
  title: 'Government Data Portal',
  description: 'Datasets held across government agencies.',
  publisher: { code: 'GOVTECH', name: 'Government Technology Agency' },
  datasets: [population, businesses, persons],
  agencies: new Map([
    ['DOS', { name: 'Department of Statistics' }],
    ['ACRA', { name: 'Accounting and Corporate Regulatory Authority' }],
  ]),
  issued: new Date('2025-01-01T00:00:00Z'),
})

const datasetsOf = (document: Record<string, unknown>) =>
  document['dcat:dataset'] as Record<string, unknown>[]

describe('isPublic', () => {
  it('admits only Official (Open), Non-Sensitive datasets', () => {
    expect([population, businesses, persons].map(isPublic)).toEqual([true, true, false])
    const closed = dataset({
      ...businesses,
      classification: { security: 'official-closed', sensitivity: 'non-sensitive' },
    })
    expect(isPublic(closed)).toBe(false)
  })
})

const EU = 'http://publications.europa.eu/resource/authority'
const inScheme = (table: string) =>
  expect.objectContaining({ '@id': `${EU}/${table}`, '@type': 'skos:ConceptScheme' })

describe('dcatCatalog', () => {
  it('lists the public datasets and leaves the restricted one out entirely', () => {
    expect(catalog['@type']).toBe('dcat:Catalog')
    expect(catalog['@id']).toBe(`${BASE}/api/dcat/catalog.jsonld`)
    expect(datasetsOf(catalog).map((d) => [d['@id'], d['dct:title']])).toEqual([
      [`${BASE}/api/datasets/${population.id}`, { '@value': population.title, '@language': 'en' }],
      [`${BASE}/api/datasets/${businesses.id}`, { '@value': businesses.title, '@language': 'en' }],
    ])
    const text = JSON.stringify(catalog)
    expect(text).not.toContain(persons.id)
    expect(text).not.toContain(persons.slug)
  })

  it('offers the current version as Parquet and CSV anyone may download, and the API as a data service', () => {
    const [withVersion, withoutVersion] = datasetsOf(catalog)
    const [parquet, csv] = (withVersion?.['dcat:distribution'] ?? []) as Record<string, unknown>[]
    const page = { '@id': `${BASE}/datasets/${population.slug}` }
    expect(parquet).toEqual({
      '@id': `${BASE}/api/datasets/${population.id}#parquet-v3`,
      '@type': 'dcat:Distribution',
      'dct:title': {
        '@value': 'Resident population by planning area, version 3 (Parquet)',
        '@language': 'en',
      },
      'dct:description': {
        '@value': 'Version 3 as one Apache Parquet file of 12,345 rows, as published.',
        '@language': 'en',
      },
      'dcat:accessURL': page,
      'dcat:downloadURL': {
        '@id': `${BASE}/api/open-data/${population.slug}/v3.parquet`,
      },
      'dcat:accessService': { '@id': `${BASE}/api#service` },
      'dcat:mediaType': {
        '@id': 'http://www.iana.org/assignments/media-types/application/vnd.apache.parquet',
        '@type': 'dct:MediaType',
      },
      'dct:format': {
        '@id': `${EU}/file-type/PARQUET`,
        '@type': ['dct:MediaTypeOrExtent', 'skos:Concept'],
        'skos:prefLabel': { '@value': 'Parquet', '@language': 'en' },
        'skos:inScheme': inScheme('file-type'),
      },
      'dcat:byteSize': { '@value': '456789', '@type': 'xsd:nonNegativeInteger' },
      'spdx:checksum': {
        '@type': 'spdx:Checksum',
        // The https spelling DCAT-AP's vocabulary shape wants.
        'spdx:algorithm': {
          '@id': 'https://spdx.org/rdf/terms#checksumAlgorithm_sha256',
          '@type': 'spdx:ChecksumAlgorithm',
        },
        'spdx:checksumValue': {
          '@value': population.currentVersion?.contentSha256,
          '@type': 'xsd:hexBinary',
        },
      },
      'dct:license': {
        '@type': 'dct:LicenseDocument',
        'rdfs:label': { '@value': population.licence, '@language': 'en' },
      },
      'dct:issued': { '@value': '2025-03-01T00:00:00.000Z', '@type': 'xsd:dateTime' },
      'dcatap:availability': {
        '@id': `${EU}/planned-availability/STABLE`,
        '@type': 'skos:Concept',
        'skos:prefLabel': { '@value': 'stable', '@language': 'en' },
        'skos:inScheme': inScheme('planned-availability'),
      },
    })
    // CSV is made on request: its size and checksum are not known in advance.
    expect(csv).toMatchObject({
      '@id': `${BASE}/api/datasets/${population.id}#csv-v3`,
      'dcat:accessURL': page,
      'dcat:downloadURL': { '@id': `${BASE}/api/open-data/${population.slug}/v3.csv` },
      'dcat:mediaType': { '@id': 'http://www.iana.org/assignments/media-types/text/csv' },
      'dct:format': { '@id': `${EU}/file-type/CSV`, 'skos:inScheme': inScheme('file-type') },
    })
    expect(Object.keys(csv ?? {})).not.toContain('spdx:checksum')
    expect(Object.keys(csv ?? {})).not.toContain('dcat:byteSize')
    // A dataset with no published version has nothing to download yet.
    expect(withoutVersion?.['dcat:distribution']).toBeUndefined()
    expect(catalog['dcat:service']).toEqual([
      expect.objectContaining({
        '@id': `${BASE}/api#service`,
        '@type': 'dcat:DataService',
        'dcat:endpointURL': { '@id': `${BASE}/api`, '@type': 'rdfs:Resource' },
        'dcat:servesDataset': [{ '@id': `${BASE}/api/datasets/${population.id}` }],
      }),
    ])
  })

  it('states no size or digest for a Parquet file whose direct identifiers leave as pseudonyms', () => {
    const withIdentifier = dataset({
      ...population,
      columns: [
        {
          name: 'uinfin',
          type: 'VARCHAR',
          description: 'NRIC/FIN',
          personalData: 'direct-identifier',
          personalDataReason: undefined,
          isCoreField: true,
          authoritySsot: 'ica',
        },
      ],
    })
    const [only] = datasetsOf(
      dcatCatalog({
        baseUrl: `${BASE}/`,
        title: 'Government Data Portal',
        description: 'Datasets held across government agencies.',
        publisher: { code: 'GOVTECH', name: 'Government Technology Agency' },
        datasets: [withIdentifier],
        agencies: new Map(),
        issued: new Date('2025-01-01T00:00:00Z'),
      }),
    )
    const [parquet] = (only?.['dcat:distribution'] ?? []) as Record<string, unknown>[]
    expect(Object.keys(parquet ?? {})).not.toContain('spdx:checksum')
    expect(Object.keys(parquet ?? {})).not.toContain('dcat:byteSize')
    expect(parquet?.['dct:description']).toMatchObject({
      '@value':
        'Version 3 as one Apache Parquet file of 12,345 rows, with direct identifiers as pseudonyms.',
    })
  })

  it('maps themes, frequency, access, coverage and contact to DCAT-AP terms', () => {
    const [withVersion, withoutVersion] = datasetsOf(catalog)
    const theme = (code: string) => `${EU}/data-theme/${code}`
    expect(withVersion).toMatchObject({
      'dct:identifier': population.id,
      'dcat:keyword': [
        { '@value': 'residents', '@language': 'en' },
        { '@value': 'planning area', '@language': 'en' },
      ],
      // 'Sports' has no EU theme and is left out rather than guessed.
      'dcat:theme': [
        { '@id': theme('SOCI'), 'skos:inScheme': inScheme('data-theme') },
        { '@id': theme('REGI'), 'skos:inScheme': inScheme('data-theme') },
      ],
      'dct:accrualPeriodicity': {
        '@id': `${EU}/frequency/MONTHLY`,
        'skos:inScheme': inScheme('frequency'),
      },
      'dct:accessRights': { '@id': `${EU}/access-right/PUBLIC` },
      'dct:temporal': {
        '@type': 'dct:PeriodOfTime',
        'dcat:startDate': { '@value': '2020-01-01', '@type': 'xsd:date' },
        'dcat:endDate': { '@value': '2024-12-31', '@type': 'xsd:date' },
      },
      'dcat:contactPoint': {
        '@type': ['vcard:Kind', 'vcard:Organization'],
        'vcard:fn': { '@value': 'Department of Statistics', '@language': 'en' },
        'vcard:hasEmail': { '@id': 'mailto:data@dos.example.gov' },
      },
      'dct:publisher': { 'foaf:name': { '@value': 'Department of Statistics', '@language': 'en' } },
      'dcat:landingPage': { '@id': `${BASE}/datasets/${population.slug}` },
    })
    expect(withoutVersion).toMatchObject({
      'dcat:theme': [{ '@id': theme('ECON') }],
      'dct:accrualPeriodicity': { '@id': `${EU}/frequency/IRREG` },
      // No contact address of its own: its agency, reached through the dataset's page.
      'dcat:contactPoint': {
        'vcard:fn': {
          '@value': 'Accounting and Corporate Regulatory Authority',
          '@language': 'en',
        },
        'vcard:hasURL': { '@id': `${BASE}/datasets/${businesses.slug}` },
      },
    })
    expect(Object.keys(withoutVersion ?? {})).not.toContain('dct:temporal')
  })

  it('conforms to every DCAT-AP 3.0.1 shape, the vocabulary shapes included', async ({
    annotate,
  }) => {
    const results = await validate(catalog, ALL_SHAPES)
    expect(violations(results)).toEqual([])
    await annotate(
      `${results.length} sh:Warning results:\n${results.map((r) => r.text).join('\n')}`,
    )
  })

  it('uses only codes the official vocabularies hold, checked against them offline', async () => {
    const shapes = ['split/mdr-vocabularies.shape.ttl']
    expect(violations(await validate(catalog, shapes, { vocabularies: true }))).toEqual([])
    // A code the tables lack is caught, even when the export claims it for their scheme.
    const [first, ...rest] = datasetsOf(catalog)
    const madeUp = {
      ...first,
      'dct:accrualPeriodicity': {
        '@id': `${EU}/frequency/FORTNIGHTLY`,
        '@type': 'dct:Frequency',
        'skos:inScheme': { '@id': `${EU}/frequency` },
      },
    }
    const results = await validate({ ...catalog, 'dcat:dataset': [madeUp, ...rest] }, shapes, {
      vocabularies: true,
    })
    expect(
      results
        .filter((r) => r.severity === 'sh:Violation')
        .map((r) => ({ focusNode: r.focusNode, path: r.path })),
    ).toEqual([{ focusNode: first?.['@id'], path: `${DCT}accrualPeriodicity` }])
  })

  it('is caught by the shapes when a mandatory property is missing', async () => {
    const [first, ...rest] = datasetsOf(catalog)
    const { 'dct:title': _title, ...untitled } = first ?? {}
    const broken = { ...catalog, 'dcat:dataset': [untitled, ...rest] }
    const results = await validate(broken, ['dcat-ap-SHACL.ttl'])
    expect(
      results
        .filter((r) => r.severity === 'sh:Violation')
        .map((r) => ({ focusNode: r.focusNode, path: r.path })),
    ).toEqual([{ focusNode: first?.['@id'], path: `${DCT}title` }])
  })

  it('reports the recommended properties it lacks as warnings', async ({ annotate }) => {
    const results = await validate(catalog, ['shapes_recommended.ttl'])
    expect(results.every((r) => r.severity === 'sh:Warning')).toBe(true)
    const missing = results.map((r) => `${r.focusNode} ${r.path}`).sort()
    await annotate(`${results.length} sh:Warning results:\n${missing.join('\n')}`)
  })
})

describe('dcatCatalog, a page at a time', () => {
  const many = Array.from({ length: 5 }, (_, i) =>
    dataset({
      id: `d_${String(i).padStart(32, '0')}` as DatasetId,
      slug: `open-${i}`,
      title: `Open dataset ${i}`,
      createdAt: new Date(Date.UTC(2025, 0, 10 - i)),
    }),
  )
  const pageOf = (number: number) =>
    dcatCatalog({
      baseUrl: BASE,
      title: 'Government Data Portal',
      description: 'Datasets held across government agencies.',
      publisher: { code: 'GOVTECH', name: 'Government Technology Agency' },
      datasets: [...many, persons],
      agencies: new Map(),
      page: { number, size: 2 },
    })
  const url = (n: number) => `${BASE}/api/dcat/catalog.jsonld?page=${n}&pageSize=2`

  it('holds its datasets, oldest first, and links the others by Hydra', () => {
    const slugs = [1, 2, 3].map((n) =>
      datasetsOf(pageOf(n)).map((d) => (d['dcat:landingPage'] as { '@id': string })['@id']),
    )
    expect(slugs.flat()).toEqual(
      ['open-4', 'open-3', 'open-2', 'open-1', 'open-0'].map((s) => `${BASE}/datasets/${s}`),
    )
    expect(pageOf(2)['hydra:view']).toEqual({
      '@id': url(2),
      '@type': ['hydra:PartialCollectionView', 'hydra:PagedCollection'],
      'hydra:first': { '@id': url(1) },
      'hydra:last': { '@id': url(3) },
      'hydra:previous': { '@id': url(1) },
      'hydra:next': { '@id': url(3) },
      'hydra:firstPage': url(1),
      'hydra:lastPage': url(3),
      'hydra:previousPage': url(1),
      'hydra:nextPage': url(3),
      // The restricted dataset is not counted: nothing in the feed reveals it.
      'hydra:totalItems': { '@value': '5', '@type': 'xsd:nonNegativeInteger' },
      'hydra:itemsPerPage': { '@value': '2', '@type': 'xsd:nonNegativeInteger' },
    })
    const first = pageOf(1)['hydra:view'] as Record<string, unknown>
    const last = pageOf(3)['hydra:view'] as Record<string, unknown>
    expect(Object.keys(first)).not.toContain('hydra:previous')
    expect(Object.keys(last)).not.toContain('hydra:next')
  })

  it('conforms to every shape on every page', async () => {
    for (const n of [1, 3]) expect(violations(await validate(pageOf(n), ALL_SHAPES))).toEqual([])
  })

  it('describes a page read alone as it describes that page of the whole catalogue', () => {
    // Oldest first, as the store reads a page: open-4 … open-0.
    const oldest = many.toReversed()
    const modified = many.reduce((a, d) => (a > d.updatedAt ? a : d.updatedAt), new Date(0))
    for (const number of [1, 2, 3]) {
      const alone = dcatCatalog({
        baseUrl: BASE,
        title: 'Government Data Portal',
        description: 'Datasets held across government agencies.',
        publisher: { code: 'GOVTECH', name: 'Government Technology Agency' },
        datasets: oldest.slice((number - 1) * 2, number * 2),
        agencies: new Map(),
        page: { number, size: 2, collection: { total: 5, modified } },
      })
      expect(alone).toEqual(pageOf(number))
    }
  })
})
