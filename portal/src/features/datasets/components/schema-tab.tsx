import { Anchor, Code, Group, NativeSelect, Stack, Text, Title, Tooltip } from '@mantine/core'
import { Link, useSearchParams } from 'react-router'
import { type DataColumn, DataTable } from '../../../components/ui/data-table.js'
import { PersonalDataBadge } from '../../../components/ui/personal-data-badge.js'
import { formatDay } from '../../../lib/format.js'
import type { DatasetDetail } from '../api/use-datasets.js'
import { ColumnProfiles } from './column-profiles.js'
import { LabelSuggestions } from './label-suggestions.js'

/**
 * The current columns (type, what they say about people, description, glossary terms), and the
 * column profiles of a version the reader picks (`?version=`; the current one by default).
 */
export function SchemaTab({ dataset: d, editable }: { dataset: DatasetDetail; editable: boolean }) {
  const schema: SchemaRow[] = d.columns.map((column) => ({
    ...column,
    terms: d.glossary[column.name] ?? [],
  }))
  return (
    <Stack gap="lg">
      <Stack gap="xs">
        <Title order={2}>Columns</Title>
        <DataTable
          caption={`${d.columns.length} columns of the current version`}
          columns={SCHEMA_COLUMNS}
          rows={schema}
          rowKey={(column) => column.name}
        />
      </Stack>
      {editable && <LabelSuggestions dataset={d} />}
      <VersionProfiles dataset={d} />
    </Stack>
  )
}

function VersionProfiles({ dataset: d }: { dataset: DatasetDetail }) {
  const [params, setParams] = useSearchParams()
  const current = d.currentVersion?.version
  if (current === undefined)
    return <Text c="dimmed">No version is published yet, so no column has a profile.</Text>
  const asked = Number(params.get('version'))
  const version = d.versions.some((v) => v.version === asked) ? asked : current
  return (
    <Stack gap="xs">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={2}>Column profiles</Title>
        {d.versions.length > 1 && (
          <NativeSelect
            label="Version"
            value={String(version)}
            onChange={(event) =>
              setParams(
                Number(event.currentTarget.value) === current
                  ? {}
                  : { version: event.currentTarget.value },
              )
            }
            data={d.versions.map((v) => ({
              value: String(v.version),
              label: `v${v.version}, ${formatDay(v.createdAt)}${v.version === current ? ' (current)' : ''}`,
            }))}
          />
        )}
      </Group>
      <ColumnProfiles slug={d.slug} version={version} />
    </Stack>
  )
}

type SchemaRow = DatasetDetail['columns'][number] & {
  terms: readonly { term: string; definition: string }[]
}

const SCHEMA_COLUMNS: readonly DataColumn<SchemaRow>[] = [
  { id: 'name', header: 'Column', cell: (c) => <Code>{c.name}</Code>, rowHeader: true },
  { id: 'type', header: 'Type', sortValue: (c) => c.type },
  {
    id: 'personal',
    header: 'Personal data',
    cell: (c) => (
      <Stack gap={2} align="flex-start">
        <PersonalDataBadge kind={c.personalData} />
        {c.personalDataReason && (
          <Text size="xs">labelled by a steward: {c.personalDataReason}</Text>
        )}
      </Stack>
    ),
  },
  { id: 'description', header: 'Description', cell: (c) => c.description },
  {
    id: 'glossary',
    header: 'Glossary',
    cell: (c) => (
      <Group gap={6} wrap="wrap">
        {c.terms.map((t) => (
          <Tooltip key={t.term} label={t.definition} multiline maw={280} withArrow>
            <Anchor component={Link} to={`/glossary?q=${encodeURIComponent(t.term)}`} size="sm">
              {t.term}
            </Anchor>
          </Tooltip>
        ))}
      </Group>
    ),
  },
]
