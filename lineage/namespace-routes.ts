import { type Context, Hono } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { AuditLog } from '../audit/index.js'
import { InvalidInputError, NotFoundError } from '../core/index.js'
import { type Action, actorOf, assertCan, type RouteEnv, serve } from '../identity/index.js'
import { defineRoute, ok } from '../routing/index.js'
import { MAX_LENGTH } from '../text/index.js'
import { lineageNamespaceJson } from './lineage-json.js'
import type { LineageNamespace } from './namespace-ownership.js'
import type { NamespaceStore } from './namespace-store.js'

/** What the registry's routes need; the ingest routes check events against the same registry. */
export interface NamespaceRouteDeps {
  /** Which agency owns each namespace other tools write into. */
  namespaces: NamespaceStore
  /** Every accepted event, and every namespace registered or removed, is appended here. */
  audit: Pick<AuditLog, 'append'>
  now: () => Date
  /** An agency by its code, so that namespaces are registered only to agencies that exist. */
  findAgency: (code: string) => Promise<{ code: string } | undefined>
}

export const namespaceBody = z.strictObject({
  namespace: z
    .string()
    .trim()
    .min(1, 'namespace: say which')
    .max(MAX_LENGTH.url)
    // Namespaces are URIs: printable ASCII (an internationalised host in its punycode form),
    // so no lookalike letter, filler or blank can pass for another agency's or the platform's.
    .regex(
      /^[\x21-\x7e]+$/,
      'namespace: printable ASCII only, no spaces (write an internationalised host name in its xn-- form)',
    )
    .describe(
      "The namespace exactly as the agency's tools send it, e.g. `airflow://dos` (a scheduler) or `s3://dos-statistics` (a data source)",
    ),
  agency: z
    .string()
    .trim()
    .toUpperCase()
    .min(1, 'agency: say which')
    .max(MAX_LENGTH.code)
    .describe("The owning agency's code, e.g. `DOS`"),
})

const namespaceJson = (n: LineageNamespace) => ({
  namespace: n.namespace,
  agency: n.agency,
  registeredBy: n.registeredBy,
  registeredAt: n.registeredAt.toISOString(),
})

// Checked before the body is read, so a caller without the right learns that first.
const may = (action: Action) =>
  createMiddleware<RouteEnv>(async (c, next) => {
    assertCan(c.get('ability'), action, 'LineageNamespace')
    await next()
  })

export const namespaceParam = z.strictObject({
  namespace: z
    .string()
    .max(MAX_LENGTH.url)
    .describe('The namespace, URL-encoded, in any spelling of it.'),
})

export const listNamespaces = defineRoute({
  method: 'get',
  path: '/lineage/namespaces',
  access: 'signed-in',
  summary: 'Which agency owns which lineage namespace',
  description:
    '`[{ namespace, agency, registeredBy, registeredAt }]`, by agency: the namespaces whose stewards (and administrators) of that agency may send OpenLineage events into.',
  before: [may('read')],
  responses: {
    200: { description: 'The registrations', json: ok(z.array(lineageNamespaceJson)) },
  },
})

export const registerNamespace = defineRoute({
  method: 'post',
  path: '/lineage/namespaces',
  access: 'admin',
  summary: 'Register a lineage namespace to an agency (answers 201)',
  description:
    "Answers 201 with the registration, or 200 when it already was, to that agency. Registrations are unique in any spelling (case, trailing slash, percent-encoding, invisible characters); the platform's own namespaces cannot be registered. To move a namespace, remove it and register it again. Audited as `lineage.namespace.register`.",
  before: [may('create')],
  request: { body: namespaceBody },
  responses: {
    200: { description: 'Already registered to that agency', json: ok(lineageNamespaceJson) },
    201: { description: 'Registered', json: ok(lineageNamespaceJson) },
    400: 'Invalid input, or no such agency; the message names the field',
    409: "Another agency holds it (in some spelling), or it is the platform's",
  },
})

export const removeNamespace = defineRoute({
  method: 'delete',
  path: '/lineage/namespaces/:namespace',
  access: 'admin',
  summary: 'Remove a lineage namespace from its agency',
  description:
    'Answers the removed registration; events already received stay. Audited as `lineage.namespace.unregister`.',
  before: [may('revoke')],
  request: { params: namespaceParam },
  responses: {
    200: { description: 'The removed registration', json: ok(lineageNamespaceJson) },
    404: 'No such namespace is registered',
  },
})

/** The audit entry of a change to the registry, appended in the transaction that makes it. */
const auditChange =
  (deps: NamespaceRouteDeps, c: Context<RouteEnv>, action: string) =>
  (trx: Kysely<unknown>, registration: LineageNamespace) =>
    deps.audit.append(
      {
        actor: actorOf(c.get('caller')),
        action,
        outcome: 'succeeded',
        subject: { type: 'LineageNamespace', id: registration.namespace },
        details: { namespace: registration.namespace, agency: registration.agency },
        requestId: c.get('requestId'),
      },
      deps.now(),
      trx,
    )

/**
 * The registry of lineage namespaces, under /api/v1/lineage/namespaces: anyone signed in lists
 * who owns what; administrators register a namespace to an agency and remove it (to move one,
 * remove it and register it again). Each change is audited in the transaction that makes it.
 */
export const namespaceRoutes = (deps: NamespaceRouteDeps) =>
  new Hono<RouteEnv>()
    .route(
      '/',
      serve(listNamespaces, async (c) =>
        c.json({ ok: true as const, data: (await deps.namespaces.list()).map(namespaceJson) }, 200),
      ),
    )
    .route(
      '/',
      serve(registerNamespace, async (c) => {
        const input = c.req.valid('json')
        if (!(await deps.findAgency(input.agency)))
          throw new InvalidInputError(`agency: there is no agency '${input.agency}'`)
        const { registration, created } = await deps.namespaces.register(
          input,
          actorOf(c.get('caller')).name,
          deps.now(),
          auditChange(deps, c, 'lineage.namespace.register'),
        )
        const data = namespaceJson(registration)
        return created
          ? c.json({ ok: true as const, data }, 201)
          : c.json({ ok: true as const, data }, 200)
      }),
    )
    .route(
      '/',
      serve(removeNamespace, async (c) => {
        const { namespace } = c.req.valid('param')
        const removed = await deps.namespaces.unregister(
          namespace,
          auditChange(deps, c, 'lineage.namespace.unregister'),
        )
        if (!removed) throw new NotFoundError(`No lineage namespace '${namespace}' is registered`)
        return c.json({ ok: true as const, data: namespaceJson(removed) }, 200)
      }),
    )
