import { Accordion, Anchor, Code, Stack, Text, Title, VisuallyHidden } from '@mantine/core'
import { Link } from 'react-router'
import { type DataColumn, DataTable } from '../../../components/ui/data-table.js'
import { formatDateTime, formatQuantity } from '../../../lib/format.js'
import type { KpiDetail } from '../api/use-kpis.js'
import { countsRequests } from './kpi-values-table.js'

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

/** What a platform KPI read, in words: "62 sharing records", "120 core data fields". */
function recordsRead(platformRecords: Record<string, number>) {
  return Object.entries(platformRecords).map(([kind, count]) =>
    formatQuantity(
      count,
      kind
        .replace(/([A-Z])/g, ' $1')
        .toLowerCase()
        .replace(/s$/, ''),
    ),
  )
}

/**
 * "Where does this number come from?": how it is measured, from which data, by which run. A
 * sharing KPI's records open the requests it counts; its lineage starts from those records.
 */
export function KpiProvenance({
  kpi,
  onShowRequests,
}: {
  kpi: KpiDetail
  /** Opens the requests the KPI counts in every period (KPIs 12 and 14). */
  onShowRequests: () => void
}) {
  const p = kpi.provenance
  if (!p) return <Text c="dimmed">Not computed yet: the sources appear after the first run.</Text>
  const read = p.platformRecords ? recordsRead(p.platformRecords).join(', ') : ''
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
      ) : countsRequests(kpi.number) ? (
        <Text>
          Measured by the platform from its own records:{' '}
          <Anchor component="button" type="button" onClick={onShowRequests}>
            {read}
          </Anchor>
          .
        </Text>
      ) : (
        <Text>Measured by the platform from its own records{read ? `: ${read}` : ''}.</Text>
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
