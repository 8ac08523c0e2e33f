import { Code, List, Stack, Text, Title } from '@mantine/core'
import { ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatDateTime } from '../../../lib/format.js'
import { type MetadataChange, useDatasetChanges } from '../api/use-dataset-history.js'

/** Every recorded edit of the dataset's metadata, newest first: who, when, what, from and to. */
export function MetadataChanges({ slug }: { slug: string }) {
  const changes = useDatasetChanges(slug)
  return (
    <Stack gap="xs">
      <Title order={2} id="metadata-changes-heading">
        Metadata changes
      </Title>
      {changes.isPending ? (
        <Loading label="Loading the change history…" />
      ) : changes.isError ? (
        <ErrorState title="The change history could not be loaded" error={changes.error} />
      ) : changes.data.length === 0 ? (
        <Text c="dimmed">No one has edited this dataset's metadata since it was published.</Text>
      ) : (
        <List spacing="sm" listStyleType="none" aria-labelledby="metadata-changes-heading">
          {changes.data.map((change) => (
            <List.Item key={`${change.changedAt} ${change.field}`}>
              <ChangeEntry change={change} />
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  )
}

function ChangeEntry({ change }: { change: MetadataChange }) {
  return (
    <Stack gap={2}>
      <Text size="sm" c="dimmed">
        {formatDateTime(change.changedAt)}, by {change.actor}
      </Text>
      <Text>
        Changed {fieldInWords(change.field)} from {valueInWords(change.oldValue)} to{' '}
        {valueInWords(change.newValue)}
      </Text>
    </Stack>
  )
}

const FIELD_WORDS: Readonly<Record<string, string>> = {
  contactEmail: 'the contact',
  updateFrequency: 'the update frequency',
  sampleKeep: 'the levels samples keep',
  personalData: 'the personal-data label',
  glossary: 'the glossary terms',
  isCoreField: 'whether it is a core field',
  authoritySsot: 'the source of truth',
}

/** `columns.age_band.description` → "the description of column age_band". */
function fieldInWords(field: string) {
  const [head, column, part] = field.split('.')
  if (head === 'columns' && column && part)
    return (
      <>
        {FIELD_WORDS[part] ?? `the ${words(part)}`} of column <Code>{column}</Code>
      </>
    )
  return FIELD_WORDS[field] ?? `the ${words(field)}`
}

/** `coverageStart` → "coverage start". */
function words(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
}

/** A value before or after, as a reader would write it: quoted text, lists joined, "nothing". */
function valueInWords(value: unknown): string {
  if (value === null || value === undefined || value === '') return 'nothing'
  if (Array.isArray(value))
    return value.length === 0 ? 'nothing' : value.map((v) => valueInWords(v)).join(', ')
  if (typeof value === 'string') return `“${value}”`
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
    if (entries.length === 0) return 'nothing'
    return entries.map(([k, v]) => `${words(k)}: ${valueInWords(v)}`).join('; ')
  }
  return String(value)
}
