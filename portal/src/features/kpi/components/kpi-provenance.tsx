import { Accordion, Anchor, Code, Stack, Text, Title, VisuallyHidden } from '@mantine/core'
import { Link } from 'react-router'
import { type DataColumn, DataTable } from '../../../components/ui/data-table.js'
import { formatDateTime } from '../../../lib/format.js'
import type { KpiDetail } from '../api/use-kpis.js'

type Provenance = NonNullable<KpiDetail['provenance']>
type Input = Provenance['inputs'][number]

const lineageHref = (nodeId: string) => `/lineage?node=${encodeURIComponent(nodeId)}`

const INPUT_COLUMNS: DataColumn<Input>[] = [
  {
    id: 'dataset',
    header: 'Dataset',
    cell: (i) => (
      <Anchor component={Link} to={`/datasets/${i.slug}`}>
        {i.title}
      </Anchor>
    ),
  },
  { id: 'version', header: 'Version', cell: (i) => String(i.version) },
  { id: 'published', header: 'Published', cell: (i) => formatDateTime(i.publishedAt) },
  {
    id: 'run',
    header: 'Made by',
    cell: (i) => (i.runId ? `Trusted Centre run ${i.runId}` : 'Published directly'),
  },
  {
    id: 'lineage',
    header: 'Lineage',
    cell: (i) => (
      <Anchor component={Link} to={lineageHref(i.lineageNodeId)}>
        Lineage<VisuallyHidden> of {i.title}</VisuallyHidden>
      </Anchor>
    ),
  },
]

/** "Where does this number come from?": how it is measured, from which data, by which run. */
export function KpiProvenance({ kpi }: { kpi: KpiDetail }) {
  const p = kpi.provenance
  if (!p) return <Text c="dimmed">Not computed yet: the sources appear after the first run.</Text>
  return (
    <Stack gap="sm">
      <Text>{kpi.measurement}</Text>
      {p.inputs.length > 0 ? (
        <DataTable
          caption="Datasets this number is computed from"
          columns={INPUT_COLUMNS}
          rows={p.inputs}
          rowKey={(i) => i.slug}
        />
      ) : (
        <Text>
          Measured by the platform from its own records
          {p.platformRecords
            ? `: ${Object.entries(p.platformRecords)
                .map(([k, v]) => `${v} ${k.replace(/([A-Z])/g, ' $1').toLowerCase()}`)
                .join(', ')}`
            : ''}
          .
        </Text>
      )}
      <Title order={3} size="h4">
        The computation
      </Title>
      <Text>
        Computation {p.computationId}, {formatDateTime(p.computedAt)} ({p.trigger}, by {p.actor}) ·{' '}
        <Anchor component={Link} to={lineageHref(p.lineageNodeId)}>
          its lineage
        </Anchor>{' '}
        · published in{' '}
        <Anchor component={Link} to={`/datasets/${p.historyDataset.slug}`}>
          the KPI history dataset
        </Anchor>
        {p.historyDataset.version ? ` v${p.historyDataset.version}` : ''}
      </Text>
      {p.sql && (
        <Accordion variant="contained">
          <Accordion.Item value="sql">
            <Accordion.Control>The SQL that computes it</Accordion.Control>
            <Accordion.Panel>
              <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {p.sql}
              </Code>
            </Accordion.Panel>
          </Accordion.Item>
        </Accordion>
      )}
    </Stack>
  )
}
