import { type Context, Hono } from 'hono'
import { requestId } from 'hono/request-id'
import { secureHeaders } from 'hono/secure-headers'
import {
  type AccessStore,
  catalogRoutes,
  type DatasetStore,
  dcatCatalog,
  type Entitlement,
  entitlementRoutes,
  glossaryRoutes,
  grantRoutes,
  isPublic,
  type NotificationRouteDeps,
  notificationRoutes,
  requestRoutes,
  type SearchRequest,
  type SearchResult,
  searchRoutes,
  webhookRoutes,
} from '../catalog/index.js'
import {
  type AppAbility,
  type Logger,
  publicAbility,
  type RateLimiter,
  systemAbility,
  type User,
} from '../core/index.js'
import { type KpiRouteDeps, kpiRoutes } from '../kpi/index.js'
import {
  type CatalogueView,
  type LineageRouteDeps,
  lineageRoutes,
  PORTAL_NAMESPACE,
  type TransportStatus,
} from '../lineage/index.js'
import { extractRoutes, type QueryService, queryRoutes } from '../query-service/index.js'
import { type FeedRouteDeps, feedRoutes } from '../trusted-centre/index.js'
import { apiReferenceHtml } from './api-reference.js'
import type { AppEnv } from './app-env.js'
import { auditRoutes } from './audit-routes.js'
import { type AuthDeps, actorOf } from './auth-deps.js'
import { auditRefusedDevSignIns, authRoutes } from './auth-routes.js'
import { authenticate, csrfProtection, requireSignIn } from './authenticate.js'
import { bodyLimitsOf, limitBodies } from './body-limits.js'
import { boundPath } from './bound-path.js'
import { decideBreakdownAccess } from './breakdown-access.js'
import { clientAddress } from './client-address.js'
import { errorBody, errorResponse } from './error-response.js'
import { checkBody, checkUrl } from './input-check.js'
import { limitChanges } from './limit-changes.js'
import { limitFailedTokens, limitSignIns } from './limit-sign-ins.js'
import { openApiDocument } from './openapi.js'
import { requestLogger } from './request-logger.js'
import { staticPortal } from './static-portal.js'
import { tokenRoutes } from './token-routes.js'

export interface AppDeps {
  log: Logger
  catalog: DatasetStore
  /** Catalogue search over the datasets the caller may discover. */
  search: (ability: AppAbility, request: SearchRequest) => Promise<SearchResult>
  access: AccessStore
  /** The metadata database, for the inbox and webhook routes. */
  db: NotificationRouteDeps['db']
  allowPrivateWebhooks: boolean
  query: QueryService
  lineage: Pick<LineageRouteDeps, 'store' | 'graph' | 'validator' | 'namespaces'> & {
    emitter: { status(): Promise<TransportStatus[]> }
  }
  /** The Blueprint KPIs: computed values and the engine that recomputes them. */
  kpi: Pick<KpiRouteDeps, 'engine' | 'reads'>
  /** What a person may read right now: the query service's view of grants. */
  entitlements: (user: User, ability: AppAbility, now: Date) => Promise<Entitlement[]>
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
    audit: deps.auth.audit,
    now: deps.auth.now,
    allowPrivateWebhooks: deps.allowPrivateWebhooks,
  }
  // Order matters: routes registered before requireSignIn answer anonymous callers (health and
  // sign-in); everything after it needs a caller. The authorization matrix test pins this down.
  const bodyLimitOf = bodyLimitsOf(deps.bodyLimitBytes ?? 1_000_000)
  const addressOf = (c: Context<AppEnv>) => clientAddress(c, deps.trustedProxies ?? 0)
  const api = new Hono<AppEnv>()
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
    .get('/health', async (c) => {
      await deps.pingDatabase()
      return c.json({ ok: true as const, data: { status: 'ok' as const } })
    })
    .route('/auth', authRoutes(deps.auth))
    .get('/openapi.json', (c) => c.json(apiDocument))
    .get('/docs', (c) => c.html(apiReference))
    // The public part of the catalogue as DCAT-AP 3 JSON-LD, for harvesters: no sign-in.
    .get('/dcat/catalog.jsonld', async (c) => {
      const [datasets, agencies] = await Promise.all([
        deps.catalog.listDatasets(publicAbility()),
        deps.auth.users.listAgencies(),
      ])
      const document = dcatCatalog({
        baseUrl: deps.auth.publicUrl,
        title: 'Government Data Portal',
        description: 'Verified datasets published by the Trusted Centres of government agencies.',
        publisher: { code: 'GOVTECH', name: 'Government Technology Agency' },
        datasets: datasets.filter(isPublic),
        agencies: new Map(agencies.map((a) => [a.code, { name: a.name }])),
      })
      return c.body(JSON.stringify(document), 200, {
        'content-type': 'application/ld+json; charset=utf-8',
      })
    })
    .use(requireSignIn)
    .use(limitChanges(deps.changeLimiter))
    .route(
      '/datasets',
      catalogRoutes({
        store: deps.catalog,
        search: deps.search,
        audit: deps.auth.audit,
        now: deps.auth.now,
      }),
    )
    .route('/search', searchRoutes({ search: deps.search }))
    .route(
      '/glossary',
      glossaryRoutes({ store: deps.catalog, audit: deps.auth.audit, now: deps.auth.now }),
    )
    .route('/requests', requestRoutes(accessDeps))
    .route('/grants', grantRoutes(accessDeps))
    .route('/entitlements', entitlementRoutes(accessDeps))
    .route('/notifications', notificationRoutes(notificationDeps))
    .route('/webhooks', webhookRoutes(notificationDeps))
    .route('/query', queryRoutes(deps.query))
    .route('/datasets', extractRoutes(deps.query))
    .route('/feeds', feedRoutes(deps.feeds))
    .route(
      '/kpis',
      kpiRoutes({
        ...deps.kpi,
        audit: deps.auth.audit,
        now: deps.auth.now,
        breakdownAccess: async (c, definition) => {
          const ability = c.get('ability')
          const caller = c.get('caller')
          // The sharing records are read in aggregate by those who may see sharing statistics;
          // the catalogue's core fields are metadata any officer may discover.
          if (definition.records === 'sharingRecords')
            return ability.can('read', 'SharingStatistics')
              ? { visible: true }
              : {
                  visible: false,
                  reason:
                    'Breakdowns of data sharing by Ministry family are for leaders, administrators and auditors',
                }
          if (definition.records === 'coreFields') return { visible: true }
          const entitled = caller
            ? await deps.entitlements(caller.user, ability, deps.auth.now())
            : []
          return decideBreakdownAccess(entitled, definition.datasets)
        },
      }),
    )
    // OpenLineage's HTTP transport and Marquez-shaped reads: /api/v1/lineage and friends.
    .route(
      '/v1',
      lineageRoutes({
        ...deps.lineage,
        audit: deps.auth.audit,
        now: deps.auth.now,
        findAgency: (code) => deps.auth.users.findAgency(code),
        transports: () => deps.lineage.emitter.status(),
        catalogue: (c) => catalogueView(deps.catalog, c.get('ability')),
        catalogueNamespace: PORTAL_NAMESPACE,
      }),
    )
    .route('/tokens', tokenRoutes(deps.auth))
    .route('/audit', auditRoutes(deps.auth))
    .all('*', (c) =>
      c.json(errorBody('not_found', `No API route ${c.req.method} ${c.req.path}`), 404),
    )

  const app = new Hono<AppEnv>()
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
        await deps.auth.audit.append(
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

/**
 * What a caller may see of the catalogue in lineage: every dataset outside it, and the
 * catalogue's own only where they may discover them (the same read rules as everywhere); and
 * which catalogue entries they may open, for links.
 */
async function catalogueView(catalog: DatasetStore, ability: AppAbility): Promise<CatalogueView> {
  const [all, readable] = await Promise.all([
    catalog.listDatasets(systemAbility()),
    catalog.listDatasets(ability),
  ])
  const opens = new Set(readable.map((d) => d.slug))
  const hidden = new Set(all.map((d) => d.slug).filter((slug) => !opens.has(slug)))
  return {
    visible: (dataset) => !(dataset.namespace === PORTAL_NAMESPACE && hidden.has(dataset.name)),
    opens: (slug) => opens.has(slug),
    hidden: [...hidden],
  }
}
