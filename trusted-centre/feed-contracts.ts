import { InvalidInputError } from '../core/index.js'
import type { FeedColumn, FeedContract } from './feed-contract.js'

const provenance: FeedColumn[] = [
  {
    name: 'synthetic',
    type: 'BOOLEAN',
    required: true,
    description: 'Always true: fixture data',
    personalData: 'none',
  },
  {
    name: 'feed_version',
    type: 'VARCHAR',
    required: true,
    normalize: 'trim',
    description: 'Label of the delivery',
    personalData: 'none',
  },
]

/** ICA's register of persons, delivered to the DoS Trusted Centre as full snapshots. */
export const DOS_PERSONS: FeedContract = {
  id: 'dos_persons',
  version: 1,
  ssot: 'ica',
  trustedCentre: 'TC-DoS',
  title: 'Registered persons (NRIC and FIN holders)',
  delivery: 'snapshot',
  key: ['uinfin'],
  columns: [
    {
      name: 'uinfin',
      type: 'VARCHAR',
      required: true,
      normalize: 'trim-upper',
      rule: { kind: 'uinfin' },
      description: 'NRIC or FIN',
      personalData: 'direct-identifier',
    },
    {
      name: 'name',
      type: 'VARCHAR',
      required: true,
      normalize: 'trim',
      description: 'Full name as registered',
      personalData: 'direct-identifier',
    },
    {
      name: 'sex',
      type: 'VARCHAR',
      required: true,
      normalize: 'trim-upper',
      rule: { kind: 'one-of', values: ['M', 'F'] },
      description: 'Sex',
      personalData: 'quasi-identifier',
    },
    {
      name: 'dob',
      type: 'DATE',
      required: true,
      description: 'Date of birth',
      personalData: 'quasi-identifier',
    },
    {
      name: 'race_code',
      type: 'VARCHAR',
      required: true,
      normalize: 'trim-upper',
      rule: { kind: 'one-of', values: ['CN', 'MY', 'IN', 'OT'] },
      description: 'Race',
      personalData: 'sensitive',
    },
    {
      name: 'residential_status',
      type: 'VARCHAR',
      required: true,
      normalize: 'trim-upper',
      rule: { kind: 'one-of', values: ['C', 'P', 'N'] },
      description: 'C citizen, P permanent resident, N non-resident',
      personalData: 'quasi-identifier',
    },
    {
      name: 'nationality_code',
      type: 'VARCHAR',
      required: true,
      normalize: 'trim-upper',
      description: 'ISO country code of nationality',
      personalData: 'quasi-identifier',
    },
    {
      name: 'reg_block',
      type: 'VARCHAR',
      required: false,
      normalize: 'trim-upper',
      description: 'Block of the registered address',
      personalData: 'quasi-identifier',
    },
    {
      name: 'reg_street',
      type: 'VARCHAR',
      required: false,
      normalize: 'trim',
      description: 'Street of the registered address',
      personalData: 'quasi-identifier',
    },
    {
      name: 'reg_floor',
      type: 'VARCHAR',
      required: false,
      normalize: 'trim',
      description: 'Floor',
      personalData: 'quasi-identifier',
    },
    {
      name: 'reg_unit',
      type: 'VARCHAR',
      required: false,
      normalize: 'trim',
      description: 'Unit',
      personalData: 'quasi-identifier',
    },
    {
      name: 'reg_postal',
      type: 'VARCHAR',
      required: true,
      normalize: 'trim',
      rule: { kind: 'postal-code' },
      description: 'Postal code of the registered address',
      personalData: 'quasi-identifier',
    },
    {
      name: 'reg_effective_from',
      type: 'DATE',
      required: false,
      description: 'Registered at this address since',
      personalData: 'none',
    },
    {
      name: 'record_updated_at',
      type: 'TIMESTAMPTZ',
      required: true,
      description: 'When the register last changed this record',
      personalData: 'none',
    },
    {
      name: 'source_system',
      type: 'VARCHAR',
      required: true,
      normalize: 'trim',
      description: 'Register the record came from',
      personalData: 'none',
    },
    ...provenance,
  ],
}

/** SLA's geocoded postal points, delivered to the SLA Trusted Centre as full snapshots. */
export const SLA_ADDRESSES: FeedContract = {
  id: 'sla_addresses',
  version: 1,
  ssot: 'sla',
  trustedCentre: 'TC-SLA',
  title: 'Geocoded postal points',
  delivery: 'snapshot',
  key: ['postal'],
  columns: [
    {
      name: 'postal',
      type: 'VARCHAR',
      required: true,
      normalize: 'trim',
      rule: { kind: 'postal-code' },
      description: 'Postal code',
      personalData: 'none',
    },
    {
      name: 'blk_no',
      type: 'VARCHAR',
      required: false,
      normalize: 'trim-upper',
      description: 'Block number',
      personalData: 'none',
    },
    {
      name: 'road_name',
      type: 'VARCHAR',
      required: false,
      normalize: 'trim',
      description: 'Road name',
      personalData: 'none',
    },
    {
      name: 'building',
      type: 'VARCHAR',
      required: false,
      normalize: 'trim',
      description: 'Building name, or NIL',
      personalData: 'none',
    },
    {
      name: 'address',
      type: 'VARCHAR',
      required: false,
      normalize: 'trim',
      description: 'Full address line',
      personalData: 'none',
    },
    {
      name: 'x_svy21',
      type: 'DOUBLE',
      required: false,
      description: 'SVY21 easting (m)',
      personalData: 'none',
    },
    {
      name: 'y_svy21',
      type: 'DOUBLE',
      required: false,
      description: 'SVY21 northing (m)',
      personalData: 'none',
    },
    {
      name: 'latitude',
      type: 'DOUBLE',
      required: false,
      rule: { kind: 'range', min: 1.15, max: 1.48 },
      description: 'WGS84 latitude',
      personalData: 'none',
    },
    {
      name: 'longitude',
      type: 'DOUBLE',
      required: false,
      rule: { kind: 'range', min: 103.59, max: 104.12 },
      description: 'WGS84 longitude',
      personalData: 'none',
    },
    {
      name: 'postal_sector',
      type: 'VARCHAR',
      required: true,
      normalize: 'trim',
      description: 'First two digits of the postal code',
      personalData: 'none',
    },
    {
      name: 'postal_district',
      type: 'VARCHAR',
      required: true,
      normalize: 'trim',
      description: 'Old postal district (01–28)',
      personalData: 'none',
    },
    {
      name: 'planning_area_code',
      type: 'VARCHAR',
      required: true,
      normalize: 'trim-upper',
      description: 'URA MP2019 planning area',
      personalData: 'none',
    },
    {
      name: 'region_code',
      type: 'VARCHAR',
      required: true,
      normalize: 'trim-upper',
      rule: { kind: 'one-of', values: ['CR', 'ER', 'NR', 'NER', 'WR'] },
      description: 'URA region',
      personalData: 'none',
    },
    ...provenance,
  ],
}

/** Every feed contract the Trusted Centres accept. */
export const FEED_CONTRACTS: readonly FeedContract[] = [DOS_PERSONS, SLA_ADDRESSES]

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
