/**
 * @module routing
 * What every module's thin `routes.ts` shares (the only files that know HTTP besides server/):
 * the request's variables, the zod validation hook whose failures become the canonical 400, and
 * the caller and actor helpers. Domain code never imports it.
 */

export {
  actorOf,
  contentEncodingOf,
  type RouteEnv,
  signedInUser,
  validate,
} from './route-helpers.js'
