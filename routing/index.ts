/**
 * @module routing
 * What every module's thin `routes.ts` shares (the only files that know HTTP besides server/):
 * the zod validation hook whose failures become the canonical 400, and how a request body is
 * encoded. Domain code never imports it; who is calling is identity's (RouteEnv, signedInUser).
 */

export { contentEncodingOf, validate } from './route-helpers.js'
