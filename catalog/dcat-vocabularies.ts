/**
 * The controlled vocabularies the DCAT-AP export draws its codes from (the EU Publications
 * Office's authority tables, ADMS and SPDX), each concept written with its `skos:inScheme` so that
 * DCAT-AP's vocabulary shapes (mdr-vocabularies.shape.ttl) find its table in the export itself.
 * Only codes that are in the official tables are used: dcat-ap-shapes/eu-vocabularies.ttl lists
 * them from the tables, and the export's tests check every code against that list.
 */

type JsonLdNode = Record<string, unknown>

const EU = 'http://publications.europa.eu/resource/authority'

/** The schemes the export draws from. */
export const SCHEMES = {
  accessRight: `${EU}/access-right`,
  dataTheme: `${EU}/data-theme`,
  fileType: `${EU}/file-type`,
  frequency: `${EU}/frequency`,
  language: `${EU}/language`,
  plannedAvailability: `${EU}/planned-availability`,
  publisherType: 'http://purl.org/adms/publishertype/1.0',
} as const

/** EU data themes (the "data-theme" table), with their English labels. */
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

/** Our update frequencies and the "frequency" table's codes, with its English labels. */
const FREQUENCY_OF: Readonly<Record<string, { code: string; label: string }>> = {
  hourly: { code: 'HOURLY', label: 'hourly' },
  daily: { code: 'DAILY', label: 'daily' },
  weekly: { code: 'WEEKLY', label: 'weekly' },
  monthly: { code: 'MONTHLY', label: 'monthly' },
  quarterly: { code: 'QUARTERLY', label: 'quarterly' },
  annual: { code: 'ANNUAL', label: 'annual' },
  annually: { code: 'ANNUAL', label: 'annual' },
  yearly: { code: 'ANNUAL', label: 'annual' },
  irregular: { code: 'IRREG', label: 'irregular' },
}

/** Each scheme's title, as DCAT-AP's shapes want one of every `skos:ConceptScheme`. */
const SCHEME_TITLES: Record<string, string> = {
  [SCHEMES.accessRight]: 'Access right',
  [SCHEMES.dataTheme]: 'Data theme',
  [SCHEMES.fileType]: 'File type',
  [SCHEMES.frequency]: 'Frequency',
  [SCHEMES.language]: 'Language',
  [SCHEMES.plannedAvailability]: 'Planned availability',
  [SCHEMES.publisherType]: 'Publisher type',
}

/** A scheme the export names, with its title. */
export const schemeNode = (scheme: string): JsonLdNode => ({
  '@id': scheme,
  '@type': 'skos:ConceptScheme',
  'dct:title': en(SCHEME_TITLES[scheme] ?? scheme),
})

/** A concept of a table, typed as DCAT-AP's range shapes expect, with its scheme and label. */
function concept(scheme: string, code: string, label: string, type = 'skos:Concept'): JsonLdNode {
  return {
    '@id': `${scheme}/${code}`,
    '@type': type === 'skos:Concept' ? type : [type, 'skos:Concept'],
    'skos:prefLabel': en(label),
    'skos:inScheme': schemeNode(scheme),
  }
}

/** The EU themes our themes fall under, each once; a theme with no EU match is left out. */
export function themeConcepts(themes: readonly string[]): JsonLdNode[] {
  const codes = new Set(themes.map((t) => THEME_OF[t.trim().toLowerCase()]))
  return [...codes].flatMap((code) =>
    code ? [concept(SCHEMES.dataTheme, code, EU_THEMES[code])] : [],
  )
}

/** The frequency table's concept for an update frequency; undefined when it has none. */
export function frequencyConcept(updateFrequency: string): JsonLdNode | undefined {
  const match = FREQUENCY_OF[updateFrequency.trim().toLowerCase()]
  return match && concept(SCHEMES.frequency, match.code, match.label, 'dct:Frequency')
}

/** The file types of the distributions (the "file-type" table), by our extension. */
export const fileTypeConcept = (format: 'parquet' | 'csv'): JsonLdNode =>
  format === 'parquet'
    ? concept(SCHEMES.fileType, 'PARQUET', 'Parquet', 'dct:MediaTypeOrExtent')
    : concept(SCHEMES.fileType, 'CSV', 'CSV', 'dct:MediaTypeOrExtent')

export const ENGLISH = concept(SCHEMES.language, 'ENG', 'English', 'dct:LinguisticSystem')

/** Open to all without restriction: what every dataset in the public export is. */
export const PUBLIC_ACCESS = concept(SCHEMES.accessRight, 'PUBLIC', 'public', 'dct:RightsStatement')

/** Published versions are immutable files: what a link points at stays as it is. */
export const STABLE = concept(SCHEMES.plannedAvailability, 'STABLE', 'stable')

/** ADMS publisher type: a government agency of the country. */
export const NATIONAL_AUTHORITY = {
  '@id': 'http://purl.org/adms/publishertype/NationalAuthority',
  '@type': 'skos:Concept',
  'skos:prefLabel': en('National authority'),
  'skos:inScheme': schemeNode(SCHEMES.publisherType),
}

/**
 * SPDX's SHA-256. DCAT-AP's vocabulary shape wants the algorithm under `https://spdx.org/rdf/terms`
 * (SPDX 3 spells its terms so), while the checksum class and properties keep SPDX 2's `http`.
 */
export const SHA256 = {
  '@id': 'https://spdx.org/rdf/terms#checksumAlgorithm_sha256',
  '@type': 'spdx:ChecksumAlgorithm',
}

export function en(text: string) {
  return { '@value': text, '@language': 'en' }
}
