import { BarChart, LineChart } from '@mantine/charts'
import { Box, Group, NativeSelect, SegmentedControl, Stack, Text, Title } from '@mantine/core'
import { useId, useState } from 'react'
import { DataTable } from '../../../components/ui/data-table.js'
import { formatQuantity } from '../../../lib/format.js'
import type { QueryAnswer } from '../api/use-query.js'
import {
  areaValuesOf,
  type ChartKind,
  chartKindsOf,
  numericColumns,
  planningAreaColumn,
  pointsOf,
} from './answer-chart-data.js'
import { PlanningAreaMap } from './planning-area-map.js'
import { PLANNING_AREA_TILES } from './planning-area-tiles.js'

const KIND_LABELS: Record<ChartKind, string> = {
  bar: 'Bar chart',
  line: 'Line chart',
  map: 'Map of planning areas',
}

type AnswerShape = Pick<QueryAnswer, 'columns' | 'rows'>

/**
 * A quick chart of an answer: bars or a line of a numeric column against another, or a tile map
 * of planning areas when the answer names them. Each chart has a title and its values as a table.
 */
export function AnswerChart({ answer }: { answer: AnswerShape }) {
  const ids = useId()
  const kinds = chartKindsOf(answer)
  const numeric = numericColumns(answer)
  const area = planningAreaColumn(answer)
  const [kind, setKind] = useState<ChartKind>(kinds.includes('map') ? 'map' : 'bar')
  const [x, setX] = useState(() => answer.columns.findIndex((_, i) => !numeric.includes(i)))
  const [y, setY] = useState(() => numeric.at(-1) ?? 0)
  if (kinds.length === 0)
    return (
      <Text c="dimmed" size="sm">
        No chart: the answer has no column of numbers to draw.
      </Text>
    )
  const chosen = kinds.includes(kind) ? kind : 'bar'
  const xAt = x >= 0 ? x : 0
  const nameOf = (i: number) => answer.columns[i]?.name ?? ''
  const title =
    chosen === 'map' ? `${nameOf(y)} by planning area` : `${nameOf(y)} by ${nameOf(xAt)}`
  const options = (columns: number[]) =>
    columns.map((i) => ({ value: String(i), label: nameOf(i) }))
  return (
    <Stack gap="sm">
      <Group gap="md" wrap="wrap" align="end">
        <SegmentedControl
          aria-label="Chart"
          value={chosen}
          onChange={(value) => setKind(value as ChartKind)}
          data={kinds.map((k) => ({ value: k, label: KIND_LABELS[k] }))}
        />
        {chosen !== 'map' && (
          <NativeSelect
            label="Along the bottom (x)"
            value={String(xAt)}
            onChange={(event) => setX(Number(event.currentTarget.value))}
            data={options(answer.columns.map((_, i) => i))}
          />
        )}
        <NativeSelect
          label={chosen === 'map' ? 'Colour by' : 'Height (y)'}
          value={String(y)}
          onChange={(event) => setY(Number(event.currentTarget.value))}
          data={options(numeric)}
        />
      </Group>
      <Title order={3} size="h5" id={`${ids}-title`}>
        {title}
      </Title>
      {chosen === 'map' && area !== undefined ? (
        <MapOf answer={answer} area={area} y={y} title={title} />
      ) : (
        <XyChart answer={answer} kind={chosen} x={xAt} y={y} title={title} />
      )}
    </Stack>
  )
}

function XyChart({
  answer,
  kind,
  x,
  y,
  title,
}: {
  answer: AnswerShape
  kind: ChartKind
  x: number
  y: number
  title: string
}) {
  const { points, left } = pointsOf(answer, x, y)
  const Chart = kind === 'line' ? LineChart : BarChart
  return (
    <>
      <Box maw={960}>
        <Chart
          role="img"
          aria-label={`${KIND_LABELS[kind]} of ${title}, ${formatQuantity(points.length, 'point')}; the table below lists them`}
          h={300}
          data={points}
          dataKey="label"
          series={[
            { name: 'value', label: answer.columns[y]?.name ?? 'value', color: 'govBlue.7' },
          ]}
        />
      </Box>
      {left > 0 && (
        <Text size="sm" c="dimmed">
          The first {formatQuantity(points.length, 'row')} drawn; {formatQuantity(left, 'more row')}{' '}
          left out. Group or filter the query to draw them all.
        </Text>
      )}
      <ValuesTable
        caption={`Values of the chart: ${title}`}
        rows={points.map((p) => [p.label, p.value])}
        header={[answer.columns[x]?.name ?? '', answer.columns[y]?.name ?? '']}
      />
    </>
  )
}

function MapOf({
  answer,
  area,
  y,
  title,
}: {
  answer: AnswerShape
  area: number
  y: number
  title: string
}) {
  const values = areaValuesOf(answer, area, y)
  const tiles = PLANNING_AREA_TILES.filter((t) => values.has(t.code))
  return (
    <>
      <PlanningAreaMap title={title} values={values} />
      <Text size="sm" c="dimmed">
        Rows naming the same planning area are added up.
      </Text>
      <ValuesTable
        caption={`Values of the map: ${title}`}
        header={['Planning area', 'Region', answer.columns[y]?.name ?? '']}
        rows={tiles.map((t) => [`${t.name} (${t.code})`, t.region, values.get(t.code) ?? 0])}
      />
    </>
  )
}

/** The chart's values as a table: what a screen reader reads, and anyone who wants the numbers. */
function ValuesTable({
  caption,
  header,
  rows,
}: {
  caption: string
  header: string[]
  rows: (string | number)[][]
}) {
  return (
    <details>
      <summary>The values as a table</summary>
      <DataTable
        caption={caption}
        columns={header.map((name, i) => ({
          id: `v${i}`,
          header: name,
          sortValue: (row: { key: string; cells: (string | number)[] }) => row.cells[i] ?? null,
          align: typeof rows[0]?.[i] === 'number' ? 'right' : 'left',
        }))}
        rows={rows.map((cells, i) => ({ key: String(i), cells }))}
        rowKey={(row) => row.key}
      />
    </details>
  )
}
