import { Link } from 'react-router'
import { EmptyState, ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatDateTime } from '../../../lib/format.js'
import { useHasRole } from '../../../lib/use-me.js'
import { type KpiSummary, useKpis, useRecomputeKpis } from '../api/use-kpis.js'
import { formatKpiValue, targetLine } from './kpi-format.js'
import { KpiStatusBadge } from './kpi-status-badge.js'
import { Sparkline } from './sparkline.js'

function KpiCard({ kpi }: { kpi: KpiSummary }) {
  return (
    <li className="card kpi-card">
      <h3>
        <Link to={`/kpis/${kpi.number}`}>
          {kpi.number}. {kpi.wording}
        </Link>
      </h3>
      {kpi.latest ? (
        <>
          <p className="kpi-value">
            {formatKpiValue(kpi.latest.value, kpi.unit)}{' '}
            <span className="note">in {kpi.latest.period}</span>
          </p>
          <p>
            {kpi.latest.status && <KpiStatusBadge status={kpi.latest.status} />}{' '}
            <span className="note">Target {kpi.targetText}</span>
          </p>
          <Sparkline points={kpi.trend} target={targetLine(kpi.target)} />
          <p className="visually-hidden">
            Trend:{' '}
            {kpi.trend.map((t) => `${t.period} ${formatKpiValue(t.value, kpi.unit)}`).join(', ')}
          </p>
        </>
      ) : (
        <p className="note">Not measured yet: its data has not been published.</p>
      )}
    </li>
  )
}

/**
 * The Blueprint KPIs for leaders: grouped by category, each with its latest value against the
 * target, a status in words and colour, and its trend; a CSV of every value and a print view.
 */
export function KpiDashboardPage() {
  const kpis = useKpis()
  const recompute = useRecomputeKpis()
  const isSteward = useHasRole('steward')
  const isAdmin = useHasRole('admin')
  const mayRecompute = isSteward || isAdmin
  if (kpis.isPending) return <Loading label="Loading the KPIs…" />
  if (kpis.isError) return <ErrorState title="The KPIs could not be loaded" error={kpis.error} />
  const { computedAt, checkedAt, statusRule } = kpis.data
  const categories = [...new Set(kpis.data.kpis.map((k) => k.category))]
  return (
    <section aria-labelledby="kpi-heading" className="kpi-dashboard">
      <h1 id="kpi-heading">Digital Government Blueprint KPIs</h1>
      {computedAt ? (
        <p className="note">
          Computed {formatDateTime(computedAt)} from the catalogue's datasets and the platform's own
          records
          {checkedAt && checkedAt !== computedAt
            ? `; unchanged when checked ${formatDateTime(checkedAt)}`
            : ''}
          .
        </p>
      ) : (
        <EmptyState title="Not computed yet">
          The KPIs are computed after the first Trusted Centre fusion run.
        </EmptyState>
      )}
      <div className="kpi-actions no-print">
        <a href="/api/kpis?format=csv" download>
          Download CSV
        </a>
        <button type="button" onClick={() => window.print()}>
          Print
        </button>
        {mayRecompute && (
          <button type="button" onClick={() => recompute.mutate()} disabled={recompute.isPending}>
            {recompute.isPending ? 'Recomputing…' : 'Recompute now'}
          </button>
        )}
      </div>
      {recompute.isError && (
        <ErrorState title="The KPIs could not be recomputed" error={recompute.error} />
      )}
      <details className="note">
        <summary>How a status is decided</summary>
        <p>{statusRule}</p>
      </details>
      {categories.map((category) => (
        <section key={category} aria-labelledby={`kpi-${category}`}>
          <h2 id={`kpi-${category}`}>{category}</h2>
          <ul className="cards kpi-cards">
            {kpis.data.kpis
              .filter((k) => k.category === category)
              .map((kpi) => (
                <KpiCard key={kpi.number} kpi={kpi} />
              ))}
          </ul>
        </section>
      ))}
    </section>
  )
}
