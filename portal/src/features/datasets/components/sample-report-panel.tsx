import { Alert, Code, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { useId } from 'react'
import { type DataColumn, DataTable } from '../../../components/ui/data-table.js'
import { PersonalDataBadge } from '../../../components/ui/personal-data-badge.js'
import { formatCount } from '../../../lib/format.js'
import { TONE } from '../../../lib/tones.js'
import {
  type SampleColumnReport,
  type SampleReport,
  sampleReportOf,
  type VersionSample,
} from '../api/sample-report.js'
import { keepNote, sampleFacts, shownAs } from './explain-sample.js'

/**
 * A sample explains itself beside its rows: the k and l it reached, the rows it suppressed, the
 * information it lost, and how each column is shown and why, so that an officer can tell why a
 * value reads `*` or is coarser than the schema. A refused sample says why there is none.
 */
export function SampleReportPanel({ sample }: { sample: VersionSample }) {
  const headingId = useId()
  if (!sample) return null
  if (sample.status === 'refused')
    return (
      <Alert color={TONE.warn} variant="light" role="note" title="No sample of this version">
        {sample.reason}
      </Alert>
    )
  const report = sampleReportOf(sample)
  if (!report)
    return (
      <Text size="sm" c="dimmed">
        {formatCount(sample.rowCount)} de-identified rows, each combination of quasi-identifiers at
        least {sample.k} times. This sample was made before samples reported how.
      </Text>
    )
  const note = keepNote(report)
  return (
    <Paper component="section" aria-labelledby={headingId} withBorder p="sm">
      <Stack gap="xs">
        <Title order={3} size="h4" id={headingId}>
          How this sample was de-identified
        </Title>
        <Text size="sm">
          Every combination of the columns in the k-check occurs at least k times, and sensitive
          columns hold at least l different values within each. To get there, values are coarsened
          or hidden (shown as <Code>*</Code>) as little as possible, and rows that would still stand
          out are left out.
        </Text>
        <SimpleGrid component="dl" cols={{ base: 2, sm: 4 }} spacing="sm" m={0}>
          {sampleFacts(report).map(([label, value]) => (
            <div key={label}>
              <Text component="dt" size="sm" fw={600} c="dimmed">
                {label}
              </Text>
              <Text component="dd" m={0} size="sm">
                {value}
              </Text>
            </div>
          ))}
        </SimpleGrid>
        {note && (
          <Text size="sm" fw={report.keptAsAsked ? undefined : 600}>
            {note}
          </Text>
        )}
        <DataTable
          caption="How each column is shown in the sample"
          columns={columnsOf(report)}
          rows={report.columns}
          rowKey={(c) => c.name}
        />
      </Stack>
    </Paper>
  )
}

const columnsOf = (report: SampleReport): readonly DataColumn<SampleColumnReport>[] => [
  {
    id: 'name',
    header: 'Column',
    cell: (c) => <Code>{c.name}</Code>,
    sortValue: (c) => c.name,
    rowHeader: true,
  },
  { id: 'label', header: 'Labelled', cell: (c) => <PersonalDataBadge kind={c.declared} /> },
  { id: 'shown', header: 'Shown as', sortValue: (c) => shownAs(report, c) },
  { id: 'why', header: 'Why', cell: (c) => c.reasons.join('; ') },
]
