import { Anchor, Button, Group, Stack, Text, Title } from '@mantine/core'
import { Link } from 'react-router'
import { type DataColumn, DataTable } from '../../../components/ui/data-table.js'
import { ErrorState } from '../../../components/ui/page-state.js'
import { formatBytes, formatCount, formatDateTime } from '../../../lib/format.js'
import { useEntitlements } from '../api/use-dataset-history.js'
import type { DatasetDetail } from '../api/use-datasets.js'
import { MetadataChanges } from './metadata-changes.js'
import { QualityNote } from './quality-note.js'
import { SchemaDiff } from './schema-diff.js'

type Version = DatasetDetail['versions'][number]

/** Which versions the reader may download, in full and as a sample; undefined: not known yet. */
interface Downloadable {
  full: ReadonlySet<number>
  sample: ReadonlySet<number>
}

const FORMATS = [
  ['csv', 'CSV'],
  ['parquet', 'Parquet'],
] as const

/**
 * Every published version with the downloads the reader may have of each, what changed in the
 * schema between two versions, and who changed the metadata when.
 */
export function HistoryTab({ dataset: d }: { dataset: DatasetDetail }) {
  const entitlements = useEntitlements()
  const mine = (entitlements.data ?? []).filter((e) => e.dataset.slug === d.slug)
  const versionsOf = (scope: 'full' | 'sample') =>
    new Set(mine.filter((e) => e.scope === scope).flatMap((e) => e.versions))
  const downloadable: Downloadable | undefined = entitlements.isSuccess
    ? { full: versionsOf('full'), sample: versionsOf('sample') }
    : undefined
  return (
    <Stack gap="lg">
      <Stack gap="xs">
        <Title order={2}>Versions</Title>
        {entitlements.isError && (
          <ErrorState title="Your downloads could not be checked" error={entitlements.error} />
        )}
        <DataTable
          caption="Every published version; each is immutable"
          columns={versionColumns(d.slug, downloadable)}
          rows={d.versions}
          rowKey={(v) => String(v.version)}
        />
      </Stack>
      <Stack gap="xs">
        <Title order={2}>Schema changes between versions</Title>
        <SchemaDiff slug={d.slug} versions={d.versions.map((v) => v.version)} />
      </Stack>
      <MetadataChanges slug={d.slug} />
    </Stack>
  )
}

function versionColumns(
  slug: string,
  downloadable: Downloadable | undefined,
): readonly DataColumn<Version>[] {
  return [
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
    {
      id: 'downloads',
      header: 'Downloads',
      cell: (v) => <VersionDownloads slug={slug} version={v.version} downloadable={downloadable} />,
    },
  ]
}

/** The files of one version the reader may have: the full data, else its sample, else neither. */
function VersionDownloads({
  slug,
  version,
  downloadable,
}: {
  slug: string
  version: number
  downloadable: Downloadable | undefined
}) {
  if (!downloadable) return <Text size="sm">Checking…</Text>
  const kind = downloadable.full.has(version)
    ? { route: 'extract', what: 'full data' }
    : downloadable.sample.has(version)
      ? { route: 'sample', what: 'de-identified sample' }
      : undefined
  if (!kind)
    return (
      <Anchor component={Link} to={`/datasets/${slug}/access`} size="sm">
        Ask for access
      </Anchor>
    )
  return (
    <Group gap={6} wrap="wrap">
      {kind.route === 'sample' && <Text size="sm">Sample:</Text>}
      {FORMATS.map(([format, label]) => (
        <Button
          key={format}
          component="a"
          href={`/api/datasets/${slug}/versions/${version}/${kind.route}?format=${format}`}
          download
          variant="default"
          size="compact-xs"
          aria-label={`${label} of v${version}, ${kind.what}`}
        >
          {label}
        </Button>
      ))}
    </Group>
  )
}
