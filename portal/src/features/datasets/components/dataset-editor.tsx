import { type FormEvent, useId, useState } from 'react'
import { ErrorState } from '../../../components/ui/page-state.js'
import type { DatasetDetail } from '../api/use-datasets.js'
import { useEditDataset } from '../api/use-edit-dataset.js'

/** The steward's edit mode: description, tags and column descriptions; every change is recorded. */
export function DatasetEditor({ dataset, onDone }: { dataset: DatasetDetail; onDone: () => void }) {
  const edit = useEditDataset(dataset.slug)
  const [description, setDescription] = useState(dataset.description)
  const [tags, setTags] = useState(dataset.tags.join(', '))
  const [columns, setColumns] = useState(() =>
    Object.fromEntries(dataset.columns.map((c) => [c.name, c.description])),
  )
  const ids = { description: useId(), tags: useId() }

  const submit = (event: FormEvent) => {
    event.preventDefault()
    edit.mutate(
      {
        description,
        tags: tags
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
        columns: dataset.columns
          .filter((c) => columns[c.name] !== c.description)
          .map((c) => ({ name: c.name, description: columns[c.name] ?? '' })),
      },
      { onSuccess: onDone },
    )
  }

  return (
    <form className="panel editor" onSubmit={submit} aria-label="Edit metadata">
      <h2>Edit metadata</h2>
      <label htmlFor={ids.description}>Description</label>
      <textarea
        id={ids.description}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        rows={4}
        required
        minLength={10}
      />
      <label htmlFor={ids.tags}>Tags (comma-separated)</label>
      <input id={ids.tags} value={tags} onChange={(e) => setTags(e.target.value)} />
      <fieldset>
        <legend>Column descriptions</legend>
        {dataset.columns.map((c) => (
          <label key={c.name} className="column-edit">
            <code>{c.name}</code>
            <input
              value={columns[c.name] ?? ''}
              onChange={(e) => setColumns({ ...columns, [c.name]: e.target.value })}
              aria-label={`Description of ${c.name}`}
            />
          </label>
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
