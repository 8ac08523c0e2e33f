import { Hono } from 'hono'
import { z } from 'zod'
import { NotFoundError } from '../core/index.js'
import { type Agency, type RouteEnv, serve } from '../identity/index.js'
import { defineModule, defineRoute } from '../routing/index.js'
import type { DatasetStore } from './dataset-store.js'
import { dcatCatalog } from './dcat-export.js'
import { DCAT_PAGE_SIZE, pageCount } from './dcat-paging.js'

/** The portal as a DCAT catalogue: who runs it and publishes the catalogue itself. */
export const PORTAL_CATALOGUE = {
  title: 'Government Data Portal',
  description: 'Verified datasets published by the Trusted Centres of government agencies.',
  publisher: { code: 'GOVTECH', name: 'Government Technology Agency' },
} as const

export interface DcatRouteDeps {
  store: Pick<DatasetStore, 'publicPage'>
  listAgencies: () => Promise<Agency[]>
  /** The portal's public address; every IRI in the export starts with it. */
  publicUrl: string
}

const pageQuery = z.strictObject({
  page: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(1)
    .describe('Which page, from 1; `hydra:next` links the following one'),
  pageSize: z.coerce
    .number()
    .int()
    .min(1)
    .max(DCAT_PAGE_SIZE.max)
    .default(DCAT_PAGE_SIZE.default)
    .describe(`Datasets a page holds (default ${DCAT_PAGE_SIZE.default})`),
})

export const exportDcatCatalogue = defineRoute({
  method: 'get',
  path: '/catalog.jsonld',
  access: 'public',
  summary: 'The public part of the catalogue as DCAT-AP 3 JSON-LD, for harvesters',
  description:
    'Oldest dataset first, a page at a time: `hydra:view` (a `hydra:PartialCollectionView`, also typed `hydra:PagedCollection`) gives `hydra:totalItems` and the first, previous, next and last pages. Every distribution downloads without signing in.',
  request: { query: pageQuery },
  responses: {
    200: {
      description: 'A dcat:Catalog of the Official (Open) datasets, with their distributions',
      media: ['application/ld+json'],
    },
    404: 'No such page: the catalogue has fewer pages at that page size',
  },
})

/** The catalogue for harvesters, mounted under /api/dcat (no sign-in). */
export const DCAT_API = defineModule('/dcat', 'Catalogue', { exportDcatCatalogue })

/**
 * The public part of the catalogue as DCAT-AP 3 JSON-LD, for harvesters: no sign-in, so it reads
 * the catalogue as an anonymous caller does (dcatCatalog keeps only Official (Open) data too).
 */
export const dcatRoutes = (deps: DcatRouteDeps) =>
  new Hono<RouteEnv>().route(
    '/',
    serve(exportDcatCatalogue, async (c) => {
      const { page, pageSize } = c.req.valid('query')
      // A page read at a time: a harvester walking every page reads the catalogue once.
      const [found, agencies] = await Promise.all([
        deps.store.publicPage({ offset: (page - 1) * pageSize, limit: pageSize }),
        deps.listAgencies(),
      ])
      const pages = pageCount(found.total, pageSize)
      if (page > pages)
        throw new NotFoundError(
          `No page ${page}: the catalogue has ${pages} ${pages === 1 ? 'page' : 'pages'} of ${pageSize}`,
        )
      const document = dcatCatalog({
        ...PORTAL_CATALOGUE,
        baseUrl: deps.publicUrl,
        datasets: found.datasets,
        agencies: new Map(agencies.map((a) => [a.code, { name: a.name }])),
        page: {
          number: page,
          size: pageSize,
          collection: { total: found.total, modified: found.modified },
        },
      })
      return c.body(JSON.stringify(document), 200, {
        'content-type': 'application/ld+json; charset=utf-8',
      })
    }),
  )
