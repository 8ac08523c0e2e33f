import { Anchor, Group, Text, VisuallyHidden } from '@mantine/core'
import { type DataColumn, DataTable } from '../../../components/ui/data-table.js'
import { formatCount } from '../../../lib/format.js'
import type { KpiDetail, KpiPeriod } from '../api/use-kpis.js'
import { formatKpiValue } from './kpi-format.js'
import { KpiStatusBadge } from './kpi-status-badge.js'

type Row = KpiPeriod & { counted: { numerator: number; denominator: number } | undefined }

/** The KPIs whose values count access requests, which their lists show. */
export const countsRequests = (number: number) => number === 12 || number === 14

/**
 * Every period up to the present with its value, what it counted and its status; a period
 * without a value says why. For the sharing KPIs, what a period counted opens its requests.
 */
export function KpiValuesTable({
  kpi,
  onShowRequests,
}: {
  kpi: KpiDetail
  /** Opens the requests a period counts (KPIs 12 and 14). */
  onShowRequests: (period: string) => void
}) {
  const history = new Map(kpi.history.map((h) => [h.period, h]))
  const rows: Row[] = kpi.periods.map((p) => ({ ...p, counted: history.get(p.period) }))
  const counted = (r: Row) => {
    if (!r.counted) return '—'
    const text = `${formatCount(r.counted.numerator)} of ${formatCount(r.counted.denominator)}`
    if (!countsRequests(kpi.number)) return text
    return (
      <Anchor component="button" type="button" onClick={() => onShowRequests(r.period)}>
        {text}
        <VisuallyHidden> requests counted in {r.period}</VisuallyHidden>
      </Anchor>
    )
  }
  const columns: DataColumn<Row>[] = [
    {
      id: 'period',
      header: kpi.period === 'quarter' ? 'Quarter' : 'Year',
      sortValue: (r) => r.period,
      rowHeader: true,
    },
    {
      id: 'value',
      header: 'Value',
      align: 'right',
      sortValue: (r) => r.value,
      cell: (r) => (r.value === null ? 'No value' : formatKpiValue(r.value, kpi.unit)),
    },
    { id: 'counted', header: 'Counted', align: 'right', cell: counted },
    {
      id: 'status',
      header: 'Status',
      cell: (r) => (
        <Group gap="xs" wrap="wrap">
          {r.status && <KpiStatusBadge status={r.status} />}
          {r.reason && (
            <Text span size="sm">
              {r.reason}
            </Text>
          )}
        </Group>
      ),
    },
  ]
  return (
    <DataTable
      caption={`Values by ${kpi.period}`}
      columns={columns}
      rows={rows}
      rowKey={(r) => r.period}
    />
  )
}
