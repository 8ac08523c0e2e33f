import { Anchor, Drawer, Stack, Text } from '@mantine/core'
import { Link } from 'react-router'
import { type DataColumn, DataTable } from '../../../components/ui/data-table.js'
import { ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatCount, formatDay, formatQuantity } from '../../../lib/format.js'
import { type CountedRequests, useCountedRequests } from '../api/use-kpis.js'

type Counted = CountedRequests['requests'][number]

const COLUMNS: DataColumn<Counted>[] = [
  {
    id: 'request',
    header: 'Request',
    rowHeader: true,
    cell: (r) =>
      r.canOpen ? (
        <Anchor component={Link} to={`/requests/${r.id}`}>
          {r.dataset.title}
        </Anchor>
      ) : (
        r.dataset.title
      ),
  },
  { id: 'agencies', header: 'Asked by', cell: (r) => `${r.requesterAgency} of ${r.owningAgency}` },
  {
    id: 'project',
    header: 'Project',
    cell: (r) => (r.canOpen ? (r.project ?? 'None named') : 'Not shown'),
  },
  { id: 'period', header: 'Counted in', cell: (r) => r.period },
  {
    id: 'decided',
    header: 'Decided',
    sortValue: (r) => r.decidedAt,
    cell: (r) => formatDay(r.decidedAt),
  },
  {
    id: 'days',
    header: 'Working days to grant',
    align: 'right',
    cell: (r) => (r.grantWorkingDays === null ? 'Not known' : String(r.grantWorkingDays)),
  },
]

/** The list inside the drawer: the requests shown, and how many more are counted only. */
function CountedList({ data }: { data: CountedRequests }) {
  const shown = data.requests.length
  return (
    <Stack gap="sm">
      <Text>
        KPI {data.number} counts {formatQuantity(data.counted, 'approved cross-agency request')}
        {data.period ? ` in ${data.period}` : ''}.
      </Text>
      {shown > 0 && (
        <DataTable
          caption={`Requests counted, ${formatCount(shown)} of ${formatCount(data.counted)} listed`}
          columns={COLUMNS}
          rows={data.requests}
          rowKey={(r) => r.id}
        />
      )}
      {data.notShown > 0 && (
        <Text role="note" c="dimmed">
          {formatQuantity(data.notShown, 'more is', 'more are')} counted that you may not see
          listed. {data.notShownReason}.
        </Text>
      )}
    </Stack>
  )
}

/**
 * The requests a sharing KPI counts, in a drawer beside the KPI: each links to its request page
 * for those who may open it; those who may not see it listed, or counted only.
 */
export function CountedRequestsDrawer({
  number,
  period,
  opened,
  onClose,
}: {
  number: number
  /** Null: every period. */
  period: string | null
  opened: boolean
  onClose: () => void
}) {
  const counted = useCountedRequests(number, period, opened)
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size="xl"
      closeButtonProps={{ 'aria-label': 'Close the list of requests' }}
      title={`Requests KPI ${number} counts${period ? ` in ${period}` : ''}`}
    >
      {counted.isPending ? (
        <Loading label="Loading the requests…" />
      ) : counted.isError ? (
        <ErrorState title="The requests could not be loaded" error={counted.error} />
      ) : (
        <CountedList data={counted.data} />
      )}
    </Drawer>
  )
}
