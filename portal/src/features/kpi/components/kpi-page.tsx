import { Link, useParams } from 'react-router'
import { EmptyState, ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatDateTime } from '../../../lib/format.js'
import { type KpiDetail, useKpi } from '../api/use-kpis.js'
import { formatKpiValue } from './kpi-format.js'
import { KpiStatusBadge } from './kpi-status-badge.js'
import { TrendChart } from './trend-chart.js'

const BREAKDOWN_TITLES: Record<string, [string, string]> = {
  'ministry-family': ['By Ministry family', 'Ministry family'],
  agency: ['By agency', 'Agency'],
}

function Breakdown({ kpi }: { kpi: KpiDetail }) {
  const { breakdowns } = kpi
  if (!breakdowns.visible)
    return (
      <p className="note" role="note">
        {breakdowns.reason}
      </p>
    )
  const latest = kpi.latest?.period
  return (
    <>
      {breakdowns.by.map((by) => {
        const [title, header] = BREAKDOWN_TITLES[by] ?? [by, by]
        const rows = breakdowns.rows.filter((r) => r.by === by && r.period === latest)
        return (
          <section key={by} aria-label={`${title}, ${latest}`}>
            <h3>
              {title}, {latest}
            </h3>
            {rows.length === 0 ? (
              <p className="note">No breakdown for {latest}.</p>
            ) : (
              <table aria-label={`${title}, ${latest}`}>
                <thead>
                  <tr>
                    <th scope="col">{header}</th>
                    <th scope="col">Value</th>
                    <th scope="col">Counted</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.group}>
                      <th scope="row">{r.group}</th>
                      <td>{formatKpiValue(r.value, kpi.unit)}</td>
                      <td>
                        {r.numerator.toLocaleString('en-SG')} of{' '}
                        {r.denominator.toLocaleString('en-SG')}
                      </td>
                      <td>
                        {r.status ? <KpiStatusBadge status={r.status} /> : 'no target of its own'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        )
      })}
    </>
  )
}

function Provenance({ kpi }: { kpi: KpiDetail }) {
  const p = kpi.provenance
  if (!p) return <p className="note">Not computed yet.</p>
  return (
    <>
      <p>{kpi.measurement}</p>
      {p.inputs.length > 0 ? (
        <ul>
          {p.inputs.map((input) => (
            <li key={input.slug}>
              <Link to={`/datasets/${input.slug}`}>{input.title}</Link> version {input.version},
              published {formatDateTime(input.publishedAt)}
              {input.runId ? ` by Trusted Centre run ${input.runId}` : ''} ·{' '}
              <Link to={`/lineage?node=${encodeURIComponent(input.lineageNodeId)}`}>lineage</Link>
            </li>
          ))}
        </ul>
      ) : (
        <p>
          Measured by the platform from its own records
          {p.platformRecords
            ? `: ${Object.entries(p.platformRecords)
                .map(([k, v]) => `${v} ${k.replace(/([A-Z])/g, ' $1').toLowerCase()}`)
                .join(', ')}`
            : ''}
          .
        </p>
      )}
      <p className="note">
        Computation {p.computationId}, {formatDateTime(p.computedAt)} ({p.trigger}, by {p.actor}) ·{' '}
        <Link to={`/lineage?node=${encodeURIComponent(p.lineageNodeId)}`}>its lineage</Link> ·{' '}
        published in <Link to={`/datasets/${p.historyDataset.slug}`}>the KPI history dataset</Link>
        {p.historyDataset.version ? ` v${p.historyDataset.version}` : ''}
      </p>
      {p.sql && (
        <details>
          <summary>The SQL</summary>
          <pre>{p.sql}</pre>
        </details>
      )}
    </>
  )
}

/** One KPI: its trend against the target band, breakdown, and where the number comes from. */
export function KpiPage() {
  const number = Number(useParams().number)
  const kpi = useKpi(number)
  if (!Number.isInteger(number) || number < 1 || number > 15)
    return <EmptyState title="No such KPI">The Blueprint has KPIs 1 to 15.</EmptyState>
  if (kpi.isPending) return <Loading label="Loading the KPI…" />
  if (kpi.isError) return <ErrorState title="The KPI could not be loaded" error={kpi.error} />
  const k = kpi.data
  return (
    <section aria-labelledby="kpi-title" className="kpi-page">
      <p className="no-print">
        <Link to="/kpis">All KPIs</Link>
      </p>
      <h1 id="kpi-title">
        KPI {k.number}: {k.wording}
      </h1>
      <p className="note">{k.category}</p>
      {k.latest ? (
        <p className="kpi-value">
          {formatKpiValue(k.latest.value, k.unit)} in {k.latest.period}{' '}
          {k.latest.status && <KpiStatusBadge status={k.latest.status} />}
        </p>
      ) : (
        <p className="note">Not measured yet.</p>
      )}
      <p>
        Target: {k.targetText}
        {k.direction === 'down' ? ' (lower is better)' : ''}
      </p>
      <h2>Trend</h2>
      <TrendChart
        points={k.history}
        target={k.target}
        unit={k.unit}
        label={`KPI ${k.number} by ${k.period} against its target`}
      />
      <table aria-label={`Values by ${k.period}`}>
        <thead>
          <tr>
            <th scope="col">{k.period === 'quarter' ? 'Quarter' : 'Year'}</th>
            <th scope="col">Value</th>
            <th scope="col">Counted</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {k.history.map((h) => (
            <tr key={h.period}>
              <th scope="row">{h.period}</th>
              <td>{formatKpiValue(h.value, k.unit)}</td>
              <td>
                {h.numerator.toLocaleString('en-SG')} of {h.denominator.toLocaleString('en-SG')}
              </td>
              <td>
                {h.status && <KpiStatusBadge status={h.status} />}
                {h.closed ? '' : ` (${k.period} running)`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Breakdowns</h2>
      <Breakdown kpi={k} />
      <h2>Where does this number come from?</h2>
      <Provenance kpi={k} />
    </section>
  )
}
