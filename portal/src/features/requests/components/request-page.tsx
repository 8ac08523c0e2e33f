import { type FormEvent, useId, useState } from 'react'
import { Link, useParams } from 'react-router'
import { ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatDateTime } from '../../../lib/format.js'
import { useMe } from '../../../lib/use-me.js'
import {
  type RequestDetail,
  useDatasetColumns,
  useRequest,
  useRequestStep,
} from '../api/use-requests.js'
import { RevokeGrant } from './revoke-grant.js'
import { ServiceLevelBadge, StatusBadge } from './service-level-badge.js'

/** One request: what was asked and why, its clock and history, and the steps the reader may take. */
export function RequestPage() {
  const { id = '' } = useParams()
  const request = useRequest(id)
  const me = useMe()
  if (request.isPending) return <Loading label="Loading the request…" />
  if (request.isError)
    return (
      <ErrorState
        title="This request could not be shown"
        error={request.error}
        action={<Link to="/requests">Back to data requests</Link>}
      />
    )
  const r = request.data
  const steward =
    me.data?.user.roles.includes('steward') && me.data.user.agency.code === r.dataset.agency
  return (
    <article aria-labelledby="request-heading">
      <p className="crumbs">
        <Link to="/requests">Data requests</Link> / {r.id}
      </p>
      <h1 id="request-heading">Request for {r.dataset.title}</h1>
      <p className="meta">
        <StatusBadge status={r.status} /> <ServiceLevelBadge level={r.serviceLevel} />
      </p>
      <dl className="facts">
        <div>
          <dt>Dataset</dt>
          <dd>
            <Link to={`/datasets/${r.dataset.slug}`}>{r.dataset.slug}</Link> ({r.dataset.agency})
          </dd>
        </div>
        <div>
          <dt>Requester</dt>
          <dd>
            {r.requester.username} ({r.requester.agency})
          </dd>
        </div>
        <div>
          <dt>Columns</dt>
          <dd>{r.columns ? r.columns.join(', ') : 'All columns'}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{r.durationDays} days</dd>
        </div>
        <div>
          <dt>Legal basis</dt>
          <dd>{r.legalBasis}</dd>
        </div>
        <div>
          <dt>Project</dt>
          <dd>
            {r.project
              ? `${r.project.name}${r.project.partnerAgencies.length ? ` with ${r.project.partnerAgencies.join(', ')}` : ''}`
              : 'None named'}
            {r.crossAgency ? ' · cross-agency' : ''}
          </dd>
        </div>
        <div>
          <dt>Approvals</dt>
          <dd>
            {r.approvals.length} of {r.approvalsNeeded}
            {r.approvals.length > 0 && ` (${r.approvals.map((a) => a.steward).join(', ')})`}
          </dd>
        </div>
      </dl>
      <h2>Purpose</h2>
      <p>{r.purpose}</p>
      {r.question && r.state === 'needs-info' && (
        <p className="panel" role="note">
          <strong>The steward asks:</strong> {r.question}
        </p>
      )}
      {r.decisionReason && (
        <p className="panel" role="note">
          <strong>Reason:</strong> {r.decisionReason}
        </p>
      )}
      {r.grant && (
        <section aria-labelledby="grant-heading" className="panel">
          <h2 id="grant-heading">Access granted</h2>
          <p>
            {r.grant.columns ? `Columns ${r.grant.columns.join(', ')}` : 'All columns'}
            {r.grant.rowFilter.length > 0 &&
              `, rows where ${r.grant.rowFilter.map(conditionText).join(' and ')}`}
            , until {formatDateTime(r.grant.expiresAt)}. Approved by{' '}
            {r.grant.grantedBy.join(' and ')}.
          </p>
          {r.grant.revoked && (
            <p>
              Revoked by {r.grant.revoked.by} on {formatDateTime(r.grant.revoked.at)}:{' '}
              {r.grant.revoked.reason}
            </p>
          )}
          {steward && r.grant.status === 'active' && <RevokeGrant grantId={r.grant.id} />}
        </section>
      )}
      <Steps request={r} />
      <h2>History</h2>
      <ol className="history">
        {(r.history ?? []).map((h, i) => (
          // The history only grows; its order is its identity.
          // biome-ignore lint/suspicious/noArrayIndexKey: entries have no id of their own
          <li key={i}>
            {formatDateTime(h.at)}: <strong>{h.action}</strong> by {h.actor}
            {typeof h.details.reason === 'string' && ` (${h.details.reason})`}
            {typeof h.details.question === 'string' && `: “${h.details.question}”`}
            {typeof h.details.answer === 'string' && `: “${h.details.answer}”`}
          </li>
        ))}
      </ol>
    </article>
  )
}

type RowFilter = NonNullable<RequestDetail['grant']>['rowFilter'][number]

/** A row condition in words: "planning_area_code is one of BEDOK, TAMPINES". */
function conditionText(c: RowFilter): string {
  return 'values' in c
    ? `${c.column} is one of ${c.values.join(', ')}`
    : `${c.column} ${c.op} ${c.value}`
}

/** The forms for the steps the API says this reader may take now. */
function Steps({ request }: { request: RequestDetail }) {
  const allowed = new Set(request.allowedActions)
  if (allowed.size === 0) return null
  return (
    <section aria-labelledby="steps-heading">
      <h2 id="steps-heading">What you can do</h2>
      <div className="steps">
        {allowed.has('approve') && <ApproveForm request={request} />}
        {allowed.has('ask-info') && (
          <TextStep
            request={request}
            action="ask-info"
            label="Ask for information"
            field="question"
            submit="Ask the requester"
          />
        )}
        {allowed.has('reject') && (
          <TextStep
            request={request}
            action="reject"
            label="Reject"
            field="reason"
            submit="Reject"
          />
        )}
        {allowed.has('resubmit') && (
          <TextStep
            request={request}
            action="resubmit"
            label="Answer the steward"
            field="answer"
            submit="Send answer"
          />
        )}
        {allowed.has('withdraw') && <WithdrawStep request={request} />}
      </div>
    </section>
  )
}

function TextStep({
  request,
  action,
  label,
  field,
  submit,
}: {
  request: RequestDetail
  action: 'reject' | 'ask-info' | 'resubmit'
  label: string
  field: 'reason' | 'question' | 'answer'
  submit: string
}) {
  const id = useId()
  const step = useRequestStep(request.id)
  const [text, setText] = useState('')
  function send(event: FormEvent) {
    event.preventDefault()
    const value = text.trim()
    if (action === 'reject') step.mutate({ action, body: { reason: value } })
    else if (action === 'ask-info') step.mutate({ action, body: { question: value } })
    else step.mutate({ action, body: { answer: value } })
  }
  return (
    <form className="panel editor" onSubmit={send} aria-label={label}>
      <h3>{label}</h3>
      <label htmlFor={id}>{field[0]?.toUpperCase() + field.slice(1)}</label>
      <textarea id={id} value={text} onChange={(e) => setText(e.target.value)} rows={3} required />
      <div className="actions">
        <button type="submit" disabled={step.isPending}>
          {submit}
        </button>
      </div>
      {step.isError && <ErrorState title="Not done" error={step.error} />}
    </form>
  )
}

function WithdrawStep({ request }: { request: RequestDetail }) {
  const step = useRequestStep(request.id)
  return (
    <div className="panel">
      <h3>Withdraw</h3>
      <p>No longer needed? Withdrawing closes the request; stewards are told.</p>
      <button
        type="button"
        className="secondary"
        disabled={step.isPending}
        onClick={() => step.mutate({ action: 'withdraw', body: {} })}
      >
        Withdraw request
      </button>
      {step.isError && <ErrorState title="Not withdrawn" error={step.error} />}
    </div>
  )
}

/** Approve, narrowing the columns and the end date if the project needs less. */
function ApproveForm({ request }: { request: RequestDetail }) {
  const ids = useId()
  const step = useRequestStep(request.id)
  const all = useDatasetColumns(request.dataset.slug, request.columns === null)
  const requested = request.columns ?? all.data ?? []
  const [columns, setColumns] = useState<string[] | undefined>()
  const chosen = columns ?? requested
  const [until, setUntil] = useState('')
  const [filterColumn, setFilterColumn] = useState('')
  const [filterValues, setFilterValues] = useState('')
  const values = filterValues
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)
  function send(event: FormEvent) {
    event.preventDefault()
    step.mutate({
      action: 'approve',
      body: {
        ...(chosen.length < requested.length && { columns: chosen }),
        ...(filterColumn &&
          values.length > 0 && {
            rowFilter: [{ column: filterColumn, op: 'in' as const, values }],
          }),
        // The end of the chosen day in Singapore.
        ...(until && { expiresAt: `${until}T23:59:59+08:00` }),
      },
    })
  }
  return (
    <form className="panel editor" onSubmit={send} aria-label="Approve">
      <h3>Approve</h3>
      {request.approvalsNeeded > 1 && (
        <p>
          Sensitive-High: {request.approvalsNeeded} approvals by different stewards are needed; the
          grant takes the narrowest conditions.
        </p>
      )}
      <fieldset>
        <legend>Columns to share</legend>
        {requested.map((name) => (
          <label key={name} className="check">
            <input
              type="checkbox"
              checked={chosen.includes(name)}
              onChange={() =>
                setColumns(
                  chosen.includes(name) ? chosen.filter((c) => c !== name) : [...chosen, name],
                )
              }
            />
            <code>{name}</code>
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Rows to share (optional)</legend>
        <label htmlFor={`${ids}-filter-column`}>Only rows whose</label>
        <select
          id={`${ids}-filter-column`}
          value={filterColumn}
          onChange={(e) => setFilterColumn(e.target.value)}
        >
          <option value="">(all rows)</option>
          {requested.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        <label htmlFor={`${ids}-filter-values`}>is one of (comma-separated)</label>
        <input
          id={`${ids}-filter-values`}
          value={filterValues}
          onChange={(e) => setFilterValues(e.target.value)}
          disabled={!filterColumn}
          required={Boolean(filterColumn)}
          placeholder="e.g. BEDOK, TAMPINES"
        />
      </fieldset>
      <label htmlFor={`${ids}-until`}>
        Access until (optional; at most {request.durationDays} days)
      </label>
      <input
        id={`${ids}-until`}
        type="date"
        value={until}
        onChange={(e) => setUntil(e.target.value)}
      />
      <div className="actions">
        <button type="submit" disabled={step.isPending || chosen.length === 0}>
          Approve
        </button>
      </div>
      {step.isError && <ErrorState title="Not approved" error={step.error} />}
    </form>
  )
}
