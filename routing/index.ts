/**
 * @module routing
 * The route kit every module's `routes.ts` uses (the only files that know HTTP besides server/):
 * each route declared once (method, path, who may call it, request and response schemas,
 * summary) and served from its declaration; the OpenAPI document, the README's route table and
 * the authorization expectations generated from the declarations; the zod validation hook whose
 * failures become the canonical 400, and how a request body is encoded. Domain code never imports
 * it; who is calling is identity's (RouteEnv, signedInUser).
 */

export {
  type ApiInfo,
  type DeclaredRoute,
  type OpenApiDocument,
  openApiDocument,
  routesOf,
  routeTable,
  templateOf,
} from './api-document.js'
export {
  type Access,
  type ApiModule,
  defineModule,
  defineRoute,
  errorEnvelope,
  ok,
  type RouteDef,
  routeServer,
} from './define-route.js'
export { listPageQuery } from './list-page-query.js'
export { contentEncodingOf, validate } from './route-helpers.js'
export { SERVICE_API, serviceRoutes } from './service-routes.js'
