import { z } from 'zod'
import { classificationLabel } from './dataset.js'
import type { SearchHit } from './dataset-search.js'

/** A catalogue search's answer as JSON (times are ISO 8601 strings), and how a hit is made. */

/** One result, with the reasons it matched. */
export const searchHitJson = z
  .strictObject({
    id: z.string(),
    slug: z.string(),
    title: z.string(),
    description: z.string(),
    agency: z.string(),
    agencyName: z.string().nullable().describe("The owning agency's name; null: not on the roster"),
    ministryFamily: z.string().nullable(),
    trustedCentre: z.string(),
    classification: z.strictObject({
      security: z.string(),
      sensitivity: z.string(),
      label: z.string().describe('e.g. `Restricted / Sensitive Normal`'),
    }),
    themes: z.array(z.string()),
    tags: z.array(z.string()),
    updateFrequency: z.string(),
    rowCount: z.number().int().nullable().describe('Rows of the current version; null before any'),
    updatedAt: z.iso.datetime().describe('When the data last changed (ISO 8601)'),
    sampleAvailable: z.boolean(),
    score: z.number().describe('Relevance, to 3 decimals'),
    matched: z.strictObject({
      title: z.boolean(),
      tags: z.boolean(),
      description: z.boolean(),
      columns: z.array(z.string()).describe('Columns whose name, description or terms matched'),
      typo: z.boolean().describe('Matched only by words close to those typed'),
    }),
  })
  .meta({ id: 'SearchHit' })

const facetCounts = z.array(
  z.strictObject({
    value: z.string().describe('What to send back as the filter, e.g. `official-open`'),
    label: z.string().describe('What people read, e.g. `Official (Open)`'),
    count: z.number().int().describe('Matches with this value; 0 for a chosen value none has'),
  }),
)

/** A page of hits, with every facet's counts over all the matches. */
export const searchResultJson = z.strictObject({
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  hits: z.array(searchHitJson),
  terms: z
    .array(z.string())
    .describe('Glossary terms the words were read as (by name, synonym or abbreviation)'),
  didYouMean: z
    .string()
    .nullable()
    .describe('Words close to those typed that find something, when those typed found nothing'),
  facets: z.strictObject({
    agency: facetCounts,
    ministryFamily: facetCounts,
    trustedCentre: facetCounts,
    security: facetCounts,
    sensitivity: facetCounts,
    theme: facetCounts,
    frequency: facetCounts,
    sample: facetCounts,
  }),
})

export function toSearchHitJson(hit: SearchHit): z.output<typeof searchHitJson> {
  return {
    id: hit.id,
    slug: hit.slug,
    title: hit.title,
    description: hit.description,
    agency: hit.agency,
    agencyName: hit.agencyName ?? null,
    ministryFamily: hit.ministryFamily ?? null,
    trustedCentre: hit.trustedCentre,
    classification: {
      security: hit.security,
      sensitivity: hit.sensitivity,
      label: classificationLabel({
        security: hit.security as never,
        sensitivity: hit.sensitivity as never,
      }),
    },
    themes: hit.themes,
    tags: hit.tags,
    updateFrequency: hit.updateFrequency,
    rowCount: hit.rowCount ?? null,
    updatedAt: hit.updatedAt.toISOString(),
    sampleAvailable: hit.sampleAvailable,
    score: Math.round(hit.score * 1000) / 1000,
    matched: hit.matched,
  }
}
