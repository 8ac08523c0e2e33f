import { Button, Group, Paper, Stack, TagsInput, Textarea, TextInput, Title } from '@mantine/core'
import { type FormEvent, useState } from 'react'
import { ErrorState } from '../../../components/ui/page-state.js'
import { type TermInput, useDefineTerm, useRedefineTerm } from '../api/use-glossary.js'

/**
 * Defines a new term, or (given `term`) redefines or renames it. The browser checks lengths as
 * the API does; the API's message is shown for anything else (a name already taken, say).
 */
export function TermForm({ term, onDone }: { term?: TermInput; onDone: () => void }) {
  const define = useDefineTerm()
  const redefine = useRedefineTerm(term?.term ?? '')
  const save = term ? redefine : define
  const [form, setForm] = useState<TermInput>(
    term ?? { term: '', definition: '', synonyms: [], abbreviations: [] },
  )
  const label = term ? `Edit ${term.term}` : 'New term'

  function submit(event: FormEvent) {
    event.preventDefault()
    const next = {
      term: form.term.trim(),
      definition: form.definition.trim(),
      synonyms: form.synonyms,
      abbreviations: form.abbreviations,
    }
    if (!term) {
      define.mutate(next, { onSuccess: onDone })
      return
    }
    const same = (a: string[], b: string[]) => a.join('\u0000') === b.join('\u0000')
    const patch = {
      ...(next.term !== term.term && { term: next.term }),
      ...(next.definition !== term.definition && { definition: next.definition }),
      ...(!same(next.synonyms, term.synonyms) && { synonyms: next.synonyms }),
      ...(!same(next.abbreviations, term.abbreviations) && { abbreviations: next.abbreviations }),
    }
    if (Object.keys(patch).length === 0) onDone()
    else redefine.mutate(patch, { onSuccess: onDone })
  }

  // Term and definition are required, the other names optional: none is starred.
  return (
    <Paper component="form" withBorder p="md" onSubmit={submit} aria-label={label}>
      <Stack gap="sm">
        <Title order={2} size="h3">
          {label}
        </Title>
        <TextInput
          label="Term"
          value={form.term}
          onChange={(e) => setForm({ ...form, term: e.currentTarget.value })}
          required
          withAsterisk={false}
          minLength={2}
          maxLength={100}
        />
        <Textarea
          label="Definition"
          value={form.definition}
          onChange={(e) => setForm({ ...form, definition: e.currentTarget.value })}
          rows={3}
          required
          withAsterisk={false}
          minLength={10}
          maxLength={2000}
        />
        <TagsInput
          label="Synonyms"
          description="Other words people use for it; press Enter after each"
          value={form.synonyms}
          onChange={(synonyms) => setForm({ ...form, synonyms })}
          maxTags={20}
        />
        <TagsInput
          label="Abbreviations"
          description="Short forms, e.g. NRIC; press Enter after each"
          value={form.abbreviations}
          onChange={(abbreviations) => setForm({ ...form, abbreviations })}
          maxTags={10}
        />
        <Group gap="sm">
          <Button type="submit" loading={save.isPending}>
            {term ? 'Save term' : 'Add term'}
          </Button>
          <Button type="button" variant="default" onClick={onDone}>
            Cancel
          </Button>
        </Group>
        {save.isError && <ErrorState title="The term was not saved" error={save.error} />}
      </Stack>
    </Paper>
  )
}
