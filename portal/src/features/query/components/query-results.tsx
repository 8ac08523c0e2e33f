import { Text } from '@mantine/core'
import { useMemo } from 'react'
import { type DataColumn, DataTable } from '../../../components/ui/data-table.js'
import type { QueryAnswer } from '../api/use-query.js'

interface AnswerRow {
  key: string
  values: unknown[]
}

/** How a value sorts: numbers as numbers, everything else as its text. */
function sortValueOf(value: unknown): string | number | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'number') return value
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

function cellOf(value: unknown) {
  if (value === null || value === undefined)
    return (
      <Text span fs="italic" c="dimmed" size="sm">
        null
      </Text>
    )
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

/**
 * An answer as a table whose headers say each column's name and type ("n BIGINT"). Rows and
 * columns have no identity of their own: their place is their key.
 */
export function AnswerTable({
  answer,
  caption,
  captionHidden = false,
  page,
}: {
  answer: Pick<QueryAnswer, 'columns' | 'rows'>
  caption: string
  captionHidden?: boolean
  /** One page of the rows (counted from 0), once sorted; all of them without it. */
  page?: { index: number; size: number }
}) {
  const columns = useMemo(
    () =>
      answer.columns.map(
        (c, i): DataColumn<AnswerRow> => ({
          id: `c${i}`,
          header: (
            <>
              {c.name}{' '}
              <Text span size="xs" c="dimmed" fw={400}>
                {c.type}
              </Text>
            </>
          ),
          sortValue: (row) => sortValueOf(row.values[i]),
          cell: (row) => cellOf(row.values[i]),
          align: /INT|DOUBLE|FLOAT|DECIMAL|REAL|NUMERIC/i.test(c.type) ? 'right' : 'left',
        }),
      ),
    [answer.columns],
  )
  const rows = useMemo(
    () => answer.rows.map((values, i): AnswerRow => ({ key: String(i), values })),
    [answer.rows],
  )
  return (
    <DataTable
      caption={caption}
      captionHidden={captionHidden}
      columns={columns}
      rows={rows}
      rowKey={(row) => row.key}
      page={page}
    />
  )
}
