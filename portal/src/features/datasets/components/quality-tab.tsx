import { Badge, Code, Stack, Text, Title } from '@mantine/core'
import { type DataColumn, DataTable } from '../../../components/ui/data-table.js'
import { formatQuantity } from '../../../lib/format.js'
import { TONE } from '../../../lib/tones.js'
import type { DatasetDetail } from '../api/use-datasets.js'
import { describeFreshness } from './freshness.js'

type Version = DatasetDetail['versions'][number]
type Result = NonNullable<Version['quality']>['results'][number]

/** One check, with what each version measured of it. */
interface CheckRow {
  name: string
  kind: string
  /** As the newest version that ran the check declared it. */
  severity: Result['severity']
  byVersion: ReadonlyMap<number, Result>
}

/**
 * Every quality check the Trusted Centre ran, with its result in every version (newest first),
 * and whether the current version is as recent as the update frequency promises.
 */
export function QualityTab({ dataset: d }: { dataset: DatasetDetail }) {
  const freshness = describeFreshness(d.currentVersion, d.updateFrequency, new Date())
  const rows = checkRows(d.versions)
  const columns: DataColumn<CheckRow>[] = [
    { id: 'check', header: 'Check', cell: (r) => <Code>{r.name}</Code>, rowHeader: true },
    {
      id: 'severity',
      header: 'If it fails',
      cell: (r) => (r.severity === 'blocking' ? 'Blocks publication' : 'Published with a warning'),
    },
    ...d.versions.map(
      (v): DataColumn<CheckRow> => ({
        id: `v${v.version}`,
        header: `v${v.version}`,
        cell: (r) => <ResultCell version={v} result={r.byVersion.get(v.version)} />,
      }),
    ),
  ]
  return (
    <Stack gap="lg">
      <Stack gap="xs">
        <Title order={2}>Freshness</Title>
        <Text>{freshness.text}</Text>
      </Stack>
      <Stack gap="xs">
        <Title order={2}>Quality checks</Title>
        {rows.length === 0 ? (
          <Text c="dimmed">No version of this dataset was published with quality checks.</Text>
        ) : (
          <DataTable
            caption={`${formatQuantity(rows.length, 'quality check')} across ${formatQuantity(d.versions.length, 'version')}, newest first`}
            columns={columns}
            rows={rows}
            rowKey={(r) => r.name}
          />
        )}
      </Stack>
    </Stack>
  )
}

/** The checks of every version, in the newest version's order, older checks after. */
function checkRows(versions: readonly Version[]): CheckRow[] {
  const rows = new Map<string, CheckRow & { byVersion: Map<number, Result> }>()
  for (const version of versions) {
    for (const result of version.quality?.results ?? []) {
      const row = rows.get(result.name) ?? {
        name: result.name,
        kind: result.kind,
        severity: result.severity,
        byVersion: new Map<number, Result>(),
      }
      row.byVersion.set(version.version, result)
      rows.set(result.name, row)
    }
  }
  return [...rows.values()]
}

function ResultCell({ version, result }: { version: Version; result: Result | undefined }) {
  if (!version.quality) return <Text size="sm">Not checked</Text>
  if (!result) return <Text size="sm">Not run</Text>
  return (
    <Stack gap={2} align="flex-start">
      <Badge
        variant="light"
        color={result.passed ? TONE.good : result.severity === 'blocking' ? TONE.bad : TONE.warn}
        tt="none"
      >
        {result.passed ? 'Passed' : 'Failed'}
      </Badge>
      <Text size="xs">
        {observedText(result)}; expected {result.expected}
      </Text>
    </Stack>
  )
}

/** What was measured, in the check's own unit. */
function observedText(result: Result): string {
  switch (result.kind) {
    case 'coverage':
      return `observed ${result.observed}`
    case 'freshness':
      // No dated value at all is measured as a billion days (trusted-centre/quality.ts).
      return result.observed >= 1e9
        ? 'observed no dated rows'
        : `observed ${formatQuantity(result.observed, 'day')} old`
    default:
      return `observed ${formatQuantity(result.observed, 'violating row')}`
  }
}
