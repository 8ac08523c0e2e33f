import { sql as sqlLanguage } from '@codemirror/lang-sql'
import CodeMirror, { keymap, Prec } from '@uiw/react-codemirror'
import { useMemo, useState } from 'react'
import { useSearchParams } from 'react-router'
import { EmptyState, ErrorState, Loading } from '../../../components/ui/page-state.js'
import { useApi } from '../../../lib/api-context.js'
import { formatCount, formatDateTime } from '../../../lib/format.js'
import {
  downloadQuery,
  type FileFormat,
  type QueryAnswer,
  useCancelQuery,
  useQueryHistory,
  useRunQuery,
  useViews,
} from '../api/use-query.js'

const FORMATS: FileFormat[] = ['csv', 'parquet', 'arrow', 'ndjson']

/**
 * The query workbench: the caller's views, an SQL editor that completes their names and columns,
 * results with types, downloads, history and cancel. The SQL lives in the URL, so a query can be
 * shared or bookmarked.
 */
export function WorkbenchPage() {
  const [params, setParams] = useSearchParams()
  const [text, setText] = useState(params.get('sql') ?? '')
  const views = useViews()
  const history = useQueryHistory()
  const run = useRunQuery()
  const cancel = useCancelQuery()
  const api = useApi()
  const [runningId, setRunningId] = useState<string | undefined>()
  const [downloadError, setDownloadError] = useState<unknown>()
  const schema = useMemo(
    () => Object.fromEntries((views.data ?? []).map((v) => [v.name, v.columns.map((c) => c.name)])),
    [views.data],
  )

  const execute = (sql = text) => {
    if (!sql.trim()) return
    const id = `q_${crypto.randomUUID()}`
    setRunningId(id)
    setParams({ sql }, { replace: true })
    run.mutate({ sql, id }, { onSettled: () => setRunningId(undefined) })
  }
  const runKey = Prec.highest(
    keymap.of([
      {
        key: 'Mod-Enter',
        run: (view) => {
          execute(view.state.doc.toString())
          return true
        },
      },
    ]),
  )

  return (
    <section aria-labelledby="workbench-heading" className="workbench">
      <h1 id="workbench-heading">Query workbench</h1>
      <p className="lede">
        SQL over the data you may read: Official (Open) datasets in full, samples of others, and
        what your approved requests grant. Direct identifiers are masked unless a grant shows them.
      </p>
      <div className="workbench-grid">
        <aside aria-label="Your views">
          <h2>Your views</h2>
          {views.isPending ? (
            <Loading label="Loading your views…" />
          ) : views.isError ? (
            <ErrorState title="Your views could not be loaded" error={views.error} />
          ) : views.data.length === 0 ? (
            <EmptyState title="No views yet">Nothing you may query has been published.</EmptyState>
          ) : (
            <ul className="views">
              {views.data.map((v) => (
                <li key={v.name}>
                  <button
                    type="button"
                    className="link"
                    onClick={() => setText(`SELECT * FROM ${v.name} LIMIT 100`)}
                  >
                    {v.name}
                  </button>{' '}
                  <small>
                    {v.scope === 'sample' ? 'sample' : v.basis === 'grant' ? 'granted' : 'open'}
                  </small>
                  <ul aria-label={`Columns of ${v.name}`}>
                    {v.columns.map((c) => (
                      <li key={c.name}>
                        <code>{c.name}</code> <small>{c.type}</small>
                        {c.masked && (
                          <span className="badge badge-pd-direct-identifier">masked</span>
                        )}
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          )}
        </aside>
        <div>
          <div className="editor-box">
            <CodeMirror
              value={text}
              height="10rem"
              aria-label="SQL"
              extensions={[sqlLanguage({ schema, upperCaseKeywords: true }), runKey]}
              onChange={setText}
            />
          </div>
          <div className="actions">
            <button type="button" onClick={() => execute()} disabled={run.isPending}>
              Run (Ctrl+Enter)
            </button>
            {runningId && (
              <button type="button" className="secondary" onClick={() => cancel.mutate(runningId)}>
                Cancel
              </button>
            )}
            {FORMATS.map((format) => (
              <button
                key={format}
                type="button"
                className="secondary"
                disabled={!text.trim()}
                onClick={() => {
                  setDownloadError(undefined)
                  downloadQuery(api, text, format).catch(setDownloadError)
                }}
              >
                Download {format.toUpperCase()}
              </button>
            ))}
          </div>
          {downloadError !== undefined && (
            <ErrorState title="The download failed" error={downloadError} />
          )}
          {run.isPending ? (
            <Loading label="Running…" />
          ) : run.isError ? (
            <QueryError error={run.error} sql={text} />
          ) : run.data ? (
            <Results answer={run.data} />
          ) : null}
          <h2>History</h2>
          {history.data && history.data.length > 0 ? (
            <ol className="history">
              {history.data.slice(0, 10).map((h) => (
                <li key={h.id}>
                  <button type="button" className="link" onClick={() => setText(h.sql)}>
                    <code>{h.sql.length > 80 ? `${h.sql.slice(0, 80)}…` : h.sql}</code>
                  </button>{' '}
                  <small>
                    {formatDateTime(h.startedAt)} · {h.status}
                    {h.rows !== null && h.rows !== undefined && ` · ${formatCount(h.rows)} rows`}
                  </small>
                </li>
              ))}
            </ol>
          ) : (
            <p className="note">Your queries will be listed here.</p>
          )}
        </div>
      </div>
    </section>
  )
}

function Results({ answer }: { answer: QueryAnswer }) {
  return (
    <div className="results">
      <p role="status">
        {formatCount(answer.rowCount)} {answer.rowCount === 1 ? 'row' : 'rows'}
        {answer.truncated && ' (cut at the row limit: download the full answer)'}
      </p>
      <div className="scroll">
        <table>
          <caption className="visually-hidden">Query results</caption>
          <thead>
            <tr>
              {answer.columns.map((c, i) => (
                // Columns of an answer may repeat a name; their place is their identity.
                // biome-ignore lint/suspicious/noArrayIndexKey: see above
                <th key={i} scope="col">
                  {c.name} <small>{c.type}</small>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {answer.rows.map((row, r) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own
              <tr key={r}>
                {row.map((value, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: see above
                  <td key={i}>
                    {value === null ? (
                      <em>null</em>
                    ) : typeof value === 'object' ? (
                      JSON.stringify(value)
                    ) : (
                      String(value)
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}

/** DuckDB's message, with the line and column when the error names a place. */
function QueryError({ error, sql }: { error: unknown; sql: string }) {
  const message = error instanceof Error ? error.message : String(error)
  const near = /at or near "([^"]+)"/.exec(message)?.[1]
  const at = near ? sql.indexOf(near) : -1
  const where =
    at >= 0
      ? (() => {
          const before = sql.slice(0, at).split('\n')
          return ` (line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1})`
        })()
      : ''
  return <ErrorState title={`The query did not run${where}`} error={error} />
}
