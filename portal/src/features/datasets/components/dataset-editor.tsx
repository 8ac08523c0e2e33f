import { type FormEvent, useId, useState } from 'react'
import { ErrorState } from '../../../components/ui/page-state.js'
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
  const ids = useId()
  const field = (name: keyof typeof form) => ({
    id: `${ids}-${name}`,
    value: form[name],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value }),
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
    else edit.mutate(patch, { onSuccess: onDone })
  }

  // A licence or contact once stated can be changed but not blanked (the API keeps one), so the
  // browser refuses an empty field rather than the form silently keeping the old value.
  return (
    <form className="panel editor" onSubmit={submit} aria-label="Edit metadata">
      <h2>Edit metadata</h2>
      <label htmlFor={`${ids}-title`}>Title</label>
      <input {...field('title')} required minLength={3} />
      <label htmlFor={`${ids}-description`}>Description</label>
      <textarea {...field('description')} rows={4} required minLength={10} />
      <label htmlFor={`${ids}-tags`}>Tags (comma-separated)</label>
      <input {...field('tags')} />
      <label htmlFor={`${ids}-licence`}>Licence / terms of use</label>
      <input {...field('licence')} minLength={3} required={Boolean(dataset.licence)} />
      <label htmlFor={`${ids}-contactEmail`}>Contact email</label>
      <input {...field('contactEmail')} type="email" required={Boolean(dataset.contactEmail)} />
      <fieldset>
        <legend>Coverage period</legend>
        <label htmlFor={`${ids}-coverageStart`}>From</label>
        <input {...field('coverageStart')} type="date" />
        <label htmlFor={`${ids}-coverageEnd`}>To</label>
        <input {...field('coverageEnd')} type="date" />
      </fieldset>
      <fieldset>
        <legend>Columns: description and glossary terms (comma-separated)</legend>
        {dataset.columns.map((c) => (
          <div key={c.name} className="column-edit">
            <code>{c.name}</code>
            <input
              value={columns[c.name]?.description ?? ''}
              onChange={(e) => setColumn(c.name, { description: e.target.value })}
              aria-label={`Description of ${c.name}`}
            />
            <input
              value={columns[c.name]?.terms ?? ''}
              onChange={(e) => setColumn(c.name, { terms: e.target.value })}
              aria-label={`Glossary terms of ${c.name}`}
            />
          </div>
        ))}
      </fieldset>
      <div className="actions">
        <button type="submit" disabled={edit.isPending}>
          Save changes
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
      {edit.isError && <ErrorState title="The changes were not saved" error={edit.error} />}
    </form>
  )
}
