import { Alert, Stack, Text, Title } from '@mantine/core'
import { type DataColumn, DataTable } from '../../../components/ui/data-table.js'
import type { KpiDetail } from '../api/use-kpis.js'
import { formatKpiValue } from './kpi-format.js'
import { KpiStatusBadge } from './kpi-status-badge.js'

type BreakdownRow = Extract<KpiDetail['breakdowns'], { visible: true }>['rows'][number]

const BREAKDOWN_TITLES: Record<string, [string, string]> = {
  'ministry-family': ['By Ministry family', 'Ministry family'],
  agency: ['By agency', 'Agency'],
}

function breakdownColumns(header: string, unit: string): DataColumn<BreakdownRow>[] {
  return [
    { id: 'group', header, sortValue: (r) => r.group, rowHeader: true },
    {
      id: 'value',
      header: 'Value',
      align: 'right',
      sortValue: (r) => r.value,
      cell: (r) => formatKpiValue(r.value, unit),
    },
    {
      id: 'counted',
      header: 'Counted',
      align: 'right',
      cell: (r) =>
        `${r.numerator.toLocaleString('en-SG')} of ${r.denominator.toLocaleString('en-SG')}`,
    },
    {
      id: 'status',
      header: 'Status',
      cell: (r) =>
        r.status ? <KpiStatusBadge status={r.status} /> : <Text span>no target of its own</Text>,
    },
  ]
}

/**
 * A KPI's latest period by Ministry family and by agency, or why the reader may not see it (the
 * breakdown follows the access rules of the data behind the KPI).
 */
export function KpiBreakdowns({ kpi }: { kpi: KpiDetail }) {
  const { breakdowns } = kpi
  if (!breakdowns.visible)
    return (
      <Alert variant="light" color="gray" role="note" title="Breakdown withheld">
        {breakdowns.reason}
      </Alert>
    )
  const latest = kpi.latest?.period
  if (!latest) return <Text c="dimmed">No breakdown yet: the KPI has not been measured.</Text>
  return (
    <Stack gap="lg">
      {breakdowns.by.map((by) => {
        const [title, header] = BREAKDOWN_TITLES[by] ?? [by, by]
        const rows = breakdowns.rows.filter((r) => r.by === by && r.period === latest)
        return (
          <section key={by} aria-labelledby={`breakdown-${by}`}>
            <Title order={3} size="h4" id={`breakdown-${by}`}>
              {title}, {latest}
            </Title>
            {rows.length === 0 ? (
              <Text c="dimmed">No breakdown for {latest}.</Text>
            ) : (
              <DataTable
                caption={`${title}, ${latest}`}
                captionHidden
                columns={breakdownColumns(header, kpi.unit)}
                rows={rows}
                rowKey={(r) => r.group}
              />
            )}
          </section>
        )
      })}
    </Stack>
  )
}
