import {
  Alert,
  Button,
  Code,
  Fieldset,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core'
import { type FormEvent, useState } from 'react'
import { ErrorState } from '../../../components/ui/page-state.js'
import { formatQuantity } from '../../../lib/format.js'
import { TONE } from '../../../lib/tones.js'
import type { DatasetDetail } from '../api/use-datasets.js'
import { useEditDataset } from '../api/use-edit-dataset.js'

const listOf = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)

const sameList = (a: string[], b: string[]) => [...a].sort().join('\n') === [...b].sort().join('\n')

/**
 * The steward's edit mode: title, description, tags, licence, contact, coverage, and each column's
 * description and glossary terms. Only what changed is sent; every change is recorded.
 */
export function DatasetEditor({ dataset, onDone }: { dataset: DatasetDetail; onDone: () => void }) {
  const edit = useEditDataset(dataset.slug)
  const [savedChanges, setSavedChanges] = useState<number | undefined>()
  const termsOf = (column: string) => (dataset.glossary[column] ?? []).map((t) => t.term)
  const [form, setForm] = useState({
    title: dataset.title,
    description: dataset.description,
    tags: dataset.tags.join(', '),
    licence: dataset.licence,
    contactEmail: dataset.contactEmail,
    coverageStart: dataset.coverage.start ?? '',
    coverageEnd: dataset.coverage.end ?? '',
  })
  const [columns, setColumns] = useState(() =>
    Object.fromEntries(
      dataset.columns.map((c) => [
        c.name,
        { description: c.description, terms: termsOf(c.name).join(', ') },
      ]),
    ),
  )
  const field = (name: keyof typeof form) => ({
    value: form[name],
    onChange: (e: { currentTarget: { value: string } }) =>
      setForm({ ...form, [name]: e.currentTarget.value }),
  })
  const setColumn = (name: string, change: Partial<{ description: string; terms: string }>) =>
    setColumns({ ...columns, [name]: { description: '', terms: '', ...columns[name], ...change } })

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const coverage = { start: form.coverageStart || null, end: form.coverageEnd || null }
    const changedColumns = dataset.columns.flatMap((c) => {
      const edited = columns[c.name]
      if (!edited) return []
      const terms = listOf(edited.terms)
      const change = {
        name: c.name,
        ...(edited.description !== c.description && { description: edited.description }),
        ...(!sameList(terms, termsOf(c.name)) && { glossary: terms }),
      }
      return Object.keys(change).length > 1 ? [change] : []
    })
    const patch = {
      ...(form.title !== dataset.title && { title: form.title }),
      ...(form.description !== dataset.description && { description: form.description }),
      ...(!sameList(listOf(form.tags), dataset.tags) && { tags: listOf(form.tags) }),
      ...(form.licence && form.licence !== dataset.licence && { licence: form.licence }),
      ...(form.contactEmail &&
        form.contactEmail !== dataset.contactEmail && { contactEmail: form.contactEmail }),
      ...((coverage.start !== (dataset.coverage.start ?? null) ||
        coverage.end !== (dataset.coverage.end ?? null)) && { coverage }),
      ...(changedColumns.length > 0 && { columns: changedColumns }),
    }
    // Nothing changed: nothing to record.
    if (Object.keys(patch).length === 0) onDone()
    else edit.mutate(patch, { onSuccess: (saved) => setSavedChanges(saved.changes.length) })
  }

  // Saved: the form gives way to a confirmation, the page above already showing the new metadata.
  if (savedChanges !== undefined)
    return (
      <Alert role="status" color={TONE.good} variant="light" title="Changes saved">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">
            {formatQuantity(savedChanges, 'change')} recorded in the dataset's history; readers see
            them now.
          </Text>
          <Button type="button" variant="default" size="xs" onClick={onDone}>
            Close
          </Button>
        </Stack>
      </Alert>
    )

  // A licence or contact once stated can be changed but not blanked (the API keeps one), so the
  // browser refuses an empty field rather than the form silently keeping the old value. Fields are
  // not starred: most are required, so the optional ones say so instead.
  return (
    <Paper component="form" withBorder p="md" onSubmit={submit} aria-label="Edit metadata">
      <Stack gap="sm">
        <Title order={2} size="h3">
          Edit metadata
        </Title>
        <TextInput label="Title" {...field('title')} required withAsterisk={false} minLength={3} />
        <Textarea
          label="Description"
          {...field('description')}
          rows={4}
          required
          withAsterisk={false}
          minLength={10}
        />
        <TextInput
          label="Tags (comma-separated)"
          description="Optional. Words people search by, e.g. population, address"
          {...field('tags')}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Licence / terms of use"
            {...field('licence')}
            minLength={3}
            required={Boolean(dataset.licence)}
            withAsterisk={false}
          />
          <TextInput
            label="Contact email"
            {...field('contactEmail')}
            type="email"
            required={Boolean(dataset.contactEmail)}
            withAsterisk={false}
          />
        </SimpleGrid>
        <Fieldset legend="Coverage period (optional)">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="From" {...field('coverageStart')} type="date" />
            <TextInput label="To" {...field('coverageEnd')} type="date" />
          </SimpleGrid>
        </Fieldset>
        <Fieldset legend="Columns: description and glossary terms (comma-separated)">
          <Stack gap="xs">
            {dataset.columns.map((c) => (
              <SimpleGrid key={c.name} cols={{ base: 1, sm: 3 }} spacing="xs" verticalSpacing={4}>
                <Code style={{ alignSelf: 'center', justifySelf: 'start' }}>{c.name}</Code>
                <TextInput
                  value={columns[c.name]?.description ?? ''}
                  onChange={(e) => setColumn(c.name, { description: e.currentTarget.value })}
                  aria-label={`Description of ${c.name}`}
                  placeholder="Description"
                />
                <TextInput
                  value={columns[c.name]?.terms ?? ''}
                  onChange={(e) => setColumn(c.name, { terms: e.currentTarget.value })}
                  aria-label={`Glossary terms of ${c.name}`}
                  placeholder="Glossary terms"
                />
              </SimpleGrid>
            ))}
          </Stack>
        </Fieldset>
        <Group gap="sm">
          <Button type="submit" loading={edit.isPending}>
            Save changes
          </Button>
          <Button type="button" variant="default" onClick={onDone}>
            Cancel
          </Button>
        </Group>
        {edit.isError && <ErrorState title="The changes were not saved" error={edit.error} />}
      </Stack>
    </Paper>
  )
}
