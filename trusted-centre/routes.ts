import { Hono } from 'hono'
import { z } from 'zod'
import { ForbiddenError, NotFoundError } from '../core/index.js'
import { asSubject, type RouteEnv } from '../identity/index.js'
import { validate } from '../routing/index.js'
import type { FeedContract } from './feed-contract.js'
import { FEED_CONTRACTS } from './feed-contracts.js'
import type { FailedDelivery } from './run-store.js'
import { operatorOf } from './trusted-centre-operators.js'

export interface FeedRouteDeps {
  /** A feed's failed ingests, with what their messages leave out. */
  failedDeliveries(feed: string, options: { limit: number }): Promise<FailedDelivery[]>
}

export const failedDeliveriesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
})

const findContract = (id: string) => {
  const contract = FEED_CONTRACTS.find((f) => f.id === id)
  if (!contract) throw new NotFoundError(`Feed '${id}' not found`)
  return contract
}

/**
 * The Trusted Centres' feed contracts, as versioned data anyone signed in may read; and what
 * failed deliveries held, for the stewards of the agency operating the feed's Trusted Centre.
 */
export const feedRoutes = (deps: FeedRouteDeps) =>
  new Hono<RouteEnv>()
    .get('/', (c) => c.json({ ok: true as const, data: FEED_CONTRACTS.map(contractJson) }))
    .get('/:id', (c) =>
      c.json({ ok: true as const, data: contractJson(findContract(c.req.param('id'))) }),
    )
    .get('/:id/failed-deliveries', validate('query', failedDeliveriesQuery), async (c) => {
      const contract = findContract(c.req.param('id'))
      const agency = operatorOf(contract.trustedCentre)
      if (!c.get('ability').can('read', asSubject('RefusedDelivery', { agency })))
        throw new ForbiddenError(
          `Only stewards of ${agency}, which operates ${contract.trustedCentre}, read what its failed deliveries held`,
        )
      const failed = await deps.failedDeliveries(contract.id, c.req.valid('query'))
      return c.json({
        ok: true as const,
        data: failed.map(({ run, withheld }) => ({
          runId: run.id,
          startedAt: run.startedAt,
          finishedAt: run.finishedAt ?? null,
          deliverySha256: run.deliverySha256 ?? null,
          message: run.message ?? null,
          firstLine: withheld?.firstLine ?? null,
          error: withheld?.error ?? null,
        })),
      })
    })

function contractJson(contract: FeedContract) {
  return {
    id: contract.id,
    version: contract.version,
    title: contract.title,
    ssot: contract.ssot,
    trustedCentre: contract.trustedCentre,
    delivery: contract.delivery,
    key: [...contract.key],
    columns: contract.columns.map((column) => ({
      name: column.name,
      type: column.type,
      required: column.required,
      normalize: column.normalize ?? null,
      rule: column.rule ? describeRule(column.rule) : null,
      description: column.description,
      personalData: column.personalData,
    })),
    rowRules: (contract.rowRules ?? []).map((rule) => ({ name: rule.name, reason: rule.reason })),
  }
}

function describeRule(rule: NonNullable<FeedContract['columns'][number]['rule']>): string {
  switch (rule.kind) {
    case 'uinfin':
      return 'NRIC/FIN with a valid check letter'
    case 'uen':
      return 'UEN of a known format and entity type with a valid check letter'
    case 'ssic':
      return 'five-digit SSIC code of a known division'
    case 'postal-code':
      return 'six-digit postal code in a valid sector'
    case 'one-of':
      return `one of ${rule.values.join(', ')}`
    case 'range':
      return `between ${rule.min} and ${rule.max}`
  }
}
