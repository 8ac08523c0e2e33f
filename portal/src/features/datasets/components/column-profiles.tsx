import { List, Stack, Table, Text, Title } from '@mantine/core'
import { useId } from 'react'
import { ErrorState, Loading } from '../../../components/ui/page-state.js'
import { PersonalDataBadge } from '../../../components/ui/personal-data-badge.js'
import { formatCount, formatQuantity } from '../../../lib/format.js'
import { type ColumnProfile, useColumnProfiles } from '../api/use-column-profiles.js'
import { ProfileHistogram } from './profile-histogram.js'

/** "12.5%", "0%", "under 0.1%": a share of rows that reads without a long tail. */
export function formatShare(part: number, whole: number): string {
  if (whole === 0 || part === 0) return '0%'
  const share = (part / whole) * 100
  if (share < 0.1) return 'under 0.1%'
  return `${Number(share.toFixed(1))}%`
}

const sentence = (rule: string) => rule.charAt(0).toUpperCase() + rule.slice(1)

function rangeOf(column: ColumnProfile): string {
  if (column.min === null && column.max === null) return 'Not shown'
  if (column.min === column.max) return column.min ?? 'Not shown'
  return `${column.min ?? 'not shown'} to ${column.max ?? 'not shown'}`
}

function TopValues({ column, k }: { column: ColumnProfile; k: number }) {
  if (column.topValues.length === 0)
    return (
      <Text size="sm" c="dimmed">
        None shown
      </Text>
    )
  return (
    <Stack gap={2}>
      <List size="sm" listStyleType="none" spacing={0}>
        {column.topValues.map((t) => (
          <List.Item key={t.value}>
            {t.value}: {formatQuantity(t.rows, 'row')}
          </List.Item>
        ))}
      </List>
      {column.rareRows > 0 && (
        <Text size="xs" c="dimmed">
          {formatQuantity(column.rareRows, 'row')} not shown: values fewer than {k} rows carry, and
          as many more as keep them from being worked out
        </Text>
      )}
    </Stack>
  )
}

function ProfileRow({ column, k }: { column: ColumnProfile; k: number }) {
  return (
    <Table.Tr>
      <Table.Th scope="row">
        <Stack gap={2} align="flex-start">
          <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
            {column.name}
          </Text>
          <Text size="xs" c="dimmed">
            {column.type}
          </Text>
          <PersonalDataBadge kind={column.personalData} />
        </Stack>
      </Table.Th>
      <Table.Td>{formatShare(column.nulls, column.rows)}</Table.Td>
      <Table.Td>{formatCount(column.distinct)}</Table.Td>
      <Table.Td>{rangeOf(column)}</Table.Td>
      <Table.Td>
        <TopValues column={column} k={k} />
      </Table.Td>
      <Table.Td>
        {column.histogram ? (
          <ProfileHistogram bins={column.histogram} k={k} />
        ) : (
          <Text size="sm" c="dimmed">
            None
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <List size="xs" spacing={0}>
          {column.rules.map((rule) => (
            <List.Item key={rule}>{sentence(rule)}</List.Item>
          ))}
        </List>
      </Table.Td>
    </Table.Tr>
  )
}

/**
 * Column statistics of one published version (missing values, distinct values, range, most
 * frequent values, a histogram), under the sample's disclosure rules, each column saying which
 * rules held back what.
 */
export function ColumnProfiles({ slug, version }: { slug: string; version: number }) {
  const headingId = useId()
  const profiles = useColumnProfiles(slug, version)
  if (profiles.isPending)
    return <Loading label={`Loading column statistics of version ${version}…`} />
  if (profiles.isError)
    return <ErrorState title="Column statistics could not be shown" error={profiles.error} />
  const { columns, k } = profiles.data
  const rows = columns[0]?.rows ?? 0
  return (
    <Stack component="section" aria-labelledby={headingId} gap="xs">
      <Title order={3} size="h4" id={headingId}>
        Column statistics of version {version}
      </Title>
      <Text size="sm" c="dimmed">
        Counted over all {formatQuantity(rows, 'row')} of the version. No value fewer than {k} rows
        carry is shown; direct identifiers show no values, and quasi-identifiers are shown as
        coarsely as the version's sample shows them.
      </Text>
      <Table.ScrollContainer minWidth={900}>
        <Table striped verticalSpacing="xs" captionSide="top">
          <Table.Caption>Statistics of each column of version {version}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Column</Table.Th>
              <Table.Th scope="col">Missing</Table.Th>
              <Table.Th scope="col">Distinct values</Table.Th>
              <Table.Th scope="col">Range</Table.Th>
              <Table.Th scope="col">Most frequent values</Table.Th>
              <Table.Th scope="col">Histogram</Table.Th>
              <Table.Th scope="col">How it is shown</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {columns.map((column) => (
              <ProfileRow key={column.name} column={column} k={k} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  )
}
