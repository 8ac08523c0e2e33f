import type { Env } from 'hono'
import { z } from 'zod'
import { defineModule, defineRoute, ok, routeServer } from './define-route.js'

export const health = defineRoute({
  method: 'get',
  path: '/health',
  access: 'public',
  summary: 'Liveness and database readiness',
  description:
    'Answers `{ status: "ok" }` once the metadata database answers; 503 while it cannot.',
  responses: {
    200: { description: 'Up', json: ok(z.strictObject({ status: z.literal('ok') })) },
  },
})

export const apiDocument = defineRoute({
  method: 'get',
  path: '/openapi.json',
  access: 'public',
  summary: 'This OpenAPI 3.1 document',
  responses: {
    200: {
      description: 'The document',
      json: z.looseObject({ openapi: z.string() }).describe('An OpenAPI 3.1 document'),
    },
  },
})

export const apiReference = defineRoute({
  method: 'get',
  path: '/docs',
  access: 'public',
  summary: 'The API reference page for humans',
  responses: { 200: { description: 'The page', media: ['text/html'] } },
})

/** The service's own routes: whether it is up, and how its API is described. */
export const SERVICE_API = defineModule('/', 'Service', { health, apiDocument, apiReference })

export interface ServiceRouteDeps {
  /** Resolves when the metadata database answers; rejects otherwise (the error handler says 503). */
  pingDatabase: () => Promise<void>
  document: { openapi: string }
  referenceHtml: string
}

const serve = routeServer<Env>()

/** Health, the OpenAPI document and its reference page: public, mounted before sign-in. */
export const serviceRoutes = (deps: ServiceRouteDeps) =>
  serve(health, async (c) => {
    await deps.pingDatabase()
    return c.json({ ok: true as const, data: { status: 'ok' as const } }, 200)
  })
    .route(
      '/',
      serve(apiDocument, (c) => c.json(deps.document, 200)),
    )
    .route(
      '/',
      serve(apiReference, (c) => c.html(deps.referenceHtml, 200)),
    )
