import { Table, UnstyledButton, VisuallyHidden } from '@mantine/core'
import {
  type ColumnDef,
  createSortedRowModel,
  type RowData,
  rowSortingFeature,
  type SortingState,
  sortFn_alphanumeric,
  sortFn_basic,
  tableFeatures,
  useTable,
} from '@tanstack/react-table'
import { type ReactNode, useCallback, useMemo, useState } from 'react'

/** A column of a {@link DataTable}: what its header says and how a row fills its cell. */
export interface DataColumn<Row> {
  id: string
  header: ReactNode
  /** The cell's content; defaults to the sort value. */
  cell?: (row: Row) => ReactNode
  /** What the column sorts by; a column without one cannot be sorted. */
  sortValue?: (row: Row) => string | number | null
  align?: 'left' | 'right'
  /** A header shown only to screen readers (e.g. a column of action buttons). */
  headerHidden?: boolean
  /** The cell that names its row (a `th scope="row"`), read out with every other cell. */
  rowHeader?: boolean
}

const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, basic: sortFn_basic },
})

/**
 * The portal's table: a captioned, semantic table (TanStack Table for the model, Mantine for the
 * look), with sortable columns announced to screen readers through `aria-sort`, scrolling
 * sideways on a narrow screen instead of overflowing the page.
 */
export function DataTable<Row extends RowData>({
  caption,
  captionHidden = false,
  columns,
  rows,
  rowKey,
  initialSort,
  rowLabel,
  page,
}: {
  /** Names the table for everyone; also its accessible name. */
  caption: string
  captionHidden?: boolean
  columns: readonly DataColumn<Row>[]
  rows: readonly Row[]
  rowKey: (row: Row) => string
  initialSort?: { id: string; desc?: boolean }
  /** An accessible label for each row, when its first cell does not say enough. */
  rowLabel?: (row: Row) => string
  /** Shows one page of the rows (counted from 0), once they are sorted. */
  page?: { index: number; size: number }
}) {
  const [sorting, setSorting] = useState<SortingState>(
    initialSort ? [{ id: initialSort.id, desc: initialSort.desc ?? false }] : [],
  )
  const defs = useMemo(
    () =>
      columns.map(
        (column): ColumnDef<typeof features, Row> => ({
          id: column.id,
          accessorFn: (row: Row) => column.sortValue?.(row) ?? null,
          enableSorting: column.sortValue !== undefined,
          sortFn: 'alphanumeric',
          sortUndefined: 'last',
        }),
      ),
    [columns],
  )
  const data = useMemo(() => [...rows], [rows])
  const table = useTable({
    features,
    columns: defs,
    data,
    getRowId: (row) => rowKey(row),
    state: { sorting },
    onSortingChange: setSorting,
    enableSortingRemoval: false,
  })
  const byId = new Map(columns.map((c) => [c.id, c]))

  const scrolls = useScrollsSideways()
  return (
    // A table wider than the screen scrolls inside its box; the box then takes focus so keyboard
    // users can scroll it too (WCAG 2.1.1), and says what it holds.
    <Table.ScrollContainer
      minWidth={0}
      type="native"
      ref={scrolls.ref}
      // Contains what is positioned inside (screen-reader-only text), which would otherwise
      // widen the whole page from a cell scrolled out of view.
      pos="relative"
      {...(scrolls.overflowing && { tabIndex: 0, role: 'region', 'aria-label': caption })}
    >
      <Table>
        <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>
          {captionHidden ? <VisuallyHidden>{caption}</VisuallyHidden> : caption}
        </Table.Caption>
        <Table.Thead>
          {table.getHeaderGroups().map((group) => (
            <Table.Tr key={group.id}>
              {group.headers.map((header) => {
                const column = byId.get(header.column.id)
                if (!column) return null
                const sorted = header.column.getIsSorted()
                const label = column.headerHidden ? (
                  <VisuallyHidden>{column.header}</VisuallyHidden>
                ) : (
                  column.header
                )
                return (
                  <Table.Th
                    key={header.id}
                    scope="col"
                    ta={column.align}
                    aria-sort={
                      sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined
                    }
                  >
                    {header.column.getCanSort() ? (
                      <UnstyledButton
                        onClick={header.column.getToggleSortingHandler()}
                        fw={700}
                        fz="sm"
                        title="Sort by this column"
                      >
                        {label}
                        <span aria-hidden>
                          {' '}
                          {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}
                        </span>
                      </UnstyledButton>
                    ) : (
                      label
                    )}
                  </Table.Th>
                )
              })}
            </Table.Tr>
          ))}
        </Table.Thead>
        <Table.Tbody>
          {(page
            ? table.getRowModel().rows.slice(page.index * page.size, (page.index + 1) * page.size)
            : table.getRowModel().rows
          ).map((row) => (
            <Table.Tr key={row.id} aria-label={rowLabel?.(row.original)}>
              {row.getAllCells().map((cell) => {
                const column = byId.get(cell.column.id)
                if (!column) return null
                const content = column.cell
                  ? column.cell(row.original)
                  : String(cell.getValue() ?? '')
                return column.rowHeader ? (
                  <Table.Th key={cell.id} scope="row" ta={column.align} fw={600}>
                    {content}
                  </Table.Th>
                ) : (
                  <Table.Td key={cell.id} ta={column.align}>
                    {content}
                  </Table.Td>
                )
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}

/** Whether an element is wider inside than out, kept up to date as it or its table resizes. */
function useScrollsSideways() {
  const [overflowing, setOverflowing] = useState(false)
  const ref = useCallback((element: HTMLDivElement | null) => {
    if (!element) return
    const measure = () => setOverflowing(element.scrollWidth > element.clientWidth + 1)
    measure()
    if (typeof ResizeObserver === 'undefined') return
    const observer = new ResizeObserver(measure)
    observer.observe(element)
    const table = element.querySelector('table')
    if (table) observer.observe(table)
    // React 19 calls this when the element goes away.
    return () => observer.disconnect()
  }, [])
  return { ref, overflowing }
}
