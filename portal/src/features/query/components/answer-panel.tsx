import { Box, Button, Group, Tabs, Text, Title } from '@mantine/core'
import { useState } from 'react'
import type { TimedAnswer } from '../api/use-query.js'
import { AnswerChart } from './answer-chart.js'
import { elapsedText, PAGE_SIZE, pageCountOf, pageText } from './answer-paging.js'
import { QueryNotes } from './query-notes.js'
import { AnswerTable } from './query-results.js'

/**
 * A workbench answer across the page: how long it took, which rows a page shows of how many
 * (saying so when the row limit cut it), the rows a page at a time, and a quick chart.
 */
export function AnswerPanel({
  answer,
}: {
  /** Notes are optional: a saved query's answer may come without them. */
  answer: TimedAnswer
}) {
  const [page, setPage] = useState(0)
  const pages = pageCountOf(answer.rowCount)
  return (
    <Box component="section" aria-labelledby="results-heading">
      <Title order={2} id="results-heading" size="h3">
        Results
      </Title>
      <Text role="status">
        <span>{pageText(page, answer.rowCount, answer.truncated)}</span> ·{' '}
        <span>{elapsedText(answer.elapsedMs)}</span>
      </Text>
      {answer.truncated && (
        <Text size="sm" c="dimmed">
          The answer has more rows than shown here: download it for every row.
        </Text>
      )}
      <QueryNotes notes={answer.notes} />
      <Tabs defaultValue="table" mt="xs" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="table">Table</Tabs.Tab>
          <Tabs.Tab value="chart">Chart</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="table" pt="xs">
          <AnswerTable
            answer={answer}
            caption="Query results"
            captionHidden
            page={{ index: page, size: PAGE_SIZE }}
          />
          {pages > 1 && (
            <Group gap="sm" mt="xs" role="group" aria-label="Pages of the results">
              <Button
                variant="default"
                size="xs"
                disabled={page === 0}
                onClick={() => setPage(page - 1)}
              >
                Previous {PAGE_SIZE} rows
              </Button>
              <Text size="sm">
                Page {page + 1} of {pages}
              </Text>
              <Button
                variant="default"
                size="xs"
                disabled={page >= pages - 1}
                onClick={() => setPage(page + 1)}
              >
                Next {PAGE_SIZE} rows
              </Button>
            </Group>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="chart" pt="xs">
          <AnswerChart answer={answer} />
        </Tabs.Panel>
      </Tabs>
    </Box>
  )
}
