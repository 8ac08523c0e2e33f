import type { Dataset, DatasetVersion } from './dataset.js'

/** What {@link dcatCatalog} describes: the portal, the agency that runs it and its datasets. */
export interface DcatCatalogInput {
  /** The portal's public address, e.g. `https://data.example.gov`; every IRI in the export starts with it. */
  baseUrl: string
  title: string
  description: string
  /** The agency that runs the portal and publishes the catalogue. */
  publisher: { code: string; name: string }
  datasets: readonly Dataset[]
  /** Agency names by code, to name each dataset's publisher. */
  agencies: ReadonlyMap<string, { name: string }>
  /** When the catalogue was first published. */
  issued?: Date
}

/** Where the export is served, under the portal's address; it is also the catalogue's IRI. */
export const DCAT_CATALOG_PATH = '/api/dcat/catalog.jsonld'

type JsonLdNode = Record<string, unknown>

const EU = 'http://publications.europa.eu/resource/authority'
const THEME_SCHEME = `${EU}/data-theme`

// Inline so that consumers and our tests never fetch a remote context.
const CONTEXT = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dcatap: 'http://data.europa.eu/r5r/',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  spdx: 'http://spdx.org/rdf/terms#',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
}

/** EU data themes (Publications Office "data-theme" table), with their English labels. */
const EU_THEMES = {
  AGRI: 'Agriculture, fisheries, forestry and food',
  ECON: 'Economy and finance',
  EDUC: 'Education, culture and sport',
  ENER: 'Energy',
  ENVI: 'Environment',
  GOVE: 'Government and public sector',
  HEAL: 'Health',
  INTR: 'International issues',
  JUST: 'Justice, legal system and public safety',
  REGI: 'Regions and cities',
  SOCI: 'Population and society',
  TECH: 'Science and technology',
  TRAN: 'Transport',
} as const
type EuTheme = keyof typeof EU_THEMES

/** Our free-text themes (lower-cased) and the EU theme each one falls under. */
const THEME_OF: Readonly<Record<string, EuTheme>> = {
  agriculture: 'AGRI',
  economy: 'ECON',
  finance: 'ECON',
  education: 'EDUC',
  energy: 'ENER',
  environment: 'ENVI',
  government: 'GOVE',
  health: 'HEAL',
  international: 'INTR',
  justice: 'JUST',
  'public safety': 'JUST',
  geospatial: 'REGI',
  population: 'SOCI',
  society: 'SOCI',
  science: 'TECH',
  technology: 'TECH',
  transport: 'TRAN',
}

/** Our update frequencies and the matching entries of the EU "frequency" table. */
const FREQUENCY_OF: Readonly<Record<string, string>> = {
  hourly: 'HOURLY',
  daily: 'DAILY',
  weekly: 'WEEKLY',
  monthly: 'MONTHLY',
  quarterly: 'QUARTERLY',
  annual: 'ANNUAL',
  annually: 'ANNUAL',
  yearly: 'ANNUAL',
}

const PARQUET_MEDIA_TYPE =
  'http://www.iana.org/assignments/media-types/application/vnd.apache.parquet'

/** Whether a dataset may appear in the public catalogue: Official (Open) and Non-Sensitive only. */
export function isPublic(dataset: Pick<Dataset, 'classification'>): boolean {
  return (
    dataset.classification.security === 'official-open' &&
    dataset.classification.sensitivity === 'non-sensitive'
  )
}

/**
 * The catalogue as a DCAT-AP 3.0.1 JSON-LD document: a `dcat:Catalog` with its datasets, a
 * Parquet distribution of each dataset's current version, and the portal's API as a
 * `dcat:DataService`. Datasets that are not {@link isPublic} are left out.
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
  const datasets = input.datasets.filter(isPublic)
  const modified = datasets.reduce<Date | undefined>(
    (latest, d) => (latest && latest >= d.updatedAt ? latest : d.updatedAt),
    undefined,
  )
  const datasetNode = (d: Dataset): JsonLdNode => {
    const name = input.agencies.get(d.agency)?.name ?? d.agency
    const themes = [...new Set(d.themes.map((t) => THEME_OF[t.trim().toLowerCase()]))]
    const frequency = FREQUENCY_OF[d.updateFrequency.trim().toLowerCase()]
    return prune({
      '@id': datasetIri(base, d),
      '@type': 'dcat:Dataset',
      'dct:identifier': d.id,
      'dct:title': en(d.title),
      'dct:description': en(d.description),
      'dct:publisher': agent(d.agency, name),
      'dcat:contactPoint': d.contactEmail ? contactPoint(name, d.contactEmail) : undefined,
      'dcat:keyword': d.tags.map(en),
      'dcat:theme': themes.flatMap((code) => (code ? [themeConcept(code)] : [])),
      'dct:accrualPeriodicity': frequency && {
        '@id': `${EU}/frequency/${frequency}`,
        '@type': 'dct:Frequency',
      },
      'dct:temporal': periodOfTime(d.coverage),
      'dct:issued': dateTime(d.createdAt),
      'dct:modified': dateTime(d.updatedAt),
      'dcat:landingPage': { '@id': `${base}/datasets/${d.slug}`, '@type': 'foaf:Document' },
      'dcat:distribution': d.currentVersion && [
        parquetDistribution(base, d, d.currentVersion, service),
      ],
    })
  }
  return prune({
    '@context': CONTEXT,
    '@id': `${base}${DCAT_CATALOG_PATH}`,
    '@type': 'dcat:Catalog',
    'dct:title': en(input.title),
    'dct:description': en(input.description),
    'dct:publisher': publisher,
    'dct:language': { '@id': `${EU}/language/ENG`, '@type': 'dct:LinguisticSystem' },
    'foaf:homepage': { '@id': `${base}/`, '@type': 'foaf:Document' },
    'dcat:themeTaxonomy': {
      '@id': THEME_SCHEME,
      '@type': 'skos:ConceptScheme',
      'dct:title': en('Data theme'),
    },
    'dct:issued': input.issued && dateTime(input.issued),
    'dct:modified': modified && dateTime(modified),
    'dcat:dataset': datasets.map(datasetNode),
    'dcat:service': [
      prune({
        '@id': service,
        '@type': 'dcat:DataService',
        'dct:title': en(`${input.title} API`),
        'dct:description': en(
          "The portal's JSON API: the catalogue, each dataset's metadata and versions. Calls need a signed-in session or an API token.",
        ),
        // Typed because the DCAT-AP range shapes (ranges.ttl) check rdfs:Resource without inference.
        'dcat:endpointURL': { '@id': `${base}/api`, '@type': 'rdfs:Resource' },
        'dct:publisher': publisher,
        'dcat:servesDataset': datasets
          .filter((d) => d.currentVersion)
          .map((d) => ({ '@id': datasetIri(base, d) })),
      }),
    ],
  })
}

/** The current version as one Parquet file, with its size and SHA-256. */
function parquetDistribution(
  base: string,
  d: Dataset,
  version: DatasetVersion,
  service: string,
): JsonLdNode {
  return prune({
    '@id': `${datasetIri(base, d)}#parquet-v${version.version}`,
    '@type': 'dcat:Distribution',
    'dct:title': en(`${d.title}, version ${version.version} (Parquet)`),
    'dct:description': en(
      `Version ${version.version} as one Apache Parquet file of ${version.rowCount.toLocaleString('en')} rows.`,
    ),
    'dcat:accessURL': { '@id': `${base}/api/datasets/${d.slug}` },
    'dcat:downloadURL': {
      '@id': `${base}/api/datasets/${d.slug}/versions/${version.version}/data.parquet`,
    },
    'dcat:accessService': { '@id': service },
    'dcat:mediaType': { '@id': PARQUET_MEDIA_TYPE, '@type': 'dct:MediaType' },
    'dct:format': { '@id': `${EU}/file-type/PARQUET`, '@type': 'dct:MediaTypeOrExtent' },
    'dcat:byteSize': { '@value': String(version.byteSize), '@type': 'xsd:nonNegativeInteger' },
    // contentSha256 is the digest of the published file's bytes (trusted-centre/fuse.ts).
    'spdx:checksum': {
      '@type': 'spdx:Checksum',
      'spdx:algorithm': {
        '@id': 'http://spdx.org/rdf/terms#checksumAlgorithm_sha256',
        '@type': 'spdx:ChecksumAlgorithm',
      },
      'spdx:checksumValue': { '@value': version.contentSha256, '@type': 'xsd:hexBinary' },
    },
    'dct:license': licenceDocument(d.licence),
    'dct:issued': dateTime(version.createdAt),
    // Published versions are immutable files, so what a link points at stays as it is.
    'dcatap:availability': {
      '@id': `${EU}/planned-availability/STABLE`,
      '@type': 'skos:Concept',
      'skos:prefLabel': en('Stable'),
    },
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
    'dct:type': {
      '@id': 'http://purl.org/adms/publishertype/NationalAuthority',
      '@type': 'skos:Concept',
      'skos:prefLabel': en('National authority'),
    },
  }
}

function contactPoint(agencyName: string, email: string): JsonLdNode {
  return {
    '@type': 'vcard:Kind',
    'vcard:fn': en(agencyName),
    'vcard:hasEmail': { '@id': `mailto:${email}` },
  }
}

function themeConcept(code: EuTheme): JsonLdNode {
  return {
    '@id': `${THEME_SCHEME}/${code}`,
    '@type': 'skos:Concept',
    'skos:prefLabel': en(EU_THEMES[code]),
    'skos:inScheme': { '@id': THEME_SCHEME },
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

function en(text: string) {
  return { '@value': text, '@language': 'en' }
}

function dateTime(date: Date) {
  return { '@value': date.toISOString(), '@type': 'xsd:dateTime' }
}

/** Drops properties without a value, so optional metadata is absent rather than empty. */
function prune(node: JsonLdNode): JsonLdNode {
  return Object.fromEntries(
    Object.entries(node).filter(
      ([, value]) =>
        value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0),
    ),
  )
}
