import { Anchor, Box, Button, Code, Group, Paper, Stack, Text, Title } from '@mantine/core'
import { type ReactNode, useId } from 'react'
import { Link } from 'react-router'
import { ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatQuantity } from '../../../lib/format.js'
import { useViews, type ViewInfo } from '../api/use-query.js'
import { useSamplePreview } from '../api/use-sample-preview.js'
import { AGGREGATE_HINT, exampleAggregateQuery } from './aggregate-views.js'
import { AnswerTable } from './query-results.js'

const FORMATS: readonly (readonly [string, string])[] = [
  ['csv', 'CSV'],
  ['parquet', 'Parquet'],
  ['arrow', 'Arrow'],
  ['json', 'NDJSON'],
]
/** A sample also comes as a zip: its rows as CSV, with sample-report.json and a README. */
const SAMPLE_FORMATS = [...FORMATS, ['zip', 'Sample with its report (zip)']] as const

/**
 * What the reader can do with the data itself: download the full version (Official (Open) data,
 * or under a grant), or preview and download the de-identified sample, and open either in the
 * workbench. Asks the query service, which knows the reader's entitlements. `explainSample`, from
 * the dataset page, says how a version's sample was made (the current version's without one).
 */
export function DatasetData({
  slug,
  explainSample,
}: {
  slug: string
  explainSample?: (version?: number) => ReactNode
}) {
  const views = useViews()
  return (
    <Box component="section" aria-labelledby="data-heading" my="lg">
      <Title order={2} id="data-heading" mb="xs">
        Data
      </Title>
      {views.isPending ? (
        <Loading label="Checking what you may download…" />
      ) : views.isError ? (
        <ErrorState title="Downloads could not be checked" error={views.error} />
      ) : (
        <DataChoices slug={slug} views={views.data} explainSample={explainSample} />
      )}
    </Box>
  )
}

function DataChoices({
  slug,
  views,
  explainSample,
}: {
  slug: string
  views: NonNullable<ReturnType<typeof useViews>['data']>
  explainSample: ((version?: number) => ReactNode) | undefined
}) {
  const mine = views.filter((v) => v.dataset.slug === slug)
  const full = mine.find((v) => v.scope === 'full')
  const sample = mine.find((v) => v.scope === 'sample')
  const aggregates = mine.find((v) => v.scope === 'aggregates')
  // Without a sample to show, the current version may still say why it has none.
  if (!full && !sample && !aggregates)
    return (
      <Stack gap="sm">
        <Text c="dimmed">
          No sample of this dataset is published for you. Ask for the data with “Request access” on
          the Overview or Access tab.
        </Text>
        {explainSample?.()}
      </Stack>
    )
  return (
    <Stack gap="md">
      {aggregates && !full && <AggregateAccess view={aggregates} />}
      {full && (
        <Downloads
          title={full.basis === 'grant' ? 'Full data (your grant)' : 'Full data (Official (Open))'}
          href={(format) =>
            `/api/datasets/${slug}/versions/${full.version}/extract?format=${format}`
          }
          view={full.name}
        />
      )}
      {sample && (
        <>
          <Downloads
            title="De-identified sample"
            href={(format) =>
              `/api/datasets/${slug}/versions/${sample.version}/sample?format=${format}`
            }
            view={sample.name}
            formats={SAMPLE_FORMATS}
          />
          {explainSample?.(sample.version ?? undefined)}
          {sample.version !== null && <SamplePreview slug={slug} version={sample.version} />}
        </>
      )}
    </Stack>
  )
}

/** One version of the data: a download per file format, and a way into the workbench. */
function Downloads({
  title,
  href,
  view,
  formats = FORMATS,
}: {
  title: string
  href: (format: string) => string
  view: string
  formats?: readonly (readonly [string, string])[]
}) {
  const id = useId()
  return (
    <Paper withBorder p="sm">
      <Group gap="sm" wrap="wrap" role="group" aria-labelledby={id}>
        <Text id={id} fw={700}>
          {title}:
        </Text>
        {formats.map(([format, label]) => (
          <Button
            key={format}
            component="a"
            href={href(format)}
            download
            variant="default"
            size="xs"
          >
            {label}
          </Button>
        ))}
        <Anchor
          component={Link}
          to={`/query?sql=${encodeURIComponent(`SELECT * FROM ${view} LIMIT 100`)}`}
          size="sm"
        >
          Open in the workbench
        </Anchor>
      </Group>
    </Paper>
  )
}

/** The sample's first rows, read from the file kept beside it: showing them runs no query. */
function SamplePreview({ slug, version }: { slug: string; version: number }) {
  const preview = useSamplePreview(slug, version)
  if (preview.isPending) return <Loading label="Loading the sample…" />
  if (preview.isError)
    return <ErrorState title="The sample could not be shown" error={preview.error} />
  return (
    <AnswerTable
      answer={preview.data}
      caption={`First ${formatQuantity(preview.data.rowCount, 'row')} of the sample`}
    />
  )
}

/** A grant of aggregates only: nothing to download, answers in the workbench once checked. */
function AggregateAccess({ view }: { view: ViewInfo }) {
  return (
    <Paper withBorder p="sm">
      <Stack gap={4}>
        <Text fw={700}>Aggregates only (your grant)</Text>
        <Text size="sm">
          Query the view <Code>{view.name}</Code> in the workbench. {AGGREGATE_HINT}
        </Text>
        <Anchor
          component={Link}
          to={`/query?sql=${encodeURIComponent(exampleAggregateQuery(view))}`}
          size="sm"
        >
          Count people in the workbench
        </Anchor>
      </Stack>
    </Paper>
  )
}
