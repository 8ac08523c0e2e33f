import { Accordion, Anchor, Code, Text, Title } from '@mantine/core'
import { formatQuantity } from '../../../lib/format.js'

/** What a facet says in a few words, for the ones people look at most. */
function gist(key: string, facet: Record<string, unknown>): string | undefined {
  const list = (name: string) => (Array.isArray(facet[name]) ? (facet[name] as unknown[]) : [])
  switch (key) {
    case 'schema':
      return `${list('fields').length} columns`
    case 'columnLineage':
      return `${Object.keys((facet.fields as object | undefined) ?? {}).length} columns traced`
    case 'outputStatistics':
    case 'dataQualityMetrics':
      return typeof facet.rowCount === 'number' ? formatQuantity(facet.rowCount, 'row') : undefined
    case 'dataQualityAssertions': {
      const assertions = list('assertions') as { success?: boolean }[]
      return `${assertions.filter((a) => a.success).length} of ${assertions.length} passed`
    }
    case 'sql':
      return typeof facet.query === 'string' ? facet.query.split('\n')[0]?.slice(0, 60) : undefined
    case 'version':
      return typeof facet.datasetVersion === 'string' ? `v${facet.datasetVersion}` : undefined
    case 'symlinks':
      return `${list('identifiers').length} other names`
    case 'errorMessage':
      return typeof facet.message === 'string' ? facet.message.slice(0, 80) : undefined
    case 'jobType':
      return [facet.processingType, facet.jobType].filter(Boolean).join(' · ')
    default:
      return undefined
  }
}

/**
 * A node's OpenLineage facets, one disclosure each: a few words up front, the whole facet on
 * opening, and who produced it against which schema.
 */
export function FacetList({
  facets,
  level,
}: {
  facets: Record<string, unknown>
  /** The level of the "Facets" heading. */
  level: 3 | 4
}) {
  const entries = Object.entries(facets).filter(
    (entry): entry is [string, Record<string, unknown>] =>
      typeof entry[1] === 'object' && entry[1] !== null,
  )
  if (entries.length === 0) return <Text c="dimmed">No facets reported.</Text>
  return (
    <div>
      <Title order={level} size="h5" mb={4}>
        Facets
      </Title>
      <Accordion multiple variant="contained" chevronPosition="left">
        {entries.map(([key, facet]) => {
          const { _producer, _schemaURL, ...content } = facet
          const summary = gist(key, facet)
          return (
            <Accordion.Item key={key} value={key}>
              <Accordion.Control>
                <Text span fw={600} size="sm">
                  {key}
                </Text>
                {summary ? (
                  <Text span c="dimmed" size="sm">
                    {` · ${summary}`}
                  </Text>
                ) : null}
              </Accordion.Control>
              <Accordion.Panel>
                <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {JSON.stringify(content, null, 2)}
                </Code>
                <Text size="sm" c="dimmed" mt={4}>
                  {typeof _producer === 'string' ? `From ${_producer}` : 'Producer not given'}
                  {/* Facets come from any producer: only a web address becomes a link. */}
                  {typeof _schemaURL === 'string' && /^https?:\/\//i.test(_schemaURL) ? (
                    <>
                      {' · '}
                      <Anchor href={_schemaURL} rel="noreferrer" target="_blank" size="sm">
                        schema
                      </Anchor>
                    </>
                  ) : null}
                </Text>
              </Accordion.Panel>
            </Accordion.Item>
          )
        })}
      </Accordion>
    </div>
  )
}
