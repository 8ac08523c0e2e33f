import { Anchor, Group, Paper, Stack, Text, Title } from '@mantine/core'
import { Link, useParams, useSearchParams } from 'react-router'
import { ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatDateTime } from '../../../lib/format.js'
import { useKpi } from '../api/use-kpis.js'
import { CountedRequestsDrawer } from './counted-requests-drawer.js'
import { KpiBreakdowns } from './kpi-breakdowns.js'
import { formatKpiValue } from './kpi-format.js'
import { KpiProvenance } from './kpi-provenance.js'
import { KpiStatusBadge } from './kpi-status-badge.js'
import { countsRequests, KpiValuesTable } from './kpi-values-table.js'
import { TrendChart } from './trend-chart.js'

/** Where the requests a period counted are open: `?counted=2026 Q4`, or `?counted=all`. */
const COUNTED = 'counted'

/**
 * One KPI: every period to the present against the target band, breakdown, and where the number
 * comes from; a sharing KPI's counts open the requests behind them in a drawer.
 */
export function KpiPage() {
  const number = Number(useParams().number)
  const kpi = useKpi(number)
  const [params, setParams] = useSearchParams()
  const counted = params.get(COUNTED)
  const showRequests = (period: string | null) => setParams({ [COUNTED]: period ?? 'all' })
  if (!Number.isInteger(number) || number < 1 || number > 15)
    return (
      <Stack gap="sm">
        <Title order={1}>No such KPI</Title>
        <Text>The Blueprint has KPIs 1 to 15.</Text>
        <Anchor component={Link} to="/kpis">
          See all KPIs
        </Anchor>
      </Stack>
    )
  if (kpi.isPending) return <Loading label="Loading the KPI…" />
  if (kpi.isError)
    return (
      <Stack gap="sm">
        <Title order={1}>KPI {number}</Title>
        <ErrorState title="The KPI could not be loaded" error={kpi.error} />
      </Stack>
    )
  const k = kpi.data
  return (
    <Stack component="article" gap="md" aria-labelledby="kpi-title">
      <Anchor component={Link} to="/kpis" className="no-print">
        <span aria-hidden="true">← </span>All KPIs
      </Anchor>
      <div>
        <Title order={1} id="kpi-title">
          KPI {k.number}: {k.wording}
        </Title>
        <Text c="dimmed">
          {k.category}
          {k.provenance ? ` · as of ${formatDateTime(k.provenance.computedAt)}` : ''}
        </Text>
      </div>
      <Paper withBorder p="md">
        {k.latest ? (
          <Group gap="sm" wrap="wrap" align="center">
            <Text fz={28} fw={700} lh={1.2}>
              {formatKpiValue(k.latest.value, k.unit)}
            </Text>
            <Text c="dimmed">in {k.latest.period}</Text>
            {k.latest.status && <KpiStatusBadge status={k.latest.status} />}
          </Group>
        ) : (
          <Text c="dimmed">
            Not measured yet.{k.periods.at(-1)?.reason ? ` ${k.periods.at(-1)?.reason}.` : ''}
          </Text>
        )}
        <Text mt="xs">
          Target: {k.targetText}
          {k.direction === 'down' ? ' (lower is better)' : ''}
        </Text>
      </Paper>
      <section aria-labelledby="kpi-trend">
        <Title order={2} id="kpi-trend">
          Trend
        </Title>
        <TrendChart
          points={k.history}
          target={k.target}
          unit={k.unit}
          label={`KPI ${k.number} by ${k.period} against its target`}
        />
        <KpiValuesTable kpi={k} onShowRequests={showRequests} />
      </section>
      <section aria-labelledby="kpi-breakdowns">
        <Title order={2} id="kpi-breakdowns" mb="xs">
          Breakdowns
        </Title>
        <KpiBreakdowns kpi={k} />
      </section>
      <section aria-labelledby="kpi-sources">
        <Title order={2} id="kpi-sources" mb="xs">
          Where does this number come from?
        </Title>
        <KpiProvenance kpi={k} onShowRequests={() => showRequests(null)} />
      </section>
      {countsRequests(k.number) && (
        <CountedRequestsDrawer
          number={k.number}
          period={counted === 'all' ? null : counted}
          opened={counted !== null}
          onClose={() => setParams({})}
        />
      )}
    </Stack>
  )
}
