import { type FormEvent, useId, useState } from 'react'
import { useNavigate } from 'react-router'
import { ErrorState } from '../../../components/ui/page-state.js'
import {
  PersonalDataBadge,
  type PersonalDataKind,
} from '../../../components/ui/personal-data-badge.js'
import { useCreateRequest } from '../api/use-requests.js'

const listOf = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)

/**
 * Asks for a dataset: which columns (each shown with its personal-data kind, so an officer asks
 * for no more than the project needs), why, under which law, for how long, for which project.
 */
export function RequestForm({
  dataset,
  onDone,
}: {
  dataset: { slug: string; columns: { name: string; personalData: PersonalDataKind }[] }
  onDone: () => void
}) {
  const ids = useId()
  const create = useCreateRequest()
  const navigate = useNavigate()
  const [columns, setColumns] = useState<string[]>(dataset.columns.map((c) => c.name))
  const [form, setForm] = useState({
    purpose: '',
    legalBasis: '',
    durationDays: '90',
    project: '',
    partners: '',
  })
  const field = (name: keyof typeof form) => ({
    id: `${ids}-${name}`,
    value: form[name],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value }),
  })
  const toggle = (name: string) =>
    setColumns(columns.includes(name) ? columns.filter((c) => c !== name) : [...columns, name])

  function submit(event: FormEvent) {
    event.preventDefault()
    const all = columns.length === dataset.columns.length
    create.mutate(
      {
        dataset: dataset.slug,
        ...(!all && { columns }),
        purpose: form.purpose.trim(),
        legalBasis: form.legalBasis.trim(),
        durationDays: Number(form.durationDays),
        ...(form.project.trim() && {
          project: { name: form.project.trim(), partnerAgencies: listOf(form.partners) },
        }),
      },
      {
        onSuccess: (request) => {
          onDone()
          void navigate(`/requests/${request.id}`)
        },
      },
    )
  }

  return (
    <form className="panel editor" onSubmit={submit} aria-label="Request access">
      <h2>Request access</h2>
      <fieldset>
        <legend>
          Columns ({columns.length} of {dataset.columns.length})
        </legend>
        {dataset.columns.map((c) => (
          <label key={c.name} className="check">
            <input
              type="checkbox"
              checked={columns.includes(c.name)}
              onChange={() => toggle(c.name)}
            />
            <code>{c.name}</code> <PersonalDataBadge kind={c.personalData} />
          </label>
        ))}
      </fieldset>
      <label htmlFor={`${ids}-purpose`}>Purpose</label>
      <textarea {...field('purpose')} rows={3} required minLength={20} maxLength={2000} />
      <label htmlFor={`${ids}-legalBasis`}>Legal basis</label>
      <input
        {...field('legalBasis')}
        required
        minLength={5}
        placeholder="e.g. Public Sector (Governance) Act 2018, s. 25"
      />
      <label htmlFor={`${ids}-durationDays`}>Duration (days)</label>
      <input {...field('durationDays')} type="number" min={1} max={730} required />
      <label htmlFor={`${ids}-project`}>Project (optional)</label>
      <input {...field('project')} />
      <label htmlFor={`${ids}-partners`}>Partner agencies (comma-separated, optional)</label>
      <input {...field('partners')} placeholder="e.g. MOE, HDB" />
      <div className="actions">
        <button type="submit" disabled={create.isPending || columns.length === 0}>
          Send request
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
      {create.isError && <ErrorState title="The request was not sent" error={create.error} />}
    </form>
  )
}
