import { z } from 'zod'
import type { PersonalDataKind } from '../catalog/index.js'
import type { ColumnType, FeedContract, ValueRule } from './contracts/feed-contract.js'
import type { FailedDelivery } from './runs/run-store.js'

/** The shapes the feed API answers with, as JSON (times are ISO 8601 strings), and how they are made. */

const time = z.iso.datetime().describe('ISO 8601 time')

const COLUMN_TYPES = [
  'VARCHAR',
  'DATE',
  'TIMESTAMPTZ',
  'DOUBLE',
  'INTEGER',
  'BOOLEAN',
] as const satisfies readonly ColumnType[]

// catalog's PERSONAL_DATA_KINDS, which its face does not export; the type keeps the two in step.
const PERSONAL_DATA_KINDS = [
  'direct-identifier',
  'quasi-identifier',
  'sensitive',
  'none',
] as const satisfies readonly PersonalDataKind[]

const feedColumnJson = z.strictObject({
  name: z.string(),
  type: z.enum(COLUMN_TYPES).describe('The DuckDB type the column is cast to'),
  required: z.boolean(),
  normalize: z
    .enum(['trim', 'trim-upper', 'pad-digits'])
    .nullable()
    .describe('Applied before typing; null: the value is read as delivered'),
  rule: z
    .string()
    .nullable()
    .describe('The value rule in words, e.g. `NRIC/FIN with a valid check letter`; null: none'),
  description: z.string(),
  personalData: z.enum(PERSONAL_DATA_KINDS),
})

/** A feed contract: what a Single Source of Truth promises to deliver. */
export const feedContractJson = z.strictObject({
  id: z.string().describe('e.g. `dos_persons`'),
  version: z.number().int(),
  title: z.string(),
  ssot: z.string().describe('The agency that owns the data (the Single Source of Truth)'),
  trustedCentre: z.string().describe('e.g. `TC-DoS`'),
  delivery: z
    .enum(['snapshot', 'delta'])
    .describe('Each delivery replaces the previous one (snapshot) or changes it (delta)'),
  key: z.array(z.string()).describe('The columns that identify a row'),
  columns: z.array(feedColumnJson).describe('In the order a delivery must have them'),
  rowRules: z
    .array(z.strictObject({ name: z.string(), reason: z.string() }))
    .describe('Checks across the columns of a row; failing rows are quarantined with the reason'),
})

/** A failed ingest of a feed, with what its message withholds. */
export const failedDeliveryJson = z.strictObject({
  runId: z.string(),
  startedAt: time,
  finishedAt: time.nullable(),
  deliverySha256: z.string().nullable(),
  message: z.string().nullable().describe("Why it failed, in the contract's terms"),
  firstLine: z
    .string()
    .nullable()
    .describe('The first line of a file refused for its header, as delivered'),
  error: z.string().nullable().describe("The engine's own words when reading the file failed"),
})

export function toFeedContractJson(contract: FeedContract): z.output<typeof feedContractJson> {
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

export function toFailedDeliveryJson({
  run,
  withheld,
}: FailedDelivery): z.output<typeof failedDeliveryJson> {
  return {
    runId: run.id,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    deliverySha256: run.deliverySha256 ?? null,
    message: run.message ?? null,
    firstLine: withheld?.firstLine ?? null,
    error: withheld?.error ?? null,
  }
}

function describeRule(rule: ValueRule): string {
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
