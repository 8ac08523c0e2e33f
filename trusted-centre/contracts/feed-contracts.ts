import { InvalidInputError } from '../../core/index.js'
import type { FeedContract } from './feed-contract.js'
import { KPI_REGISTER_FEEDS } from './kpi-register-feeds.js'
import {
  DOS_BUSINESSES,
  DOS_PERSONS,
  GOVTECH_SENSOR_READINGS,
  GOVTECH_SENSOR_STATIONS,
  MOH_CHRONIC_REGISTRY,
  SLA_ADDRESSES,
} from './ssot-feeds.js'

/** Every feed contract the Trusted Centres accept. */
export const FEED_CONTRACTS: readonly FeedContract[] = [
  DOS_PERSONS,
  SLA_ADDRESSES,
  DOS_BUSINESSES,
  GOVTECH_SENSOR_STATIONS,
  GOVTECH_SENSOR_READINGS,
  MOH_CHRONIC_REGISTRY,
  ...KPI_REGISTER_FEEDS,
]

/** The contract of a feed id, or an {@link InvalidInputError} listing the known feeds. */
export function findFeedContract(id: string): FeedContract {
  const contract = FEED_CONTRACTS.find((c) => c.id === id)
  if (!contract) {
    throw new InvalidInputError(
      `Unknown feed '${id}': expected one of ${FEED_CONTRACTS.map((c) => c.id).join(', ')}`,
    )
  }
  return contract
}
