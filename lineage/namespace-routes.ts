import { type Context, Hono } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { AuditLog } from '../audit/index.js'
import { InvalidInputError, NotFoundError } from '../core/index.js'
import { type Action, actorOf, assertCan, type RouteEnv } from '../identity/index.js'
import { validate } from '../routing/index.js'
import { MAX_LENGTH } from '../text/index.js'
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

/**
 * The registry of lineage namespaces, mounted under /api/v1/lineage/namespaces: anyone signed in
 * lists who owns what; administrators register a namespace to an agency and remove it (to move
 * one, remove it and register it again). Each change is audited in the transaction that makes it.
 */
export function namespaceRoutes(deps: NamespaceRouteDeps) {
  // Checked before the body is read, so a caller without the right learns that first.
  const may = (action: Action) =>
    createMiddleware<RouteEnv>(async (c, next) => {
      assertCan(c.get('ability'), action, 'LineageNamespace')
      await next()
    })
  const audit =
    (c: Context<RouteEnv>, action: string) =>
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
  return new Hono<RouteEnv>()
    .get('/', may('read'), async (c) =>
      c.json({ ok: true as const, data: (await deps.namespaces.list()).map(namespaceJson) }),
    )
    .post('/', may('create'), validate('json', namespaceBody), async (c) => {
      const input = c.req.valid('json')
      if (!(await deps.findAgency(input.agency)))
        throw new InvalidInputError(`agency: there is no agency '${input.agency}'`)
      const { registration, created } = await deps.namespaces.register(
        input,
        actorOf(c.get('caller')).name,
        deps.now(),
        audit(c, 'lineage.namespace.register'),
      )
      return c.json({ ok: true as const, data: namespaceJson(registration) }, created ? 201 : 200)
    })
    .delete('/:namespace', may('revoke'), async (c) => {
      const namespace = c.req.param('namespace')
      const removed = await deps.namespaces.unregister(
        namespace,
        audit(c, 'lineage.namespace.unregister'),
      )
      if (!removed) throw new NotFoundError(`No lineage namespace '${namespace}' is registered`)
      return c.json({ ok: true as const, data: namespaceJson(removed) })
    })
}
