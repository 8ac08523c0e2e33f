import { createMiddleware } from 'hono/factory'
import { z } from 'zod'
import { ForbiddenError, MAX_LISTED } from '../core/index.js'
import type { RouteEnv } from '../identity/index.js'
import { defineModule, defineRoute, listPageQuery, ok } from '../routing/index.js'
import { MAX_ITEMS, MAX_LENGTH, nameKey, pickedName } from '../text/index.js'
import { PERSONAL_DATA_KINDS } from './dataset.js'
import { changeJson, datasetDetailJson, datasetJson, metadataEditJson } from './dataset-json.js'
import { glossaryChangeJson, glossaryEntryJson } from './glossary-json.js'
import { searchResultJson } from './search-json.js'

/** A glossary term: unique whatever its letter case and width (catalog/glossary.ts). */
const termName = pickedName({
  max: MAX_LENGTH.name,
  min: 2,
  tooShort: 'a term needs at least 2 characters',
})
const tag = pickedName({ max: MAX_LENGTH.tag })
/** Tags or themes, each once (names differing only in letter case or width are one). */
const tagList = (max: number) =>
  z
    .array(tag)
    .max(max)
    .transform((tags) =>
      tags.filter((t, i) => tags.findIndex((u) => nameKey(u) === nameKey(t)) === i),
    )
const column = pickedName({ max: MAX_LENGTH.name })
const isoDate = z.iso.date().max(10)
export const metadataPatch = z
  .object({
    title: z
      .string()
      .trim()
      .min(3, 'a title needs at least 3 characters')
      .max(MAX_LENGTH.title)
      .optional(),
    description: z
      .string()
      .trim()
      .min(10, 'a description needs at least 10 characters')
      .max(MAX_LENGTH.description)
      .optional(),
    tags: tagList(MAX_ITEMS.tags).optional(),
    themes: tagList(10).optional(),
    licence: z.string().trim().min(3).max(MAX_LENGTH.justification).optional(),
    contactEmail: z.email('must be an email address').max(MAX_LENGTH.email).optional(),
    sampleKeep: z
      .record(
        column,
        pickedName({ max: MAX_LENGTH.name, tooShort: 'name a level, e.g. planning area' }),
      )
      .refine((keep) => Object.keys(keep).length <= 20, 'keep at most 20 levels')
      .meta({ maxProperties: 20 })
      .optional()
      .describe(
        'Levels samples should keep where k allows, by hierarchy (\'geography\' or a column): { "geography": "planning area" }',
      ),
    coverage: z
      .object({ start: isoDate.nullable(), end: isoDate.nullable() })
      .refine(
        (c) => !c.start || !c.end || c.start <= c.end,
        'coverage.start must not be after coverage.end',
      )
      .optional(),
    columns: z
      .array(
        z.strictObject({
          name: column,
          description: z.string().trim().max(MAX_LENGTH.justification).optional(),
          isCoreField: z.boolean().optional(),
          authoritySsot: pickedName({ max: MAX_LENGTH.code }).nullable().optional(),
          glossary: z.array(termName).max(20).optional(),
          personalData: z
            .strictObject({
              kind: z.enum(PERSONAL_DATA_KINDS),
              reason: z
                .string()
                .trim()
                .min(10, 'say in at least 10 characters why the column is labelled so')
                .max(1_000),
            })
            .optional(),
        }),
      )
      .max(MAX_ITEMS.columns)
      .optional(),
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one field to change')

const facetValue = pickedName({ max: MAX_LENGTH.name })
const facetValues = z
  .union([facetValue, z.array(facetValue).max(MAX_ITEMS.queryValues)])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))

export const searchQuery = z.object({
  q: z
    .string()
    .max(MAX_LENGTH.title, `keep the search under ${MAX_LENGTH.title} characters`)
    .optional(),
  agency: facetValues,
  ministryFamily: facetValues,
  trustedCentre: facetValues,
  security: facetValues,
  sensitivity: facetValues,
  theme: facetValues,
  frequency: facetValues,
  sample: facetValues,
  sort: z.enum(['relevance', 'updated', 'popular']).default('relevance'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
})

const definition = z
  .string()
  .trim()
  .min(10, 'a definition needs at least 10 characters')
  .max(MAX_LENGTH.justification)
/** Other names of a term, each once; search finds its columns by any of them. */
const alsoKnownAs = (max: number) =>
  z
    .array(termName)
    .max(max)
    .transform((names) =>
      names.filter((n, i) => names.findIndex((m) => nameKey(m) === nameKey(n)) === i),
    )
const glossaryNames = {
  synonyms: alsoKnownAs(20).describe('Other words for it, e.g. `identity card number`'),
  abbreviations: alsoKnownAs(10).describe('Short forms, e.g. `NRIC`, `FIN`'),
}
export const glossaryTermBody = z.strictObject({
  term: termName,
  definition,
  synonyms: glossaryNames.synonyms.default([]),
  abbreviations: glossaryNames.abbreviations.default([]),
})
export const glossaryTermPatch = z
  .strictObject({
    term: termName.optional(),
    definition: definition.optional(),
    synonyms: glossaryNames.synonyms.optional(),
    abbreviations: glossaryNames.abbreviations.optional(),
  })
  .refine(
    (patch) => Object.keys(patch).length > 0,
    'send a new term name, definition, synonyms or abbreviations',
  )

// As long as server/bound-path.ts lets any part of a path be: a longer key or term is refused
// there first, and a shorter one gets the answer it always got (400 for a malformed key, 404).
const pathPart = z.string().max(MAX_LENGTH.url)

export const datasetKeyParam = z.strictObject({
  id: pathPart.describe("The dataset's id (`d_` + 32 hex digits) or its slug."),
})

export const glossaryTermParam = z.strictObject({
  term: pathPart.describe('The term as listed by `GET /api/glossary`, URL-encoded.'),
})

const NOT_DISCOVERABLE = 'No such dataset, or the caller may not discover it'

export const listDatasets = defineRoute({
  method: 'get',
  path: '/',
  access: 'signed-in',
  summary: 'Datasets the caller may discover',
  description: `By title, at most ${MAX_LISTED.toLocaleString('en')} a page (\`limit\`, \`offset\`): a page shorter than the limit is the last. To find datasets by words, facets or popularity, search (\`GET /api/search\`).`,
  request: { query: z.strictObject(listPageQuery(MAX_LISTED)) },
  responses: { 200: { description: 'The datasets, by title', json: ok(z.array(datasetJson)) } },
})

export const getDataset = defineRoute({
  method: 'get',
  path: '/:id',
  access: 'signed-in',
  summary: 'One dataset: metadata, columns, versions with quality, glossary links',
  request: { params: datasetKeyParam },
  responses: {
    200: { description: 'The dataset', json: ok(datasetDetailJson) },
    404: NOT_DISCOVERABLE,
  },
})

export const editDataset = defineRoute({
  method: 'patch',
  path: '/:id',
  access: 'steward',
  summary: "Edit a dataset's metadata (stewards of the owning agency)",
  description:
    'Send only the fields to change. Column entries are matched by name; every change is recorded in the history.',
  request: { params: datasetKeyParam, body: metadataPatch },
  responses: {
    200: { description: 'The dataset as edited, and each change', json: ok(metadataEditJson) },
    404: NOT_DISCOVERABLE,
  },
})

export const listDatasetChanges = defineRoute({
  method: 'get',
  path: '/:id/changes',
  access: 'signed-in',
  summary: "The dataset's metadata change history: who changed what, when",
  request: { params: datasetKeyParam },
  responses: {
    200: { description: 'The changes, newest first', json: ok(z.array(changeJson)) },
    404: NOT_DISCOVERABLE,
  },
})

/** The catalogue's datasets (list, page, steward edits, history), mounted under /api/datasets. */
export const CATALOG_API = defineModule('/datasets', 'Catalogue', {
  listDatasets,
  getDataset,
  editDataset,
  listDatasetChanges,
})

export const searchCatalogue = defineRoute({
  method: 'get',
  path: '/',
  access: 'signed-in',
  summary: 'Faceted full-text search over the datasets the caller may discover',
  description:
    'Repeat a facet parameter to match any of its values (`?agency=DOS&agency=SLA`); different facets combine with AND.',
  request: { query: searchQuery },
  responses: {
    200: { description: 'A page of hits, with facet counts', json: ok(searchResultJson) },
  },
})

/** Catalogue search, mounted under /api/search: `?q=…&agency=DOS&theme=Geospatial&sort=relevance&page=1`. */
export const SEARCH_API = defineModule('/search', 'Catalogue', { searchCatalogue })

// Checked before the body is read, so a caller without the right learns that first.
const may = (action: 'create' | 'update') =>
  createMiddleware<RouteEnv>(async function mayChangeGlossary(c, next) {
    if (!c.get('ability').can(action, 'GlossaryTerm'))
      throw new ForbiddenError(`Only stewards and administrators may ${action} glossary terms`)
    await next()
  })

export const listGlossaryTerms = defineRoute({
  method: 'get',
  path: '/',
  access: 'signed-in',
  summary: 'Business glossary terms and the columns they describe',
  responses: { 200: { description: 'Every term', json: ok(z.array(glossaryEntryJson)) } },
})

export const defineGlossaryTerm = defineRoute({
  method: 'post',
  path: '/',
  access: 'curator',
  summary: 'Define a new business term (answers 201)',
  description:
    'Link it to columns with `PATCH /api/datasets/{id}` (`columns[].glossary`). Names are kept NFKC-normalised with single spaces, and unique regardless of letter case; a name with an invisible or control character is refused.',
  request: { body: glossaryTermBody },
  before: [may('create')],
  responses: {
    201: { description: 'The term, defined', json: ok(glossaryEntryJson) },
    409: 'A term of that name already exists',
  },
})

export const redefineGlossaryTerm = defineRoute({
  method: 'patch',
  path: '/:term',
  access: 'curator',
  summary: 'Redefine or rename a term; datasets carrying it are found by the new name at once',
  request: { params: glossaryTermParam, body: glossaryTermPatch },
  before: [may('update')],
  responses: {
    200: { description: 'The term before and after', json: ok(glossaryChangeJson) },
    404: 'No such term',
    409: 'Another term already has the new name',
  },
})

/**
 * The business glossary, mounted under /api/glossary: every term with the columns that use it;
 * stewards and administrators define and redefine terms (linking them to columns is a dataset
 * edit). Every change is audited with the definition before and after.
 */
export const GLOSSARY_API = defineModule('/glossary', 'Catalogue', {
  listGlossaryTerms,
  defineGlossaryTerm,
  redefineGlossaryTerm,
})
