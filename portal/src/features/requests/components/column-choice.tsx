import { Button, Checkbox, Code, Group, SimpleGrid } from '@mantine/core'
import { PersonalDataBadge } from '../../../components/ui/personal-data-badge.js'
import type { AccessScope } from './access-scope.js'
import type { RequestedDataset } from './request-draft.js'

/**
 * The columns to ask for, each shown with its personal-data kind, with "Choose all" and "Clear".
 * Each box has the id `${ids}-columns-<column>`, so the first can take the focus.
 */
export function ColumnChoice({
  ids,
  columns,
  scope,
  value,
  onChange,
  error,
}: {
  ids: string
  columns: RequestedDataset['columns']
  scope: AccessScope
  value: string[]
  onChange: (columns: string[]) => void
  error: string | undefined
}) {
  return (
    <Checkbox.Group
      label={`Columns (${value.length} of ${columns.length} chosen)`}
      description={
        scope === 'aggregates'
          ? 'Each column says whether it identifies people. For aggregates, choose the columns to group by and add up; direct identifiers stay out of the view: people are counted, never named.'
          : 'Each column says whether it identifies people.'
      }
      value={value}
      onChange={onChange}
      error={error}
    >
      <Group gap="xs" mt="xs" wrap="wrap">
        <Button
          variant="subtle"
          size="compact-sm"
          onClick={() => onChange(columns.map((c) => c.name))}
        >
          Choose all
        </Button>
        <Button variant="subtle" size="compact-sm" onClick={() => onChange([])}>
          Clear
        </Button>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" mt="xs">
        {columns.map((c) => (
          <Checkbox
            key={c.name}
            id={`${ids}-columns-${c.name}`}
            value={c.name}
            label={
              <>
                <Code>{c.name}</Code> <PersonalDataBadge kind={c.personalData} />
              </>
            }
          />
        ))}
      </SimpleGrid>
    </Checkbox.Group>
  )
}
