import {
  Anchor,
  Button,
  Group,
  Modal,
  NativeSelect,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core'
import { type FormEvent, useId, useState } from 'react'
import { Link } from 'react-router'
import { ErrorState } from '../../../components/ui/page-state.js'
import { focusFirstProblem } from '../../../lib/focus-first-problem.js'
import { type ParameterType, type SavedQueryInfo, useSaveQuery } from '../api/use-saved-queries.js'
import { CopyLinkButton } from './copy-link-button.js'
import { guessType, parametersIn } from './sql-parameters.js'

const TYPES: { value: ParameterType; label: string }[] = [
  { value: 'text', label: 'Text' },
  { value: 'integer', label: 'Whole number' },
  { value: 'number', label: 'Number' },
  { value: 'date', label: 'Date (YYYY-MM-DD)' },
]

/** Allowed values as typed, one list: commas between them, none for any value. */
const choicesOf = (text: string) => {
  const choices = text
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '')
  return choices.length > 0 ? choices : null
}

/** The dialog's form: a name, a description, and a type (and perhaps choices) per parameter. */
function SaveQueryForm({ sql, onSaved }: { sql: string; onSaved: (q: SavedQueryInfo) => void }) {
  const formId = useId()
  const save = useSaveQuery()
  const names = parametersIn(sql)
  const [name, setName] = useState('')
  const [description, setDescription] = useState('')
  const [types, setTypes] = useState<Record<string, ParameterType>>(() =>
    Object.fromEntries(names.map((n) => [n, guessType(n)])),
  )
  const [choices, setChoices] = useState<Record<string, string>>({})
  const [problems, setProblems] = useState<{ name?: string }>({})

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const found = name.trim() === '' ? { name: 'Give the query a name' } : {}
    setProblems(found)
    if (focusFirstProblem(formId, found)) return
    save.mutate(
      {
        name: name.trim(),
        description: description.trim() === '' ? null : description.trim(),
        sql,
        parameters: names.map((n) => ({
          name: n,
          type: types[n] ?? 'text',
          choices: choicesOf(choices[n] ?? ''),
        })),
      },
      { onSuccess: onSaved },
    )
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Save query">
      <Stack gap="sm">
        <TextInput
          id={`${formId}-name`}
          label="Name"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={problems.name}
          maxLength={200}
          required
          withAsterisk={false}
        />
        <Textarea
          label="Description (optional)"
          description="What it answers, for whoever opens the link"
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          maxLength={2_000}
          rows={3}
        />
        {names.length === 0 ? (
          <Text size="sm" c="dimmed">
            No parameters: write $name in the SQL (such as $region) for a value asked for on each
            run.
          </Text>
        ) : (
          <Stack gap="xs" component="fieldset" style={{ border: 0, padding: 0, margin: 0 }}>
            <Title order={3} size="h5" component="legend">
              Parameters
            </Title>
            {names.map((n) => (
              <Group key={n} gap="sm" align="flex-end" wrap="wrap">
                <NativeSelect
                  label={`Type of $${n}`}
                  data={TYPES}
                  value={types[n] ?? 'text'}
                  onChange={(e) => {
                    // Read now: the event's target is gone by the time the update runs.
                    const type = e.currentTarget.value as ParameterType
                    setTypes((t) => ({ ...t, [n]: type }))
                  }}
                />
                <TextInput
                  label={`Allowed values of $${n} (optional)`}
                  description="Separated by commas; leave empty for any value"
                  value={choices[n] ?? ''}
                  onChange={(e) => {
                    const value = e.currentTarget.value
                    setChoices((c) => ({ ...c, [n]: value }))
                  }}
                  maxLength={5_000}
                />
              </Group>
            ))}
          </Stack>
        )}
        {save.isError && <ErrorState title="The query was not saved" error={save.error} />}
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

/**
 * "Save query": a dialog that names and describes the SQL given, types each of its `$name`
 * parameters, and saves it; then offers its link, which runs with the access of whoever opens it.
 */
export function SaveQueryButton({ sql }: { sql: string }) {
  const [open, setOpen] = useState(false)
  const [saved, setSaved] = useState<SavedQueryInfo | undefined>()
  const close = () => {
    setOpen(false)
    setSaved(undefined)
  }
  return (
    <>
      <Button variant="default" disabled={!sql.trim()} onClick={() => setOpen(true)}>
        Save query
      </Button>
      <Modal opened={open} onClose={close} title="Save query" size="lg">
        {saved ? (
          <Stack gap="sm">
            <Text role="status">Saved “{saved.name}”.</Text>
            <Text size="sm">
              Anyone signed in who opens its link runs it with their own access, never yours.
            </Text>
            <Group gap="sm">
              <Anchor component={Link} to={`/queries/${saved.id}`}>
                Open the saved query
              </Anchor>
              <CopyLinkButton path={`/queries/${saved.id}`} />
            </Group>
          </Stack>
        ) : (
          <SaveQueryForm sql={sql} onSaved={setSaved} />
        )}
      </Modal>
    </>
  )
}
