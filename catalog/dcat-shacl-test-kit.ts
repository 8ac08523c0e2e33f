import { readFile } from 'node:fs/promises'
import jsonld from 'jsonld'
import { DataFactory, Parser, Store } from 'n3'
import SHACLValidator from 'rdf-validate-shacl'

// Validating the DCAT-AP export against the official shapes in ./dcat-ap-shapes, offline.

const SH = 'http://www.w3.org/ns/shacl#'
const OWL_IMPORTS = 'http://www.w3.org/2002/07/owl#imports'
const SKOS_IN_SCHEME = 'http://www.w3.org/2004/02/skos/core#inScheme'

/** Every shapes file of DCAT-AP 3.0.1: consolidated, split, ranges, vocabularies, recommended, deprecated. */
export const ALL_SHAPES = [
  'dcat-ap-SHACL.ttl',
  'ranges.ttl',
  'split/shapes.ttl',
  'split/range.ttl',
  'split/mdr-vocabularies.shape.ttl',
  'shapes_recommended.ttl',
  'split/deprecateduris.ttl',
] as const

/** The vocabulary memberships the vocabulary shapes look for, from the official tables. */
export const EU_VOCABULARIES = 'eu-vocabularies.ttl'

// jsonld 9 has a safe mode that fails on anything it would silently drop; its typings predate it.
const TO_NQUADS: jsonld.Options.ToRdf & { safe: boolean } = {
  format: 'application/n-quads',
  safe: true,
  documentLoader: async (url: string) => {
    throw new Error(`the export must not need a remote document, but asked for ${url}`)
  },
}

export async function toRdf(document: Record<string, unknown>): Promise<Store> {
  const nquads = await jsonld.toRDF(document, TO_NQUADS)
  if (typeof nquads !== 'string') throw new Error('jsonld did not return N-Quads')
  return new Store(new Parser({ format: 'application/n-quads' }).parse(nquads))
}

/** A Turtle file of ./dcat-ap-shapes, without its owl:imports (they name remote documents). */
export async function readShapes(file: string): Promise<Store> {
  const text = await readFile(new URL(`./dcat-ap-shapes/${file}`, import.meta.url), 'utf8')
  return new Store(new Parser().parse(text).filter((q) => q.predicate.value !== OWL_IMPORTS))
}

export interface ShaclResult {
  severity: string
  focusNode: string
  path: string
  text: string
}

/**
 * Validates the export against the shapes files named; with `vocabularies`, the export's own
 * `skos:inScheme` claims are dropped and the official tables' memberships loaded instead, so a
 * concept passes the vocabulary shapes only if the tables hold it.
 */
export async function validate(
  document: Record<string, unknown>,
  shapesFiles: readonly string[],
  options: { vocabularies?: boolean } = {},
): Promise<ShaclResult[]> {
  const shapes = new Store()
  for (const file of shapesFiles)
    shapes.addQuads((await readShapes(file)).getQuads(null, null, null, null))
  const data = await toRdf(document)
  if (options.vocabularies) {
    data.removeQuads(data.getQuads(null, DataFactory.namedNode(SKOS_IN_SCHEME), null, null))
    data.addQuads((await readShapes(EU_VOCABULARIES)).getQuads(null, null, null, null))
  }
  const report = await new SHACLValidator(shapes).validate(data)
  return report.results.map((r) => ({
    severity: r.severity.value.replace(SH, 'sh:'),
    focusNode: r.focusNode.value,
    path: r.path?.value ?? '',
    text: `${r.focusNode.value} ${r.path?.value ?? '(node)'}: ${r.message.map((m) => m.value).join('; ')} [${r.sourceShape.value}]`,
  }))
}

export const violations = (results: readonly ShaclResult[]) =>
  results.filter((r) => r.severity === 'sh:Violation').map((r) => r.text)
