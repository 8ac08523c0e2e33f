import { Hono } from 'hono'
import { type AppAbility, NotFoundError } from '../core/index.js'
import type { FeedContract } from './feed-contract.js'
import { FEED_CONTRACTS } from './feed-contracts.js'

/** The Trusted Centres' feed contracts, as versioned data anyone signed in may read. */
export const feedRoutes = () =>
  new Hono<{ Variables: { ability: AppAbility } }>()
    .get('/', (c) => c.json({ ok: true as const, data: FEED_CONTRACTS.map(contractJson) }))
    .get('/:id', (c) => {
      const contract = FEED_CONTRACTS.find((f) => f.id === c.req.param('id'))
      if (!contract) throw new NotFoundError(`Feed '${c.req.param('id')}' not found`)
      return c.json({ ok: true as const, data: contractJson(contract) })
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
