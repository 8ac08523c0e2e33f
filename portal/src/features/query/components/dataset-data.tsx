import { Anchor, Box, Button, Group, Paper, Stack, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useId } from 'react'
import { Link } from 'react-router'
import { ErrorState, Loading } from '../../../components/ui/page-state.js'
import { unwrap } from '../../../lib/api-client.js'
import { useApi } from '../../../lib/api-context.js'
import { type QueryAnswer, useViews } from '../api/use-query.js'
import { AnswerTable } from './query-results.js'

const FORMATS = [
  ['csv', 'CSV'],
  ['parquet', 'Parquet'],
  ['arrow', 'Arrow'],
  ['json', 'NDJSON'],
] as const

/**
 * What the reader can do with the data itself: download the full version (Official (Open) data,
 * or under a grant), or preview and download the de-identified sample, and open either in the
 * workbench. Asks the query service, which knows the reader's entitlements.
 */
export function DatasetData({ slug }: { slug: string }) {
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
        <DataChoices slug={slug} views={views.data} />
      )}
    </Box>
  )
}

function DataChoices({
  slug,
  views,
}: {
  slug: string
  views: NonNullable<ReturnType<typeof useViews>['data']>
}) {
  const mine = views.filter((v) => v.dataset.slug === slug)
  const full = mine.find((v) => v.scope === 'full')
  const sample = mine.find((v) => v.scope === 'sample')
  if (!full && !sample)
    return (
      <Text c="dimmed">
        No sample of this dataset is published for you. Use “Request access” to ask for the data.
      </Text>
    )
  return (
    <Stack gap="md">
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
          />
          <SamplePreview view={sample.name} />
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
}: {
  title: string
  href: (format: string) => string
  view: string
}) {
  const id = useId()
  return (
    <Paper withBorder p="sm">
      <Group gap="sm" wrap="wrap" role="group" aria-labelledby={id}>
        <Text id={id} fw={700}>
          {title}:
        </Text>
        {FORMATS.map(([format, label]) => (
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

function SamplePreview({ view }: { view: string }) {
  const api = useApi()
  const preview = useQuery({
    queryKey: ['query', 'preview', view],
    queryFn: async () =>
      unwrap<QueryAnswer>(
        await api.api.query.$post({
          json: { sql: `SELECT * FROM ${view} LIMIT 10`, format: 'json' },
        }),
      ),
  })
  if (preview.isPending) return <Loading label="Loading the sample…" />
  if (preview.isError)
    return <ErrorState title="The sample could not be shown" error={preview.error} />
  return (
    <AnswerTable
      answer={preview.data}
      caption={`First ${preview.data.rowCount} rows of the sample`}
    />
  )
}
