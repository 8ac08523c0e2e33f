import type { Dataset, DatasetVersion } from './dataset.js'
import { type DcatPage, hydraView } from './dcat-paging.js'
import {
  ENGLISH,
  en,
  fileTypeConcept,
  frequencyConcept,
  NATIONAL_AUTHORITY,
  PUBLIC_ACCESS,
  SCHEMES,
  SHA256,
  STABLE,
  schemeNode,
  themeConcepts,
} from './dcat-vocabularies.js'
import { isPublic } from './public-catalogue.js'

/** What {@link dcatCatalog} describes: the portal, the agency that runs it and its datasets. */
export interface DcatCatalogInput {
  /** The portal's public address, e.g. `https://data.example.gov`; every IRI in the export starts with it. */
  baseUrl: string
  title: string
  description: string
  /** The agency that runs the portal and publishes the catalogue. */
  publisher: { code: string; name: string }
  datasets: readonly Dataset[]
  /** Agency names by code, to name each dataset's publisher and contact. */
  agencies: ReadonlyMap<string, { name: string }>
  /** When the catalogue was first published. */
  issued?: Date
  /**
   * The page to describe (with Hydra links to the others); all datasets on one page without it.
   * With `collection`, `datasets` are that page's already (read a page at a time), and the
   * collection's size and last change are given: the rest of the catalogue is not read.
   */
  page?: DcatPage & { collection?: { total: number; modified: Date | undefined } }
}

/** Where the export is served, under the portal's address; it is also the catalogue's IRI. */
export const DCAT_CATALOG_PATH = '/api/dcat/catalog.jsonld'

/**
 * Where anyone downloads a published version of an Official (Open) dataset, without signing in:
 * the query service's open-data route (query-service/open-data-api.ts) answers this path.
 */
export const openDataPath = (slug: string, version: number, format: DistributionFormat) =>
  `/api/open-data/${encodeURIComponent(slug)}/v${version}.${format}`

type DistributionFormat = 'parquet' | 'csv'
type JsonLdNode = Record<string, unknown>

// Inline so that consumers and our tests never fetch a remote context.
const CONTEXT = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dcatap: 'http://data.europa.eu/r5r/',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  hydra: 'http://www.w3.org/ns/hydra/core#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  spdx: 'http://spdx.org/rdf/terms#',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
}

const IANA = 'http://www.iana.org/assignments/media-types'
const MEDIA_TYPES: Record<DistributionFormat, string> = {
  parquet: `${IANA}/application/vnd.apache.parquet`,
  csv: `${IANA}/text/csv`,
}
const FORMAT_NAMES: Record<DistributionFormat, string> = { parquet: 'Parquet', csv: 'CSV' }

/**
 * The catalogue as a DCAT-AP 3.0.1 JSON-LD document: a `dcat:Catalog` with its datasets (oldest
 * first, so a new one never moves others to another page), a Parquet and a CSV distribution of
 * each dataset's current version that anyone may download, and the portal's API as a
 * `dcat:DataService`. Datasets that are not {@link isPublic} are left out. With a page, it holds
 * that page's datasets and a Hydra view linking the others.
 *
 * @example
 * const document = dcatCatalog({ baseUrl, title, description, publisher, datasets, agencies })
 * return c.body(JSON.stringify(document), 200, { 'content-type': 'application/ld+json' })
 */
export function dcatCatalog(input: DcatCatalogInput): Record<string, unknown> {
  const base = input.baseUrl.replace(/\/+$/, '')
  const service = `${base}/api#service`
  const publisher = agent(input.publisher.code, input.publisher.name)
  // A guard: a restricted dataset must never reach the public export, even if a caller forgets.
  const all = input.datasets
    .filter(isPublic)
    .toSorted((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id))
  const page = input.page
  const collection = page?.collection ?? {
    total: all.length,
    modified: all.reduce<Date | undefined>(
      (latest, d) => (latest && latest >= d.updatedAt ? latest : d.updatedAt),
      undefined,
    ),
  }
  const datasets =
    page && !page.collection
      ? all.slice((page.number - 1) * page.size, page.number * page.size)
      : all
  const { modified } = collection
  const catalogIri = `${base}${DCAT_CATALOG_PATH}`
  const datasetNode = (d: Dataset): JsonLdNode => {
    const agencyName = input.agencies.get(d.agency)?.name ?? d.agency
    const landingPage = `${base}/datasets/${encodeURIComponent(d.slug)}`
    const version = d.currentVersion
    return prune({
      '@id': datasetIri(base, d),
      '@type': 'dcat:Dataset',
      'dct:identifier': d.id,
      'dct:title': en(d.title),
      'dct:description': en(d.description),
      'dct:publisher': agent(d.agency, agencyName),
      'dcat:contactPoint': contactPoint(agencyName, d.contactEmail, landingPage),
      'dcat:keyword': d.tags.map(en),
      'dcat:theme': themeConcepts(d.themes),
      'dct:accrualPeriodicity': frequencyConcept(d.updateFrequency),
      'dct:accessRights': PUBLIC_ACCESS,
      'dct:temporal': periodOfTime(d.coverage),
      'dct:issued': dateTime(d.createdAt),
      'dct:modified': dateTime(d.updatedAt),
      'dcat:landingPage': { '@id': landingPage, '@type': 'foaf:Document' },
      'dcat:distribution':
        version &&
        (['parquet', 'csv'] as const).map((format) =>
          distribution({ base, landingPage, service }, d, version, format),
        ),
    })
  }
  return prune({
    '@context': CONTEXT,
    '@id': catalogIri,
    '@type': 'dcat:Catalog',
    'dct:title': en(input.title),
    'dct:description': en(input.description),
    'dct:publisher': publisher,
    'dct:language': ENGLISH,
    'foaf:homepage': { '@id': `${base}/`, '@type': 'foaf:Document' },
    'dcat:themeTaxonomy': schemeNode(SCHEMES.dataTheme),
    'dct:issued': input.issued && dateTime(input.issued),
    'dct:modified': modified && dateTime(modified),
    'dcat:dataset': datasets.map(datasetNode),
    'dcat:service': [
      prune({
        '@id': service,
        '@type': 'dcat:DataService',
        'dct:title': en(`${input.title} API`),
        'dct:description': en(
          "The portal's JSON API: the catalogue, each dataset's metadata and versions, for a signed-in session or an API token. Official (Open) data downloads without either.",
        ),
        // Typed because the DCAT-AP range shapes (ranges.ttl) check rdfs:Resource without inference.
        'dcat:endpointURL': { '@id': `${base}/api`, '@type': 'rdfs:Resource' },
        'dct:publisher': publisher,
        'dcat:servesDataset': datasets
          .filter((d) => d.currentVersion)
          .map((d) => ({ '@id': datasetIri(base, d) })),
      }),
    ],
    'hydra:view':
      page &&
      hydraView((n) => `${catalogIri}?page=${n}&pageSize=${page.size}`, page, collection.total),
  })
}

/**
 * The current version as one file anyone may download: Parquet as published (with its size and
 * SHA-256), or CSV made from it on request (so neither is known in advance).
 */
function distribution(
  at: { base: string; landingPage: string; service: string },
  d: Dataset,
  version: DatasetVersion,
  format: DistributionFormat,
): JsonLdNode {
  const rows = `${version.rowCount.toLocaleString('en')} ${version.rowCount === 1 ? 'row' : 'rows'}`
  // Direct identifiers leave as pseudonyms, so the file served is not the published one: its
  // size and digest are not known before it is made.
  const asPublished =
    format === 'parquet' && !d.columns.some((c) => c.personalData === 'direct-identifier')
  return prune({
    '@id': `${datasetIri(at.base, d)}#${format}-v${version.version}`,
    '@type': 'dcat:Distribution',
    'dct:title': en(`${d.title}, version ${version.version} (${FORMAT_NAMES[format]})`),
    'dct:description': en(
      format === 'parquet'
        ? `Version ${version.version} as one Apache Parquet file of ${rows}, ${asPublished ? 'as published' : 'with direct identifiers as pseudonyms'}.`
        : `Version ${version.version} as one CSV file of ${rows} (UTF-8, a header row).`,
    ),
    'dcat:accessURL': { '@id': at.landingPage },
    'dcat:downloadURL': { '@id': `${at.base}${openDataPath(d.slug, version.version, format)}` },
    'dcat:accessService': { '@id': at.service },
    'dcat:mediaType': { '@id': MEDIA_TYPES[format], '@type': 'dct:MediaType' },
    'dct:format': fileTypeConcept(format),
    ...(asPublished && {
      'dcat:byteSize': { '@value': String(version.byteSize), '@type': 'xsd:nonNegativeInteger' },
      // contentSha256 is the digest of the published file's bytes (trusted-centre/fuse.ts).
      'spdx:checksum': {
        '@type': 'spdx:Checksum',
        'spdx:algorithm': SHA256,
        'spdx:checksumValue': { '@value': version.contentSha256, '@type': 'xsd:hexBinary' },
      },
    }),
    'dct:license': licenceDocument(d.licence),
    'dct:issued': dateTime(version.createdAt),
    'dcatap:availability': STABLE,
  })
}

function datasetIri(base: string, d: Dataset): string {
  return `${base}/api/datasets/${d.id}`
}

// Agencies have no dereferenceable IRI yet; a labelled blank node lets every mention share one node.
function agent(code: string, name: string): JsonLdNode {
  return {
    '@id': `_:agency-${code.replace(/[^A-Za-z0-9_-]/g, '_')}`,
    '@type': 'foaf:Agent',
    'foaf:name': en(name),
    'dct:type': NATIONAL_AUTHORITY,
  }
}

/**
 * Whom to ask: the dataset's own contact address, or else its agency, reached through the
 * dataset's page (where signed-in officers find its stewards by name).
 */
function contactPoint(agencyName: string, email: string, landingPage: string): JsonLdNode {
  return {
    '@type': ['vcard:Kind', 'vcard:Organization'],
    'vcard:fn': en(agencyName),
    ...(email
      ? { 'vcard:hasEmail': { '@id': `mailto:${email}` } }
      : { 'vcard:hasURL': { '@id': landingPage } }),
  }
}

function periodOfTime(coverage: Dataset['coverage']): JsonLdNode | undefined {
  if (!coverage.start && !coverage.end) return undefined
  return prune({
    '@type': 'dct:PeriodOfTime',
    'dcat:startDate': coverage.start && { '@value': coverage.start, '@type': 'xsd:date' },
    'dcat:endDate': coverage.end && { '@value': coverage.end, '@type': 'xsd:date' },
  })
}

// Our licences are free text; one that is a link names the licence document itself.
function licenceDocument(licence: string): JsonLdNode {
  return /^https?:\/\/\S+$/.test(licence)
    ? { '@id': licence, '@type': 'dct:LicenseDocument' }
    : { '@type': 'dct:LicenseDocument', 'rdfs:label': en(licence) }
}

function dateTime(date: Date) {
  return { '@value': date.toISOString(), '@type': 'xsd:dateTime' }
}

/** Drops properties without a value, so optional metadata is absent rather than empty. */
function prune(node: JsonLdNode): JsonLdNode {
  return Object.fromEntries(
    Object.entries(node).filter(
      ([, value]) =>
        value !== undefined &&
        value !== '' &&
        value !== false &&
        !(Array.isArray(value) && value.length === 0),
    ),
  )
}
