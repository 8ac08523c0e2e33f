import { Hono } from 'hono'
import { type Agency, publicAbility, type RouteEnv, serve } from '../identity/index.js'
import { defineModule, defineRoute } from '../routing/index.js'
import type { DatasetStore } from './dataset-store.js'
import { dcatCatalog } from './dcat-export.js'

/** The portal as a DCAT catalogue: who runs it and publishes the catalogue itself. */
export const PORTAL_CATALOGUE = {
  title: 'Government Data Portal',
  description: 'Verified datasets published by the Trusted Centres of government agencies.',
  publisher: { code: 'GOVTECH', name: 'Government Technology Agency' },
} as const

export interface DcatRouteDeps {
  store: Pick<DatasetStore, 'listDatasets'>
  listAgencies: () => Promise<Agency[]>
  /** The portal's public address; every IRI in the export starts with it. */
  publicUrl: string
}

export const exportDcatCatalogue = defineRoute({
  method: 'get',
  path: '/catalog.jsonld',
  access: 'public',
  summary: 'The public part of the catalogue as DCAT-AP 3 JSON-LD, for harvesters',
  responses: {
    200: {
      description: 'A dcat:Catalog of the Official (Open) datasets, with their distributions',
      media: ['application/ld+json'],
    },
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
      const [datasets, agencies] = await Promise.all([
        deps.store.listDatasets(publicAbility()),
        deps.listAgencies(),
      ])
      const document = dcatCatalog({
        ...PORTAL_CATALOGUE,
        baseUrl: deps.publicUrl,
        datasets,
        agencies: new Map(agencies.map((a) => [a.code, { name: a.name }])),
      })
      return c.body(JSON.stringify(document), 200, {
        'content-type': 'application/ld+json; charset=utf-8',
      })
    }),
  )
