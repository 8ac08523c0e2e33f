import { Accordion, Button, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { EmptyState, ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatDateTime } from '../../../lib/format.js'
import { useHasRole } from '../../../lib/use-me.js'
import { type KpiList, useKpis, useRecomputeKpis } from '../api/use-kpis.js'
import { KpiCard } from './kpi-card.js'

function ComputedNote({ data }: { data: KpiList }) {
  const { computedAt, checkedAt } = data
  if (!computedAt)
    return (
      <EmptyState title="Not computed yet">
        The KPIs are computed after the first Trusted Centre fusion run.
      </EmptyState>
    )
  return (
    <Text c="dimmed">
      As of {formatDateTime(computedAt)}, computed from the catalogue's datasets and the platform's
      own records
      {checkedAt && checkedAt !== computedAt
        ? `; unchanged when checked ${formatDateTime(checkedAt)}`
        : ''}
      . The KPIs the platform measures itself (12 to 14) are measured again after every decision on
      an access request; the others after every Trusted Centre run.
    </Text>
  )
}

/**
 * The Blueprint KPIs for leaders: grouped by category, each with its latest value against the
 * target, a status in words and colour, and its trend; a CSV of every value and a print view.
 */
export function KpiDashboardPage() {
  const kpis = useKpis()
  const recompute = useRecomputeKpis()
  // Recomputing on demand stays with stewards and administrators: nobody else needs it, as the
  // KPIs follow every decision and every Trusted Centre run on their own.
  const isSteward = useHasRole('steward')
  const isAdmin = useHasRole('admin')
  const mayRecompute = isSteward || isAdmin
  const heading = (
    <Title order={1} id="kpi-heading">
      Digital Government Blueprint KPIs
    </Title>
  )
  if (kpis.isPending) return <Loading label="Loading the KPIs…" />
  if (kpis.isError)
    return (
      <Stack gap="sm">
        {heading}
        <ErrorState title="The KPIs could not be loaded" error={kpis.error} />
      </Stack>
    )
  const categories = [...new Set(kpis.data.kpis.map((k) => k.category))]
  return (
    <Stack component="section" gap="md" aria-labelledby="kpi-heading">
      <div>
        {heading}
        <ComputedNote data={kpis.data} />
      </div>
      <Group gap="sm" wrap="wrap" className="no-print">
        <Button component="a" href="/api/kpis?format=csv" download variant="default">
          Download CSV
        </Button>
        <Button variant="default" onClick={() => window.print()}>
          Print
        </Button>
        {mayRecompute && (
          <Button onClick={() => recompute.mutate()} disabled={recompute.isPending}>
            {recompute.isPending ? 'Recomputing…' : 'Recompute now'}
          </Button>
        )}
      </Group>
      {recompute.isError && (
        <ErrorState title="The KPIs could not be recomputed" error={recompute.error} />
      )}
      <Accordion variant="contained" className="no-print">
        <Accordion.Item value="status-rule">
          <Accordion.Control>How a status is decided</Accordion.Control>
          <Accordion.Panel>{kpis.data.statusRule}</Accordion.Panel>
        </Accordion.Item>
      </Accordion>
      {categories.map((category, index) => (
        <section key={category} aria-labelledby={`kpi-category-${index}`}>
          <Title order={2} size="h3" id={`kpi-category-${index}`} mb="sm">
            {category}
          </Title>
          <SimpleGrid
            component="ul"
            cols={{ base: 1, sm: 2, md: 3 }}
            spacing="md"
            className="kpi-cards"
            p={0}
            m={0}
            style={{ listStyle: 'none' }}
          >
            {kpis.data.kpis
              .filter((k) => k.category === category)
              .map((kpi) => (
                <KpiCard key={kpi.number} kpi={kpi} />
              ))}
          </SimpleGrid>
        </section>
      ))}
    </Stack>
  )
}
