import { readFile } from 'node:fs/promises'
import jsonld from 'jsonld'
import { Parser, Store } from 'n3'
import SHACLValidator from 'rdf-validate-shacl'
import { describe, expect, it } from 'vitest'
import type { Dataset, DatasetId } from './dataset.js'
import { dcatCatalog, isPublic } from './dcat-export.js'

const BASE = 'https://data.example.gov'
const SH = 'http://www.w3.org/ns/shacl#'
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

// jsonld 9 has a safe mode that fails on anything it would silently drop; its typings predate it.
const TO_NQUADS: jsonld.Options.ToRdf & { safe: boolean } = {
  format: 'application/n-quads',
  safe: true,
  documentLoader: async (url: string) => {
    throw new Error(`the export must not need a remote document, but asked for ${url}`)
  },
}

async function toRdf(document: Record<string, unknown>): Promise<Store> {
  const nquads = await jsonld.toRDF(document, TO_NQUADS)
  if (typeof nquads !== 'string') throw new Error('jsonld did not return N-Quads')
  return new Store(new Parser({ format: 'application/n-quads' }).parse(nquads))
}

async function validate(document: Record<string, unknown>, shapesFile: string) {
  const text = await readFile(new URL(`./dcat-ap-shapes/${shapesFile}`, import.meta.url), 'utf8')
  const shapes = new Store(new Parser().parse(text))
  const report = await new SHACLValidator(shapes).validate(await toRdf(document))
  return report.results.map((r) => ({
    severity: r.severity.value.replace(SH, 'sh:'),
    focusNode: r.focusNode.value,
    path: r.path?.value ?? '',
    text: `${r.focusNode.value} ${r.path?.value ?? '(node)'}: ${r.message.map((m) => m.value).join('; ')} [${r.sourceShape.value}]`,
  }))
}

const violations = (results: Awaited<ReturnType<typeof validate>>) =>
  results.filter((r) => r.severity === 'sh:Violation').map((r) => r.text)

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

  it('describes the current version as a Parquet download and the API as a data service', () => {
    const [withVersion, withoutVersion] = datasetsOf(catalog)
    expect(withVersion?.['dcat:distribution']).toEqual([
      {
        '@id': `${BASE}/api/datasets/${population.id}#parquet-v3`,
        '@type': 'dcat:Distribution',
        'dct:title': {
          '@value': 'Resident population by planning area, version 3 (Parquet)',
          '@language': 'en',
        },
        'dct:description': {
          '@value': 'Version 3 as one Apache Parquet file of 12,345 rows.',
          '@language': 'en',
        },
        'dcat:accessURL': { '@id': `${BASE}/api/datasets/${population.slug}` },
        'dcat:downloadURL': {
          '@id': `${BASE}/api/datasets/${population.slug}/versions/3/data.parquet`,
        },
        'dcat:accessService': { '@id': `${BASE}/api#service` },
        'dcat:mediaType': {
          '@id': 'http://www.iana.org/assignments/media-types/application/vnd.apache.parquet',
          '@type': 'dct:MediaType',
        },
        'dct:format': {
          '@id': 'http://publications.europa.eu/resource/authority/file-type/PARQUET',
          '@type': 'dct:MediaTypeOrExtent',
        },
        'dcat:byteSize': { '@value': '456789', '@type': 'xsd:nonNegativeInteger' },
        'spdx:checksum': {
          '@type': 'spdx:Checksum',
          'spdx:algorithm': {
            '@id': 'http://spdx.org/rdf/terms#checksumAlgorithm_sha256',
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
          '@id': 'http://publications.europa.eu/resource/authority/planned-availability/STABLE',
          '@type': 'skos:Concept',
          'skos:prefLabel': { '@value': 'Stable', '@language': 'en' },
        },
      },
    ])
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

  it('maps themes, frequency, coverage and contact to DCAT-AP terms', () => {
    const [withVersion, withoutVersion] = datasetsOf(catalog)
    const theme = (code: string) =>
      `http://publications.europa.eu/resource/authority/data-theme/${code}`
    expect(withVersion).toMatchObject({
      'dct:identifier': population.id,
      'dcat:keyword': [
        { '@value': 'residents', '@language': 'en' },
        { '@value': 'planning area', '@language': 'en' },
      ],
      // 'Sports' has no EU theme and is left out rather than guessed.
      'dcat:theme': [{ '@id': theme('SOCI') }, { '@id': theme('REGI') }],
      'dct:accrualPeriodicity': {
        '@id': 'http://publications.europa.eu/resource/authority/frequency/MONTHLY',
      },
      'dct:temporal': {
        '@type': 'dct:PeriodOfTime',
        'dcat:startDate': { '@value': '2020-01-01', '@type': 'xsd:date' },
        'dcat:endDate': { '@value': '2024-12-31', '@type': 'xsd:date' },
      },
      'dcat:contactPoint': {
        '@type': 'vcard:Kind',
        'vcard:hasEmail': { '@id': 'mailto:data@dos.example.gov' },
      },
      'dct:publisher': { 'foaf:name': { '@value': 'Department of Statistics', '@language': 'en' } },
      'dcat:landingPage': { '@id': `${BASE}/datasets/${population.slug}` },
    })
    expect(withoutVersion).toMatchObject({ 'dcat:theme': [{ '@id': theme('ECON') }] })
    expect(Object.keys(withoutVersion ?? {})).not.toContain('dct:accrualPeriodicity')
    expect(Object.keys(withoutVersion ?? {})).not.toContain('dct:temporal')
    expect(Object.keys(withoutVersion ?? {})).not.toContain('dcat:contactPoint')
  })

  it('conforms to the DCAT-AP 3.0.1 shapes with no violation', async () => {
    expect(violations(await validate(catalog, 'dcat-ap-SHACL.ttl'))).toEqual([])
  })

  it('is caught by the shapes when a mandatory property is missing', async () => {
    const [first, ...rest] = datasetsOf(catalog)
    const { 'dct:title': _title, ...untitled } = first ?? {}
    const broken = { ...catalog, 'dcat:dataset': [untitled, ...rest] }
    const results = await validate(broken, 'dcat-ap-SHACL.ttl')
    expect(
      results
        .filter((r) => r.severity === 'sh:Violation')
        .map((r) => ({ focusNode: r.focusNode, path: r.path })),
    ).toEqual([{ focusNode: first?.['@id'], path: `${DCT}title` }])
  })

  it('reports the recommended properties it lacks as warnings', async ({ annotate }) => {
    const results = await validate(catalog, 'shapes_recommended.ttl')
    expect(results.every((r) => r.severity === 'sh:Warning')).toBe(true)
    const missing = results.map((r) => `${r.focusNode} ${r.path}`).sort()
    await annotate(`${results.length} sh:Warning results:\n${missing.join('\n')}`)
  })
})
