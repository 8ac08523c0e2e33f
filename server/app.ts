import { type Context, Hono } from 'hono'
import { requestId } from 'hono/request-id'
import { secureHeaders } from 'hono/secure-headers'
import {
  type AccessStore,
  ENTITLEMENTS_API,
  type Entitlement,
  entitlementRoutes,
  GRANTS_API,
  grantRoutes,
  REQUESTS_API,
  requestRoutes,
} from '../access/index.js'
import { AUDIT_API, type AuditLog, auditRoutes } from '../audit/index.js'
import {
  CATALOG_API,
  catalogRoutes,
  type DatasetOwner,
  type DatasetStore,
  DCAT_API,
  DEPRECATION_API,
  dcatRoutes,
  deprecationRoutes,
  findDiscoverableDataset,
  GLOSSARY_API,
  glossaryRoutes,
  PROFILE_API,
  type ProfileRouteDeps,
  profileRoutes,
  SEARCH_API,
  type SearchRequest,
  type SearchResult,
  SUGGEST_API,
  type Suggestion,
  searchRoutes,
  suggestRoutes,
} from '../catalog/index.js'
import type { Logger, RateLimiter } from '../core/index.js'
import type { RouteEnv } from '../identity/index.js'
import {
  type AppAbility,
  AUTH_API,
  type AuthDeps,
  actorOf,
  auditRefusedDevSignIns,
  authenticate,
  authRoutes,
  csrfProtection,
  requireSignIn,
  TOKENS_API,
  tokenRoutes,
  type User,
} from '../identity/index.js'
import { KPI_API, type KpiRouteDeps, kpiRoutes } from '../kpi/index.js'
import {
  LINEAGE_API,
  type LineageRouteDeps,
  lineageRoutes,
  type TransportStatus,
} from '../lineage/index.js'
import {
  FOLLOW_API,
  FOLLOWS_API,
  type FollowRouteDeps,
  followRoutes,
  followsRoutes,
  NOTIFICATIONS_API,
  type NotificationRouteDeps,
  notificationRoutes,
  WEBHOOKS_API,
  webhookRoutes,
} from '../notifications/index.js'
import {
  EXTRACT_API,
  extractRoutes,
  OPEN_DATA_API,
  openDataRoutes,
  QUERY_API,
  type QueryService,
  queryRoutes,
  SAMPLE_PREVIEW_API,
  SAVED_QUERIES_API,
  type SavedQueries,
  samplePreviewRoutes,
  savedQueryRoutes,
} from '../query-service/index.js'
import { SERVICE_API, serviceRoutes } from '../routing/index.js'
import { FEEDS_API, type FeedRouteDeps, feedRoutes } from '../trusted-centre/index.js'
import { apiReferenceHtml } from './api-reference.js'
import { bodyLimitsOf, limitBodies } from './body-limits.js'
import { boundPath } from './bound-path.js'
import { clientAddress } from './client-address.js'
import { errorBody, errorResponse } from './error-response.js'
import { checkBody, checkUrl } from './input-check.js'
import { limitChanges } from './limit-changes.js'
import { limitFailedTokens, limitSignIns } from './limit-sign-ins.js'
import { openApiDocument } from './openapi.js'
import { requestLogger } from './request-logger.js'
import { staticPortal } from './static-portal.js'

export interface AppDeps {
  log: Logger
  catalog: DatasetStore
  /** Catalogue search over the datasets the caller may discover. */
  search: (ability: AppAbility, request: SearchRequest) => Promise<SearchResult>
  /** Suggestions as one types, of what the caller may discover. */
  suggest: (ability: AppAbility, typed: string) => Promise<Suggestion[]>
  /** A dataset's owning agency by name, and its stewards. */
  datasetOwner: (agency: string) => Promise<DatasetOwner>
  /** Versions' column profiles, and how a version with none yet is profiled. */
  profiles: Omit<ProfileRouteDeps, 'store'>
  access: AccessStore
  /** The metadata database, for the inbox and webhook routes. */
  db: NotificationRouteDeps['db']
  allowPrivateWebhooks: boolean
  query: QueryService
  /** Named, parameterised queries, opened by link and run as whoever opens them. */
  savedQueries: SavedQueries
  lineage: Pick<LineageRouteDeps, 'store' | 'graph' | 'validator' | 'namespaces'> & {
    emitter: { status(): Promise<TransportStatus[]> }
  }
  /** The Blueprint KPIs: computed values and the engine that recomputes them. */
  kpi: Pick<KpiRouteDeps, 'engine' | 'reads'>
  /** What a person may read right now: the query service's view of grants. */
  entitlements: (user: User, ability: AppAbility, now: Date) => Promise<Entitlement[]>
  /** The audit trail every route records through; auditors read and verify it. */
  audit: AuditLog
  auth: AuthDeps
  /** Resolves when the metadata database answers; rejects otherwise. */
  pingDatabase: () => Promise<void>
  /** Directory of the built portal (`portal/dist`). */
  portalDir: string
  /** What the Trusted Centre's stewards read of failed deliveries. */
  feeds: FeedRouteDeps
  /** Each person's share of changes a minute, across replicas; none means no limit. */
  changeLimiter?: RateLimiter
  /** Each client address's sign-in attempts a minute, across replicas; none means no limit. */
  signInLimiter?: RateLimiter
  /** Each client address's downloads of open data a minute, across replicas; none means no limit. */
  openDataLimiter?: RateLimiter
  /** Reverse proxies in front whose X-Forwarded-For entries are trusted (TRUST_PROXY); 0 by default. */
  trustedProxies?: number
  /** The largest body the API reads (API_BODY_LIMIT_BYTES); 1 MB by default. */
  bodyLimitBytes?: number
}

/** The whole HTTP surface: every module's routes under /api, and the portal for the rest. */
export function createApp(deps: AppDeps) {
  // The API's description depends only on the code and the public URL: built once, not per request.
  const apiDocument = openApiDocument(deps.auth.publicUrl)
  const apiReference = apiReferenceHtml(apiDocument)
  const accessDeps = {
    access: deps.access,
    entitlements: deps.entitlements,
    now: deps.auth.now,
  }
  const notificationDeps = {
    db: deps.db,
    audit: deps.audit,
    now: deps.auth.now,
    allowPrivateWebhooks: deps.allowPrivateWebhooks,
  }
  const followDeps: FollowRouteDeps = {
    db: deps.db,
    now: deps.auth.now,
    findDataset: (key, ability) => findDiscoverableDataset(deps.catalog, key, ability),
    findById: (id, ability) => deps.catalog.findDataset(id, ability),
  }
  // Order matters: routes registered before requireSignIn answer anonymous callers (health and
  // sign-in); everything after it needs a caller. The authorization matrix test pins this down.
  const bodyLimitOf = bodyLimitsOf(deps.bodyLimitBytes ?? 1_000_000)
  const addressOf = (c: Context<RouteEnv>) => clientAddress(c, deps.trustedProxies ?? 0)
  const api = new Hono<RouteEnv>()
    // Bounded input, before any route code: no path or query with a NUL, a lone surrogate or
    // bytes that are not UTF-8; refused tokens and sign-in attempts counted per address; a body
    // past its limit (the API's own for anyone not signed in) refused before it is read whole
    // and before anything is written; then the body's text checked as the URL's was.
    .use(boundPath())
    .use(checkUrl())
    .use(limitFailedTokens(deps.signInLimiter, addressOf))
    .use(authenticate(deps.auth))
    .use(limitBodies(bodyLimitOf))
    .use(csrfProtection)
    .use(limitSignIns(deps.signInLimiter, addressOf))
    .use('/auth/dev/sign-in', auditRefusedDevSignIns(deps.auth))
    .use(checkBody(bodyLimitOf))
    .route(
      SERVICE_API.mount,
      serviceRoutes({
        pingDatabase: deps.pingDatabase,
        document: apiDocument,
        referenceHtml: apiReference,
      }),
    )
    .route(AUTH_API.mount, authRoutes(deps.auth))
    // The public part of the catalogue as DCAT-AP 3 JSON-LD, for harvesters: no sign-in.
    .route(
      DCAT_API.mount,
      dcatRoutes({
        store: deps.catalog,
        listAgencies: () => deps.auth.users.listAgencies(),
        publicUrl: deps.auth.publicUrl,
      }),
    )
    // Official (Open) data for anyone, rate-limited per address: the DCAT feed's downloadURLs.
    .route(
      OPEN_DATA_API.mount,
      openDataRoutes({ service: deps.query, limiter: deps.openDataLimiter, addressOf }),
    )
    .use(requireSignIn)
    .use(limitChanges(deps.changeLimiter))
    .route(
      CATALOG_API.mount,
      catalogRoutes({
        store: deps.catalog,
        search: deps.search,
        audit: deps.audit,
        now: deps.auth.now,
        owner: deps.datasetOwner,
      }),
    )
    .route(PROFILE_API.mount, profileRoutes({ ...deps.profiles, store: deps.catalog }))
    .route(SEARCH_API.mount, searchRoutes({ search: deps.search }))
    .route(SUGGEST_API.mount, suggestRoutes({ suggest: deps.suggest }))
    .route(
      DEPRECATION_API.mount,
      deprecationRoutes({ store: deps.catalog, audit: deps.audit, now: deps.auth.now }),
    )
    .route(FOLLOW_API.mount, followRoutes(followDeps))
    .route(FOLLOWS_API.mount, followsRoutes(followDeps))
    .route(
      GLOSSARY_API.mount,
      glossaryRoutes({ store: deps.catalog, audit: deps.audit, now: deps.auth.now }),
    )
    .route(REQUESTS_API.mount, requestRoutes(accessDeps))
    .route(GRANTS_API.mount, grantRoutes(accessDeps))
    .route(ENTITLEMENTS_API.mount, entitlementRoutes(accessDeps))
    .route(NOTIFICATIONS_API.mount, notificationRoutes(notificationDeps))
    .route(WEBHOOKS_API.mount, webhookRoutes(notificationDeps))
    .route(QUERY_API.mount, queryRoutes(deps.query))
    .route(EXTRACT_API.mount, extractRoutes(deps.query))
    .route(SAMPLE_PREVIEW_API.mount, samplePreviewRoutes(deps.query.samplePreviews))
    .route(SAVED_QUERIES_API.mount, savedQueryRoutes(deps.savedQueries))
    .route(FEEDS_API.mount, feedRoutes(deps.feeds))
    .route(
      KPI_API.mount,
      kpiRoutes({
        ...deps.kpi,
        audit: deps.audit,
        now: deps.auth.now,
        entitlements: deps.entitlements,
      }),
    )
    // OpenLineage's HTTP transport and Marquez-shaped reads: /api/v1/lineage and friends.
    .route(
      LINEAGE_API.mount,
      lineageRoutes({
        ...deps.lineage,
        audit: deps.audit,
        now: deps.auth.now,
        findAgency: (code) => deps.auth.users.findAgency(code),
        transports: () => deps.lineage.emitter.status(),
        lookUpCatalogue: (slugs, ability) => deps.catalog.slugsAmong(slugs, ability),
      }),
    )
    .route(TOKENS_API.mount, tokenRoutes(deps.auth))
    .route(AUDIT_API.mount, auditRoutes({ audit: deps.audit, now: deps.auth.now }))
    .all('*', (c) =>
      c.json(errorBody('not_found', `No API route ${c.req.method} ${c.req.path}`), 404),
    )

  const app = new Hono<RouteEnv>()
    .use(requestId())
    .use(requestLogger(deps.log))
    .use(
      secureHeaders({
        contentSecurityPolicy: {
          defaultSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          styleSrc: ["'self'", "'unsafe-inline'"],
          frameAncestors: ["'none'"],
        },
      }),
    )
    .route('/api', api)
    .route('/', staticPortal(deps.portalDir))
  app.onError(
    errorResponse(deps.log, {
      onRefused: async (c, status, message) => {
        // Anonymous browsing that simply needs sign-in is not worth a record; everything else is.
        const caller = c.get('caller')
        const presentedCredentials = c.req.header('authorization') !== undefined
        if (!caller && !presentedCredentials) return
        await deps.audit.append(
          {
            actor: actorOf(caller),
            action: status === 401 ? 'auth.refused' : 'access.denied',
            outcome: 'denied',
            details: { method: c.req.method, path: c.req.path, reason: message },
            requestId: c.get('requestId'),
          },
          deps.auth.now(),
        )
      },
    }),
  )
  return app
}

/** The server's route types, for the portal's typed client (`hc<AppType>`). */
export type AppType = ReturnType<typeof createApp>
