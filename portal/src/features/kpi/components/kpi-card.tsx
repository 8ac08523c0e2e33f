import { Anchor, Card, Group, List, Stack, Text, Title, VisuallyHidden } from '@mantine/core'
import { Link } from 'react-router'
import type { KpiSummary } from '../api/use-kpis.js'
import { formatKpiValue } from './kpi-format.js'
import { KpiStatusBadge } from './kpi-status-badge.js'
import { Sparkline } from './sparkline.js'

/** The periods after the latest value, up to the present, each with why it has no value. */
function LaterPeriods({ kpi }: { kpi: KpiSummary }) {
  const latest = kpi.latest?.period
  const from = latest ? kpi.periods.findIndex((p) => p.period === latest) + 1 : 0
  const later = kpi.periods.slice(from).filter((p) => p.value === null)
  if (later.length === 0) return null
  return (
    <List
      size="sm"
      c="dimmed"
      spacing={2}
      aria-label={`KPI ${kpi.number}: periods without a value`}
    >
      {later.map((p) => (
        <List.Item key={p.period}>
          {p.period}: {p.reason}
        </List.Item>
      ))}
    </List>
  )
}

/**
 * One KPI on the dashboard: its latest value, the target, its status in words, its trend, and
 * every later period up to the present with why it has no value yet.
 */
export function KpiCard({ kpi }: { kpi: KpiSummary }) {
  const latestPeriod = kpi.periods.find((p) => p.period === kpi.latest?.period)
  return (
    <Card component="li" withBorder padding="md" radius="md" className="kpi-card">
      <Stack gap="xs" h="100%">
        <Title order={3} size="h5">
          <Anchor component={Link} to={`/kpis/${kpi.number}`} inherit>
            {kpi.number}. {kpi.wording}
          </Anchor>
        </Title>
        {kpi.latest ? (
          <>
            <Group gap={6} align="baseline" wrap="wrap">
              <Text fz={26} fw={700} lh={1.2}>
                {formatKpiValue(kpi.latest.value, kpi.unit)}
              </Text>
              <Text size="sm" c="dimmed">
                in {kpi.latest.period}
                {latestPeriod?.reason ? ` (${latestPeriod.reason.toLowerCase()})` : ''}
              </Text>
            </Group>
            <Group gap="xs" wrap="wrap">
              {kpi.latest.status && <KpiStatusBadge status={kpi.latest.status} />}
              <Text size="sm" c="dimmed">
                Target {kpi.targetText}
              </Text>
            </Group>
            <Sparkline points={kpi.trend} />
            <VisuallyHidden>
              Trend:{' '}
              {kpi.trend.map((t) => `${t.period} ${formatKpiValue(t.value, kpi.unit)}`).join(', ')}
            </VisuallyHidden>
          </>
        ) : (
          <Text size="sm" c="dimmed">
            Not measured yet.
          </Text>
        )}
        <LaterPeriods kpi={kpi} />
      </Stack>
    </Card>
  )
}
