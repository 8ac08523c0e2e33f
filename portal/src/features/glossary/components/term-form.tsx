import { type FormEvent, useId, useState } from 'react'
import { ErrorState } from '../../../components/ui/page-state.js'
import { type TermInput, useDefineTerm, useRedefineTerm } from '../api/use-glossary.js'

/**
 * Defines a new term, or (given `term`) redefines or renames it. The browser checks lengths as
 * the API does; the API's message is shown for anything else (a name already taken, say).
 */
export function TermForm({ term, onDone }: { term?: TermInput; onDone: () => void }) {
  const ids = useId()
  const define = useDefineTerm()
  const redefine = useRedefineTerm(term?.term ?? '')
  const save = term ? redefine : define
  const [form, setForm] = useState<TermInput>(term ?? { term: '', definition: '' })
  const label = term ? `Edit ${term.term}` : 'New term'

  function submit(event: FormEvent) {
    event.preventDefault()
    const next = { term: form.term.trim(), definition: form.definition.trim() }
    if (!term) {
      define.mutate(next, { onSuccess: onDone })
      return
    }
    const patch = {
      ...(next.term !== term.term && { term: next.term }),
      ...(next.definition !== term.definition && { definition: next.definition }),
    }
    if (Object.keys(patch).length === 0) onDone()
    else redefine.mutate(patch, { onSuccess: onDone })
  }

  return (
    <form className="panel editor" onSubmit={submit} aria-label={label}>
      <h2>{label}</h2>
      <label htmlFor={`${ids}-term`}>Term</label>
      <input
        id={`${ids}-term`}
        value={form.term}
        onChange={(e) => setForm({ ...form, term: e.target.value })}
        required
        minLength={2}
        maxLength={100}
      />
      <label htmlFor={`${ids}-definition`}>Definition</label>
      <textarea
        id={`${ids}-definition`}
        value={form.definition}
        onChange={(e) => setForm({ ...form, definition: e.target.value })}
        rows={3}
        required
        minLength={10}
        maxLength={2000}
      />
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          {term ? 'Save term' : 'Add term'}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
      {save.isError && <ErrorState title="The term was not saved" error={save.error} />}
    </form>
  )
}
