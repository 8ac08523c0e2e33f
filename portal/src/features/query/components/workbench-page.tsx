import { sql as sqlLanguage } from '@codemirror/lang-sql'
import { Box, Button, Grid, Group, Paper, Stack, Text, Title } from '@mantine/core'
import CodeMirror, { EditorView, keymap, Prec } from '@uiw/react-codemirror'
import { type ReactNode, useId, useMemo, useState } from 'react'
import { useSearchParams } from 'react-router'
import { ErrorState, Loading } from '../../../components/ui/page-state.js'
import { ApiError } from '../../../lib/api-client.js'
import { useApi } from '../../../lib/api-context.js'
import {
  downloadQuery,
  type FileFormat,
  useCancelQuery,
  useQueryHistory,
  useRunQuery,
  useViews,
} from '../api/use-query.js'
import { aggregateViewsIn, starterQuery } from './aggregate-views.js'
import { AnswerPanel } from './answer-panel.js'
import { OutputCheckRefusal, parseRefusal } from './output-check-refusal.js'
import { QueryHistory } from './query-history.js'
import { ViewList } from './view-list.js'

const FORMATS: readonly (readonly [FileFormat, string])[] = [
  ['csv', 'CSV'],
  ['parquet', 'Parquet'],
  ['arrow', 'Arrow'],
  ['ndjson', 'NDJSON'],
]

/**
 * The query workbench: an SQL editor that completes the caller's view names and columns, beside
 * their views (searchable, grouped, granted first); below, across the page, the answer (timed,
 * paged, charted), downloads, cancel, and the caller's own history, previews apart. The SQL lives
 * in the URL, so a query can be shared or bookmarked.
 */
export function WorkbenchPage({
  saveQuery,
  savedQueries,
}: {
  /** A way to save the SQL written (the saved queries' dialog), composed by the app. */
  saveQuery?: (sql: string) => ReactNode
  /** The person's saved queries, shown above their history. */
  savedQueries?: ReactNode
} = {}) {
  const ids = useId()
  const [params, setParams] = useSearchParams()
  const [text, setText] = useState(params.get('sql') ?? '')
  const views = useViews()
  const history = useQueryHistory()
  const previews = useQueryHistory('previews')
  const run = useRunQuery()
  const cancel = useCancelQuery()
  const api = useApi()
  const [runningId, setRunningId] = useState<string | undefined>()
  const [downloading, setDownloading] = useState<FileFormat | undefined>()
  const [downloadError, setDownloadError] = useState<unknown>()
  const schema = useMemo(
    () => Object.fromEntries((views.data ?? []).map((v) => [v.name, v.columns.map((c) => c.name)])),
    [views.data],
  )
  // Answers over an aggregate-only view leave only as checked JSON: no file to download.
  const aggregateOnly = aggregateViewsIn(text, views.data ?? []).map((v) => v.name)

  const execute = (sql = text) => {
    if (!sql.trim()) return
    const id = `q_${crypto.randomUUID()}`
    setRunningId(id)
    setParams({ sql }, { replace: true })
    run.mutate({ sql, id }, { onSettled: () => setRunningId(undefined) })
  }
  const download = (format: FileFormat) => {
    setDownloadError(undefined)
    setDownloading(format)
    downloadQuery(api, text, format)
      .catch(setDownloadError)
      .finally(() => setDownloading(undefined))
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
  // The editable area is a contenteditable, which a <label> cannot name: it points at the label.
  // An explicit tab stop, so the scrolling region around it counts as keyboard-reachable.
  const labelled = EditorView.contentAttributes.of({
    tabindex: '0',
    'aria-labelledby': `${ids}-label`,
    'aria-describedby': `${ids}-hint`,
  })

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>Query workbench</Title>
        <Text c="dimmed" mt={4}>
          SQL over the data you may read: Official (Open) datasets in full, samples of others, and
          what your approved requests grant. Direct identifiers are masked unless a grant shows
          them.
        </Text>
      </div>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            <div>
              <Text id={`${ids}-label`} fw={600} size="sm" mb={4}>
                SQL
              </Text>
              <Paper withBorder style={{ overflow: 'hidden' }}>
                <CodeMirror
                  value={text}
                  height="10rem"
                  indentWithTab={false}
                  extensions={[sqlLanguage({ schema, upperCaseKeywords: true }), runKey, labelled]}
                  onChange={setText}
                />
              </Paper>
              <Text id={`${ids}-hint`} size="xs" c="dimmed" mt={4}>
                Ctrl+Enter (⌘+Enter on a Mac) runs the query. Names of your views and their columns
                complete as you type.
              </Text>
            </div>
            <Group gap="sm" wrap="wrap" justify="space-between">
              <Group gap="sm" wrap="wrap">
                <Button onClick={() => execute()} disabled={run.isPending}>
                  Run (Ctrl+Enter)
                </Button>
                {runningId && (
                  <Button variant="outline" color="red.9" onClick={() => cancel.mutate(runningId)}>
                    Cancel
                  </Button>
                )}
                {saveQuery?.(text)}
              </Group>
              <Group
                gap="xs"
                wrap="wrap"
                role="group"
                aria-label="Download the whole answer"
                aria-describedby={aggregateOnly.length > 0 ? `${ids}-json-only` : undefined}
              >
                {FORMATS.map(([format, label]) => (
                  <Button
                    key={format}
                    variant="default"
                    size="sm"
                    disabled={
                      !text.trim() ||
                      aggregateOnly.length > 0 ||
                      (downloading !== undefined && downloading !== format)
                    }
                    loading={downloading === format}
                    onClick={() => download(format)}
                  >
                    Download {label}
                  </Button>
                ))}
              </Group>
            </Group>
            {aggregateOnly.length > 0 && (
              <Text id={`${ids}-json-only`} size="sm" c="dimmed">
                No downloads: {aggregateOnly.join(' and ')}{' '}
                {aggregateOnly.length === 1 ? 'is' : 'are'} for aggregates only, so answers come as
                JSON here, each checked before it is shown. Run the query to see it.
              </Text>
            )}
            {downloadError !== undefined && (
              <ErrorState title="The download failed" error={downloadError} />
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          {/* A side panel of its own height: the answer below keeps the page's whole width. */}
          <Box mah="36rem" style={{ overflowY: 'auto' }} pr="xs">
            <ViewList views={views} onPick={(view) => setText(starterQuery(view))} />
          </Box>
        </Grid.Col>
      </Grid>
      {run.isPending ? (
        <Loading label="Running…" />
      ) : run.isError ? (
        <QueryError error={run.error} sql={text} />
      ) : run.data ? (
        <AnswerPanel key={run.data.id} answer={run.data} />
      ) : (
        <Text c="dimmed">
          Write a query, or pick one of your views, then run it. The answer shows here.
        </Text>
      )}
      {savedQueries}
      <QueryHistory history={history} previews={previews} onPick={setText} />
    </Stack>
  )
}

/**
 * DuckDB's message, with the line and column when the error names a place; an output-check
 * refusal rule by rule, its cells listed.
 */
function QueryError({ error, sql }: { error: unknown; sql: string }) {
  const message = error instanceof Error ? error.message : String(error)
  const refusal =
    error instanceof ApiError && error.code === 'query_refused' ? parseRefusal(message) : undefined
  if (refusal) return <OutputCheckRefusal refusal={refusal} />
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
