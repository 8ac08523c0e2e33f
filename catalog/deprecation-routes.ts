import { type Context, Hono } from 'hono'
import type { AuditLog } from '../audit/index.js'
import type { RouteEnv } from '../identity/index.js'
import { serve, signedInUser } from '../identity/index.js'
import type { Deprecation } from './dataset.js'
import { toDeprecationJson } from './dataset-json.js'
import { findDiscoverableDataset } from './dataset-key.js'
import type { DatasetStore } from './dataset-store.js'
import { deprecateDataset, undeprecateDataset } from './deprecation-api.js'

export interface DeprecationRouteDeps {
  store: Pick<DatasetStore, 'findDataset' | 'setDeprecation'>
  audit: Pick<AuditLog, 'append'>
  now: () => Date
}

/** Stewards deprecating their agency's datasets (and withdrawing it), served from declarations. */
export const deprecationRoutes = (deps: DeprecationRouteDeps) => {
  /** Sets or lifts the deprecation; a change is audited, a repeat of the same is not. */
  const change = async (
    c: Context<RouteEnv>,
    key: string,
    input: { reason: string; successor?: string | null | undefined } | null,
  ) => {
    const ability = c.get('ability')
    const user = signedInUser(c, 'Sign in to deprecate a dataset')
    const dataset = await findDiscoverableDataset(deps.store, key, ability)
    const actor = { id: user.id, name: user.username }
    const before = dataset.deprecation ?? null
    const after = await deps.store.setDeprecation(
      dataset,
      input && { reason: input.reason, successor: input.successor ?? null },
      actor,
      ability,
      deps.now(),
    )
    if (JSON.stringify(summary(before)) !== JSON.stringify(summary(after)))
      await deps.audit.append(
        {
          actor,
          action: after ? 'dataset.deprecate' : 'dataset.undeprecate',
          outcome: 'succeeded',
          subject: { type: 'Dataset', id: dataset.id },
          details: { fields: ['deprecation'], before: summary(before), after: summary(after) },
          requestId: c.get('requestId'),
        },
        deps.now(),
      )
    return { deprecation: after ? toDeprecationJson(after) : null }
  }
  return new Hono<RouteEnv>()
    .route(
      '/',
      serve(deprecateDataset, async (c) =>
        c.json(
          {
            ok: true as const,
            data: await change(c, c.req.valid('param').id, c.req.valid('json')),
          },
          200,
        ),
      ),
    )
    .route(
      '/',
      serve(undeprecateDataset, async (c) =>
        c.json({ ok: true as const, data: await change(c, c.req.valid('param').id, null) }, 200),
      ),
    )
}

function summary(deprecation: Deprecation | null) {
  return deprecation
    ? { reason: deprecation.reason, successor: deprecation.successor?.slug ?? null }
    : null
}
