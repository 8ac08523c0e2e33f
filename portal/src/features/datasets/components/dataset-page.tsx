import {
  Anchor,
  Badge,
  Box,
  Breadcrumbs,
  Button,
  Code,
  Group,
  SimpleGrid,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core'
import { type ReactNode, useState } from 'react'
import { Link, useParams } from 'react-router'
import { ClassificationBadge } from '../../../components/ui/classification-badge.js'
import { type DataColumn, DataTable } from '../../../components/ui/data-table.js'
import { ErrorState, Loading } from '../../../components/ui/page-state.js'
import { PersonalDataBadge } from '../../../components/ui/personal-data-badge.js'
import { formatBytes, formatCount, formatDateTime, formatQuantity } from '../../../lib/format.js'
import { useMe } from '../../../lib/use-me.js'
import { type DatasetDetail, useDataset } from '../api/use-datasets.js'
import { DatasetEditor } from './dataset-editor.js'
import { LabelSuggestions } from './label-suggestions.js'
import { QualityNote } from './quality-note.js'
import { SampleReportPanel } from './sample-report-panel.js'

/** What other features add to a dataset page; app/ composes them (features never import each other). */
export interface DatasetPageSlots {
  /**
   * What the reader has on the dataset (a request waiting, access held or ended) and the way to
   * ask for it: shown for data that needs a request.
   */
  access: (dataset: DatasetDetail) => ReactNode
  /** For the owning agency's stewards: who holds access. */
  holders: (slug: string) => ReactNode
  /**
   * Downloads and the sample preview, as far as the reader may have them; `explainSample` shows
   * how a version's sample was de-identified (the current version's when no version is given).
   */
  data: (slug: string, explainSample: (version?: number) => ReactNode) => ReactNode
  /** Where the dataset comes from and goes (the lineage feature). */
  lineage: (slug: string) => ReactNode
}

/** One dataset: what it is, who owns it, its schema and its versions. */
export function DatasetPage({ access, holders, data, lineage }: DatasetPageSlots) {
  const { slug = '' } = useParams()
  const dataset = useDataset(slug)
  const [editing, setEditing] = useState(false)
  const me = useMe()
  if (dataset.isPending) return <Loading label="Loading dataset…" />
  if (dataset.isError) {
    // The page still names what was asked for, as its one h1.
    return (
      <Stack gap="xs">
        <Breadcrumb slug={slug} />
        <Title order={1}>{slug}</Title>
        <ErrorState
          title="This dataset could not be shown"
          error={dataset.error}
          action={
            <Anchor component={Link} to="/">
              Back to all datasets
            </Anchor>
          }
        />
      </Stack>
    )
  }
  const d = dataset.data
  const editable = canEdit(me.data?.user, d.agency)
  const open = d.classification.security === 'official-open'
  const schema: SchemaRow[] = d.columns.map((column) => ({
    ...column,
    terms: d.glossary[column.name] ?? [],
  }))
  const explainSample = (version?: number) => {
    const shown =
      version === undefined ? d.currentVersion : d.versions.find((v) => v.version === version)
    return <SampleReportPanel sample={shown?.sample ?? null} />
  }

  return (
    <Stack component="article" aria-labelledby="dataset-heading" gap="lg">
      <Stack gap="xs">
        <Breadcrumb slug={d.slug} />
        <Title order={1} id="dataset-heading">
          {d.title}
        </Title>
        <Group gap="xs" wrap="wrap">
          <ClassificationBadge classification={d.classification} />
          <PersonalDataSummary columns={d.columns} />
        </Group>
        <Text size="lg">{d.description}</Text>
      </Stack>

      {!open && access(d)}
      {(open || (editable && !editing)) && (
        <Group gap="sm" wrap="wrap">
          {editable && !editing && (
            <Button type="button" variant="default" onClick={() => setEditing(true)}>
              Edit metadata
            </Button>
          )}
          {open && <Text>Official (Open): anyone may use the full data, no request needed.</Text>}
        </Group>
      )}
      {editing && <DatasetEditor dataset={d} onDone={() => setEditing(false)} />}

      <Facts dataset={d} />

      {data(d.slug, explainSample)}
      {lineage(d.slug)}

      <Stack gap="xs">
        <Title order={2}>Schema</Title>
        <DataTable
          caption={`${d.columns.length} columns of the current version`}
          columns={SCHEMA_COLUMNS}
          rows={schema}
          rowKey={(column) => column.name}
        />
      </Stack>

      {editable && <LabelSuggestions dataset={d} />}
      {editable && holders(d.slug)}

      <Stack gap="xs">
        <Title order={2}>Versions</Title>
        <DataTable
          caption="Every published version; each is immutable"
          columns={VERSION_COLUMNS}
          rows={d.versions}
          rowKey={(v) => String(v.version)}
        />
      </Stack>
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

type Version = DatasetDetail['versions'][number]

const VERSION_COLUMNS: readonly DataColumn<Version>[] = [
  {
    id: 'version',
    header: 'Version',
    cell: (v) => `v${v.version}`,
    sortValue: (v) => v.version,
    rowHeader: true,
  },
  {
    id: 'published',
    header: 'Published',
    cell: (v) => formatDateTime(v.createdAt),
    sortValue: (v) => v.createdAt,
  },
  {
    id: 'rows',
    header: 'Rows',
    cell: (v) => formatCount(v.rowCount),
    sortValue: (v) => v.rowCount,
    align: 'right',
  },
  {
    id: 'size',
    header: 'Size',
    cell: (v) => formatBytes(v.byteSize),
    sortValue: (v) => v.byteSize,
    align: 'right',
  },
  { id: 'quality', header: 'Quality', cell: (v) => <QualityNote quality={v.quality} /> },
]

function Breadcrumb({ slug }: { slug: string }) {
  return (
    <Box component="nav" aria-label="Breadcrumb">
      <Breadcrumbs separator="/">
        <Anchor component={Link} to="/">
          Datasets
        </Anchor>
        <Text span c="dimmed" aria-current="page">
          {slug}
        </Text>
      </Breadcrumbs>
    </Box>
  )
}

/** Whether the dataset says anything about people, in words. */
function PersonalDataSummary({ columns }: { columns: DatasetDetail['columns'] }) {
  const personal = columns.filter((c) => c.personalData !== 'none').length
  return personal === 0 ? (
    <Badge variant="light" color="gray" tt="none">
      No personal data
    </Badge>
  ) : (
    <Badge variant="light" color="#6b2d91" tt="none">
      Personal data in {personal} of {columns.length} columns
    </Badge>
  )
}

function Facts({ dataset: d }: { dataset: DatasetDetail }) {
  const contact = d.contactEmail ? (
    <Anchor href={`mailto:${d.contactEmail}`}>{d.contactEmail}</Anchor>
  ) : (
    'Not stated'
  )
  const facts: [string, ReactNode][] = [
    ['Owning agency', d.agency],
    ['Trusted Centre', d.trustedCentre],
    ['Sources of truth', d.sourceSsots.map((s) => s.toUpperCase()).join(', ')],
    ['Update frequency', d.updateFrequency],
    ['Rows', d.currentVersion ? formatCount(d.currentVersion.rowCount) : 'Not published'],
    ['Sample', sampleText(d.currentVersion?.sample ?? null)],
    ['Coverage', coverageText(d.coverage)],
    ['Licence', d.licence || 'Not stated'],
    ['Contact', contact],
  ]
  return (
    <SimpleGrid
      component="dl"
      cols={{ base: 1, sm: 2, md: 3 }}
      spacing="md"
      verticalSpacing="sm"
      m={0}
    >
      {facts.map(([label, value]) => (
        <div key={label}>
          <Text component="dt" size="sm" fw={600} c="dimmed">
            {label}
          </Text>
          <Text component="dd" m={0}>
            {value}
          </Text>
        </div>
      ))}
    </SimpleGrid>
  )
}

/** What an officer can expect of the current version's sample. */
function sampleText(sample: DatasetDetail['versions'][number]['sample']): string {
  if (!sample) return 'None yet'
  if (sample.status === 'refused') return `No sample: ${sample.reason}`
  return `${formatQuantity(sample.rowCount, 'de-identified row')} (each combination of quasi-identifiers at least ${sample.k} times)`
}

/** Whether to offer the edit mode: stewards of the owning agency (the server decides for real). */
function canEdit(
  user: { roles: string[]; agency: { code: string } } | undefined,
  agency: string,
): boolean {
  return Boolean(user?.roles.includes('steward') && user.agency.code === agency)
}

function coverageText(coverage: { start: string | null; end: string | null }): string {
  if (!coverage.start && !coverage.end) return 'Not stated'
  return `${coverage.start ?? '…'} to ${coverage.end ?? 'now'}`
}
