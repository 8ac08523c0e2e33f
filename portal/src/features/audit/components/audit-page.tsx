import { ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatDateTime } from '../../../lib/format.js'
import { useAuditEntries, useAuditVerification } from '../api/use-audit.js'

/** The audit trail for auditors, with the hash chain's verification status and an export. */
export function AuditPage() {
  const verification = useAuditVerification()
  const entries = useAuditEntries()
  return (
    <section aria-labelledby="audit-heading">
      <h1 id="audit-heading">Audit trail</h1>
      <p className="lede">
        Every sign-in, token use and decision, in order. Each entry carries the hash of the one
        before, so any change to a past entry is detected.
      </p>
      {verification.isPending ? (
        <Loading label="Verifying the hash chain…" />
      ) : verification.isError ? (
        <ErrorState title="The chain could not be verified" error={verification.error} />
      ) : verification.data.ok ? (
        <p className="notice notice-success" role="status">
          Chain verified: {verification.data.entries} entries intact.
        </p>
      ) : (
        <p className="notice notice-error" role="alert">
          Chain broken at entry {verification.data.firstBadSeq}: {verification.data.problem}
        </p>
      )}
      <p>
        <a href="/api/audit/export" download>
          Export the whole trail (NDJSON)
        </a>
      </p>
      {entries.isPending ? (
        <Loading label="Loading entries…" />
      ) : entries.isError ? (
        <ErrorState title="The trail could not be loaded" error={entries.error} />
      ) : (
        <>
          <table>
            <caption>Newest first</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Outcome</th>
                <th scope="col">Subject</th>
              </tr>
            </thead>
            <tbody>
              {entries.data.pages.flat().map((entry) => (
                <tr key={entry.seq}>
                  <th scope="row">{entry.seq}</th>
                  <td>{formatDateTime(entry.occurredAt)}</td>
                  <td>{entry.actor}</td>
                  <td>
                    <code>{entry.action}</code>
                  </td>
                  <td>{entry.outcome}</td>
                  <td>{entry.subjectType ? `${entry.subjectType} ${entry.subjectId}` : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {entries.hasNextPage && (
            <button
              type="button"
              onClick={() => entries.fetchNextPage()}
              disabled={entries.isFetchingNextPage}
            >
              Load older entries
            </button>
          )}
        </>
      )}
    </section>
  )
}
