import { Checkbox, SimpleGrid, Stack } from '@mantine/core'
import { formatCount } from '../../../lib/format.js'
import type { FacetName, SearchData, SearchState } from '../api/use-search.js'
import { FACET_NAMES, FACET_TITLES } from './facet-titles.js'

/**
 * One group of checkboxes per facet, each value by its label with how many datasets carry it.
 * A chosen value stays listed with 0 when nothing matches, so it can be unticked.
 */
export function FacetList({
  facets,
  selected,
  onChange,
}: {
  facets: SearchData['facets']
  selected: SearchState['filters']
  onChange: (facet: FacetName, values: string[]) => void
}) {
  return (
    <SimpleGrid cols={{ base: 2, md: 1 }} spacing="md" verticalSpacing="md">
      {FACET_NAMES.map((facet) => {
        const values = facets[facet]
        if (values.length === 0) return null
        return (
          <Checkbox.Group
            key={facet}
            label={FACET_TITLES[facet]}
            value={selected[facet] ?? []}
            onChange={(next) => onChange(facet, next)}
            styles={{ label: { fontWeight: 700 } }}
          >
            <Stack gap={6} mt={6}>
              {values.map(({ value, label, count }) => (
                <Checkbox key={value} value={value} label={`${label} (${formatCount(count)})`} />
              ))}
            </Stack>
          </Checkbox.Group>
        )
      })}
    </SimpleGrid>
  )
}
