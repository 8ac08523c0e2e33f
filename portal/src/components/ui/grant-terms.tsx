import { Stack, Text } from '@mantine/core'
import { formatDay } from '../../lib/format.js'
import { describeRowFilter, type RowCondition } from './describe-row-filter.js'

/** What a grant shares and until when, as the API sends it (grants and entitlements alike). */
export interface GrantTermsProps {
  /** null: every column. */
  columns: readonly string[] | null
  /** How many columns the dataset has, for "all 12"; unknown: "all". */
  columnCount?: number
  /** Every condition must hold. */
  rowFilter: readonly RowCondition[]
  /** Direct identifiers shown in clear; every other one is masked. */
  inClear: readonly string[]
  /** false: the data names nobody, so there is nothing to mask. Unknown: said anyway. */
  hasIdentifiers?: boolean
  /** ISO 8601 time; null: no end (open data). */
  expiresAt: string | null
  status?: 'active' | 'expired' | 'revoked'
  revoked?: { at: string; by: string; reason: string } | null
  size?: 'xs' | 'sm' | 'md'
}

/** The end of a grant in words: "Until 31 Mar 2027", "Ended …", "Revoked … by …: reason". */
export function grantEndText({
  expiresAt,
  status,
  revoked,
}: Pick<GrantTermsProps, 'expiresAt' | 'status' | 'revoked'>): string | undefined {
  if (revoked) return `Revoked ${formatDay(revoked.at)} by ${revoked.by}: ${revoked.reason}`
  if (!expiresAt) return undefined
  const ended = status ? status === 'expired' : Date.parse(expiresAt) <= Date.now()
  return `${ended ? 'Ended' : 'Until'} ${formatDay(expiresAt)}`
}

/**
 * A grant's terms in words, one line each: its columns, its rows, what is masked, its end.
 * @example <GrantTerms columns={null} columnCount={12} rowFilter={[]} inClear={[]} expiresAt={iso} />
 */
export function GrantTerms(props: GrantTermsProps) {
  const { columns, columnCount, rowFilter, inClear, hasIdentifiers = true, size = 'sm' } = props
  const rows = describeRowFilter(rowFilter)
  const lines = [
    columns
      ? `Columns: ${columns.join(', ')}`
      : `Columns: all${columnCount === undefined ? '' : ` ${columnCount}`}`,
    rows ? `Rows where ${rows}` : 'Rows: all',
    inClear.length > 0
      ? `In clear: ${inClear.join(', ')}; other identifiers masked`
      : hasIdentifiers
        ? 'Identifiers masked'
        : undefined,
    grantEndText(props),
  ].filter((line): line is string => line !== undefined)
  return (
    <Stack component="ul" gap={2} m={0} p={0} style={{ listStyle: 'none' }}>
      {lines.map((line) => (
        <Text component="li" key={line} size={size} style={{ overflowWrap: 'anywhere' }}>
          {line}
        </Text>
      ))}
    </Stack>
  )
}
