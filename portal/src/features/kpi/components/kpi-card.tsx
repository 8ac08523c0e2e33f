import { Anchor, Card, Group, Stack, Text, Title, VisuallyHidden } from '@mantine/core'
import { Link } from 'react-router'
import type { KpiSummary } from '../api/use-kpis.js'
import { formatKpiValue } from './kpi-format.js'
import { KpiStatusBadge } from './kpi-status-badge.js'
import { Sparkline } from './sparkline.js'

/** One KPI on the dashboard: its latest value, the target, its status in words, its trend. */
export function KpiCard({ kpi }: { kpi: KpiSummary }) {
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
            Not measured yet: its data has not been published.
          </Text>
        )}
      </Stack>
    </Card>
  )
}
