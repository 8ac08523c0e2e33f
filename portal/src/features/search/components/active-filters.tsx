import { Button, CloseButton, Group, Paper, Text } from '@mantine/core'
import type { SearchData, SearchState } from '../api/use-search.js'
import { FACET_NAMES, FACET_TITLES } from './facet-titles.js'

/**
 * The filters in force, each a chip that removes it ("Remove filter: Agency Ministry of
 * Health"), and "Clear all". Labels come from the answer's facets, which list every chosen
 * value even when nothing carries it.
 */
export function ActiveFilters({
  filters,
  facets,
  onChange,
}: {
  filters: SearchState['filters']
  facets: SearchData['facets'] | undefined
  onChange: (filters: SearchState['filters']) => void
}) {
  const chosen = FACET_NAMES.flatMap((facet) =>
    (filters[facet] ?? []).map((value) => ({
      facet,
      value,
      label: facets?.[facet].find((f) => f.value === value)?.label ?? value,
    })),
  )
  if (chosen.length === 0) return null
  return (
    <Group component="section" aria-label="Active filters" gap="xs" wrap="wrap">
      <Text size="sm" fw={600} component="h2" m={0}>
        Filtered by
      </Text>
      <Group component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }}>
        {chosen.map(({ facet, value, label }) => (
          <li key={`${facet}=${value}`}>
            <Paper withBorder radius="xl" px="sm" py={2}>
              <Group gap={4} wrap="nowrap">
                <Text size="sm">
                  {FACET_TITLES[facet]}: {label}
                </Text>
                <CloseButton
                  size="sm"
                  aria-label={`Remove filter: ${FACET_TITLES[facet]} ${label}`}
                  onClick={() =>
                    onChange({
                      ...filters,
                      [facet]: (filters[facet] ?? []).filter((v) => v !== value),
                    })
                  }
                />
              </Group>
            </Paper>
          </li>
        ))}
      </Group>
      <Button variant="subtle" size="compact-sm" onClick={() => onChange({})}>
        Clear all
      </Button>
    </Group>
  )
}
