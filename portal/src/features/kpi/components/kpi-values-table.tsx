import { Group, Text } from '@mantine/core'
import { type DataColumn, DataTable } from '../../../components/ui/data-table.js'
import type { KpiDetail } from '../api/use-kpis.js'
import { formatKpiValue } from './kpi-format.js'
import { KpiStatusBadge } from './kpi-status-badge.js'

type HistoryRow = KpiDetail['history'][number]

/** The trend chart's numbers as a table: every period's value, what it counted, its status. */
export function KpiValuesTable({ kpi }: { kpi: KpiDetail }) {
  const columns: DataColumn<HistoryRow>[] = [
    {
      id: 'period',
      header: kpi.period === 'quarter' ? 'Quarter' : 'Year',
      sortValue: (h) => h.period,
      rowHeader: true,
    },
    {
      id: 'value',
      header: 'Value',
      align: 'right',
      sortValue: (h) => h.value,
      cell: (h) => formatKpiValue(h.value, kpi.unit),
    },
    {
      id: 'counted',
      header: 'Counted',
      align: 'right',
      cell: (h) =>
        `${h.numerator.toLocaleString('en-SG')} of ${h.denominator.toLocaleString('en-SG')}`,
    },
    {
      id: 'status',
      header: 'Status',
      cell: (h) => (
        <Group gap="xs" wrap="wrap">
          {h.status && <KpiStatusBadge status={h.status} />}
          {!h.closed && <Text span size="sm">{`${kpi.period} still running`}</Text>}
        </Group>
      ),
    },
  ]
  return (
    <DataTable
      caption={`Values by ${kpi.period}`}
      columns={columns}
      rows={kpi.history}
      rowKey={(h) => h.period}
    />
  )
}
