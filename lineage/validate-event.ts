import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { MAX_LENGTH, unseenCharacterIn } from '../text/index.js'

/**
 * The official OpenLineage schemas (Apache-2.0), vendored with their licence beside this file.
 * (A path, not `new URL(…, import.meta.url)`, which Vite would turn into an asset URL.)
 */
const SPEC = join(dirname(fileURLToPath(import.meta.url)), 'openlineage-spec')
const CORE_ID = 'https://openlineage.io/spec/2-0-2/OpenLineage.json'

export type EventKind = 'RunEvent' | 'DatasetEvent' | 'JobEvent'

/** Where a facet hangs: the core schema's name for each facet map. */
export type AttachPoint =
  | 'RunFacet'
  | 'JobFacet'
  | 'DatasetFacet'
  | 'InputDatasetFacet'
  | 'OutputDatasetFacet'

export interface EventCheck {
  /** What the event is, by its shape (run and job, dataset, or job alone). */
  kind: EventKind | undefined
  /** Violations of the core schema or of a standard facet's schema: the event is invalid. */
  errors: string[]
  /**
   * Failures of `format` checks alone (a `uri` that is not one, a time without an offset, a
   * run id that is not a UUID): real producers send these, so a receiver may accept them.
   */
  warnings: string[]
}

export interface EventValidator {
  check(event: unknown): EventCheck
}

interface FacetSchema {
  $id: string
  properties?: Record<string, { $ref?: string; anyOf?: { $ref: string }[] }>
  $defs: Record<string, { allOf?: { $ref?: string }[] }>
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as unknown

/**
 * Which standard facet schema checks a facet, by its key *and* where it hangs (`ownership` on a
 * job is not `ownership` on a dataset); never by the facet's own `_schemaURL`, which real
 * producers get wrong. Built from the vendored files themselves.
 */
function facetTable(facets: FacetSchema[]): Map<string, string> {
  const table = new Map<string, string>()
  for (const schema of facets)
    for (const [key, property] of Object.entries(schema.properties ?? {})) {
      const refs = property.$ref ? [property.$ref] : (property.anyOf ?? []).map((a) => a.$ref)
      for (const ref of refs) {
        const def = schema.$defs[ref.split('/').at(-1) ?? '']
        const attach = (def?.allOf ?? [])
          .map((part) => part.$ref?.split('/').at(-1))
          .filter((name): name is AttachPoint => Boolean(name?.endsWith('Facet')))
        // The subset facet extends no core facet: it is an input or an output facet.
        for (const point of attach.length > 0
          ? attach
          : (['InputDatasetFacet', 'OutputDatasetFacet'] as const))
          table.set(`${point}:${key}`, schema.$id)
      }
    }
  return table
}

function compiler(schemas: unknown[], assertFormats: boolean) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: assertFormats })
  if (assertFormats) addFormats.default(ajv)
  for (const schema of schemas) ajv.addSchema(schema as object)
  const compiled = new Map<string, ValidateFunction>()
  return (ref: string) => {
    let validate = compiled.get(ref)
    if (!validate) {
      validate = ajv.getSchema(ref)
      if (!validate) throw new Error(`No OpenLineage schema ${ref}`)
      compiled.set(ref, validate)
    }
    return validate
  }
}

function describe(errors: ErrorObject[] | null | undefined, where: string): string[] {
  return (errors ?? [])
    .filter((e) => e.keyword !== 'if' && e.keyword !== 'allOf')
    .map((e) => {
      const path = `${where}${e.instancePath}`.replace(/^\//, '').replaceAll('/', '.') || 'event'
      const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues
      return `${path}: ${e.message}${allowed ? ` (${allowed.join(', ')})` : ''}`
    })
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** By shape, as the core schema's oneOf decides: run and job, else dataset, else job alone. */
function kindOf(event: Record<string, unknown>): EventKind | undefined {
  if ('run' in event && 'job' in event) return 'RunEvent'
  if ('dataset' in event) return 'DatasetEvent'
  if ('job' in event && !('run' in event)) return 'JobEvent'
  return undefined
}

/** Every facet map of an event, with where it hangs and its path for messages. */
function facetMaps(event: Record<string, unknown>, kind: EventKind) {
  const maps: [AttachPoint, string, unknown][] = []
  const datasets = (list: unknown, name: string, extra: 'inputFacets' | 'outputFacets') => {
    if (!Array.isArray(list)) return
    for (const [i, dataset] of list.entries()) {
      if (!isObject(dataset)) continue
      maps.push(['DatasetFacet', `/${name}/${i}/facets`, dataset.facets])
      maps.push([
        extra === 'inputFacets' ? 'InputDatasetFacet' : 'OutputDatasetFacet',
        `/${name}/${i}/${extra}`,
        dataset[extra],
      ])
    }
  }
  if (kind === 'DatasetEvent' && isObject(event.dataset))
    maps.push(['DatasetFacet', '/dataset/facets', event.dataset.facets])
  if (kind === 'RunEvent' && isObject(event.run))
    maps.push(['RunFacet', '/run/facets', event.run.facets])
  if (kind !== 'DatasetEvent' && isObject(event.job))
    maps.push(['JobFacet', '/job/facets', event.job.facets])
  if (kind !== 'DatasetEvent') {
    datasets(event.inputs, 'inputs', 'inputFacets')
    datasets(event.outputs, 'outputs', 'outputFacets')
  }
  return maps
}

/**
 * What the spec leaves unbounded but lists and indexes hold: the envelope's strings, and the
 * namespace and name of the job and of every dataset (and its `symlinks` aliases). A name is a
 * producer's identifier and kept as sent, but one with a character nobody can see (a zero-width
 * space, a bidi override) would show as another's: refused. Facet bodies are bounded by the
 * request's size limit alone.
 */
function identifierErrors(event: Record<string, unknown>): string[] {
  const errors: string[] = []
  const check = (value: unknown, path: string, max: number, visible: boolean) => {
    if (typeof value !== 'string') return
    if (value.length > max) errors.push(`${path}: at most ${max.toLocaleString('en')} characters`)
    const unseen = visible ? unseenCharacterIn(value) : undefined
    if (unseen) errors.push(`${path}: ${unseen}`)
  }
  check(event.eventTime, 'eventTime', MAX_LENGTH.time, false)
  check(event.producer, 'producer', MAX_LENGTH.url, false)
  check(event.schemaURL, 'schemaURL', MAX_LENGTH.url, false)
  if (isObject(event.run)) check(event.run.runId, 'run.runId', MAX_LENGTH.id, false)
  const named = (value: unknown, path: string) => {
    if (!isObject(value)) return
    check(value.namespace, `${path}.namespace`, MAX_LENGTH.url, true)
    check(value.name, `${path}.name`, MAX_LENGTH.url, true)
    const symlinks = isObject(value.facets) ? value.facets.symlinks : undefined
    const aliases = isObject(symlinks) ? symlinks.identifiers : undefined
    if (Array.isArray(aliases))
      for (const [i, alias] of aliases.entries())
        named(alias, `${path}.facets.symlinks.identifiers.${i}`)
  }
  named(event.job, 'job')
  named(event.dataset, 'dataset')
  for (const list of ['inputs', 'outputs'] as const)
    if (Array.isArray(event[list]))
      for (const [i, dataset] of (event[list] as unknown[]).entries())
        named(dataset, `${list}.${i}`)
  return errors
}

/**
 * Checks OpenLineage events against the official schemas: the core schema for the event's kind,
 * then each standard facet against its own schema, chosen by key and attach point (the core
 * schema does not check facet bodies). Custom facets need only what the core asks of every
 * facet (`_producer`, `_schemaURL`). Format failures are reported apart, as warnings.
 */
export function createEventValidator(): EventValidator {
  shared ??= compileEventValidator()
  return shared
}

/** Compiled once per process (~0.2 s of CPU): a validator holds no state of its own. */
let shared: EventValidator | undefined

function compileEventValidator(): EventValidator {
  const core = readJson(join(SPEC, 'OpenLineage.json'))
  const facets = readdirSync(join(SPEC, 'facets'))
    .filter((file) => file.endsWith('.json'))
    .map((file) => readJson(join(SPEC, 'facets', file)) as FacetSchema)
  const table = facetTable(facets)
  const standardKeys = new Map<string, string>()
  for (const entry of table.keys()) {
    const [point, key] = entry.split(':') as [string, string]
    standardKeys.set(key, [standardKeys.get(key), point].filter(Boolean).join(' or '))
  }
  const loose = compiler([core, ...facets], false)
  const strict = compiler([core, ...facets], true)

  return {
    check(event) {
      if (!isObject(event))
        return { kind: undefined, errors: ['event: must be an object'], warnings: [] }
      const kind = kindOf(event)
      if (!kind)
        return {
          kind,
          errors: [
            'event: must carry run and job (a RunEvent), a dataset (a DatasetEvent) or a job alone (a JobEvent)',
          ],
          warnings: [],
        }
      const errors: string[] = []
      const warnings: string[] = []
      // The strict schema asks all the loose one does, and formats too: a value it passes has
      // neither errors nor warnings, so the loose one runs only to sort a failure (the common
      // event is checked once, not twice).
      const check = (ref: string, value: unknown, where: string) => {
        const strictly = strict(ref)
        if (strictly(value)) return
        const loosely = loose(ref)
        if (!loosely(value)) errors.push(...describe(loosely.errors, where))
        else warnings.push(...describe(strictly.errors, where))
      }
      check(`${CORE_ID}#/$defs/${kind}`, event, '')
      if (errors.length === 0) errors.push(...identifierErrors(event))
      if (errors.length > 0) return { kind, errors, warnings }
      for (const [attach, where, map] of facetMaps(event, kind)) {
        if (!isObject(map)) continue
        for (const [key, facet] of Object.entries(map)) {
          const schema = table.get(`${attach}:${key}`)
          // A one-key container, as the upstream facet tests validate; paths then start at the key.
          if (schema) check(schema, { [key]: facet }, where)
          else if (standardKeys.has(key))
            warnings.push(
              `${where.slice(1).replaceAll('/', '.')}.${key}: a standard facet of another kind (${standardKeys.get(key)}), not checked here`,
            )
        }
      }
      return { kind, errors, warnings }
    },
  }
}
