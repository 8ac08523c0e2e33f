import { Box, Group, Stack, Text } from '@mantine/core'
import { formatCount } from '../../../lib/format.js'
import { PLANNING_AREA_TILES, type PlanningAreaTile, TILE_REGIONS } from './planning-area-tiles.js'

/** Light to dark blue; the text on each keeps at least 4.5:1. */
const SHADES = [
  { fill: '#eff3ff', text: '#1a1b1e' },
  { fill: '#bdd7e7', text: '#1a1b1e' },
  { fill: '#6baed6', text: '#1a1b1e' },
  { fill: '#2171b5', text: '#ffffff' },
  { fill: '#08306b', text: '#ffffff' },
] as const
const NO_VALUE = { fill: '#f8f9fa', text: '#495057' }

/** A number as the map says it: whole numbers grouped, others to two decimals at most. */
const numberText = (n: number) =>
  Number.isInteger(n)
    ? formatCount(n)
    : n.toLocaleString('en-SG', { maximumFractionDigits: 2, minimumFractionDigits: 0 })

/** Five bins of equal width from the least value to the greatest, as [from, to] pairs. */
export function binsOf(values: readonly number[]): [number, number][] {
  const low = Math.min(...values)
  const high = Math.max(...values)
  if (low === high) return [[low, high]]
  const step = (high - low) / SHADES.length
  return SHADES.map((_, i) => [
    low + i * step,
    i === SHADES.length - 1 ? high : low + (i + 1) * step,
  ])
}

const binOf = (bins: readonly [number, number][], value: number) =>
  Math.max(
    0,
    bins.findIndex(([from, to], i) => value >= from && (value < to || i === bins.length - 1)),
  )

/**
 * The planning areas as tiles, one block per region laid out as the island is, each tile coloured
 * by its value (we hold no boundaries to draw a choropleth with). One image to screen readers,
 * named by `title`; the legend and the table beside it carry the values.
 */
export function PlanningAreaMap({
  title,
  values,
}: {
  title: string
  values: ReadonlyMap<string, number>
}) {
  const bins = binsOf([...values.values()])
  const shadeOf = (tile: PlanningAreaTile) => {
    const value = values.get(tile.code)
    if (value === undefined) return NO_VALUE
    return bins.length === 1 ? SHADES[2] : (SHADES[binOf(bins, value)] ?? NO_VALUE)
  }
  return (
    <Stack gap="xs">
      <Box
        role="img"
        aria-label={`${title}: a tile map of planning areas by region, ${formatCount(values.size)} of ${PLANNING_AREA_TILES.length} with a value; the table below lists them`}
        style={{
          display: 'grid',
          gridTemplateColumns: 'repeat(3, max-content)',
          gap: 12,
          overflowX: 'auto',
        }}
      >
        {TILE_REGIONS.map((region) => (
          <Box key={region.code} style={{ gridRow: region.row + 1, gridColumn: region.col + 1 }}>
            <Text size="xs" fw={700} mb={2}>
              {region.name}
            </Text>
            <Box style={{ display: 'grid', gap: 2, gridAutoColumns: 40, gridAutoRows: 32 }}>
              {PLANNING_AREA_TILES.filter((t) => t.region === region.code).map((tile) => {
                const shade = shadeOf(tile)
                const value = values.get(tile.code)
                return (
                  <Box
                    key={tile.code}
                    title={`${tile.name}: ${value === undefined ? 'no value' : numberText(value)}`}
                    style={{
                      gridRow: tile.row + 1,
                      gridColumn: tile.col + 1,
                      background: shade.fill,
                      color: shade.text,
                      border: `1px ${value === undefined ? 'dashed' : 'solid'} #868e96`,
                      borderRadius: 3,
                      display: 'flex',
                      alignItems: 'center',
                      justifyContent: 'center',
                      fontSize: 11,
                      fontWeight: 600,
                    }}
                  >
                    {tile.code}
                  </Box>
                )
              })}
            </Box>
          </Box>
        ))}
      </Box>
      <Group gap="sm" wrap="wrap" component="ul" aria-label="Legend" p={0} m={0}>
        {bins.map(([from, to], i) => (
          <Group key={`${from}-${to}`} component="li" gap={4} style={{ listStyle: 'none' }}>
            <Swatch fill={(bins.length === 1 ? SHADES[2] : SHADES[i])?.fill ?? NO_VALUE.fill} />
            <Text size="xs">
              {from === to ? numberText(from) : `${numberText(from)} to ${numberText(to)}`}
            </Text>
          </Group>
        ))}
        <Group component="li" gap={4} style={{ listStyle: 'none' }}>
          <Swatch fill={NO_VALUE.fill} dashed />
          <Text size="xs">No value</Text>
        </Group>
      </Group>
    </Stack>
  )
}

function Swatch({ fill, dashed = false }: { fill: string; dashed?: boolean }) {
  return (
    <Box
      aria-hidden
      w={14}
      h={14}
      style={{ background: fill, border: `1px ${dashed ? 'dashed' : 'solid'} #868e96` }}
    />
  )
}
