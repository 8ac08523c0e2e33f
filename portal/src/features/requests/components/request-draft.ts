import type { PersonalDataKind } from '../../../components/ui/personal-data-badge.js'
import type { Amendment, NewRequest, RequestSummary } from '../api/use-requests.js'
import type { AccessScope } from './access-scope.js'

/** The dataset a request form asks for: its classification and its columns. */
export interface RequestedDataset {
  slug: string
  classification: { sensitivity: string }
  columns: { name: string; personalData: PersonalDataKind }[]
}

/** What the form holds as the person types. */
export interface RequestDraft {
  scope: AccessScope
  columns: string[]
  purpose: string
  legalBasis: string
  durationDays: number | string
  project: string
  partners: string
}

export type RequestProblems = Partial<
  Record<'columns' | 'purpose' | 'legalBasis' | 'durationDays' | 'project' | 'partners', string>
>

export const LIMITS = { purpose: 20, legalBasis: 5, maxDays: 730 }

const listOf = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)

export const isSensitiveHigh = (dataset: RequestedDataset) =>
  dataset.classification.sensitivity === 'sensitive-high'

/** A new request for `dataset`: every column, for 90 days. */
export function emptyDraft(dataset: RequestedDataset): RequestDraft {
  return {
    // Sensitive High rows take two approvals; its aggregates one, and no record leaves.
    scope: isSensitiveHigh(dataset) ? 'aggregates' : 'rows',
    columns: dataset.columns.map((c) => c.name),
    purpose: '',
    legalBasis: '',
    durationDays: 90,
    project: '',
    partners: '',
  }
}

/** What is missing or wrong, in the order the fields appear, each said as what to do. */
export function problemsOf(draft: RequestDraft): RequestProblems {
  const problems: RequestProblems = {}
  if (draft.columns.length === 0) problems.columns = 'Choose at least one column.'
  const purpose = draft.purpose.trim().length
  if (purpose < LIMITS.purpose)
    problems.purpose = `Say what the data is for in at least ${LIMITS.purpose} characters (${purpose} so far).`
  if (draft.legalBasis.trim().length < LIMITS.legalBasis)
    problems.legalBasis = 'Name the law or agreement that allows this use.'
  const days = Number(draft.durationDays)
  if (!Number.isInteger(days) || days < 1 || days > LIMITS.maxDays)
    problems.durationDays = `Enter a whole number of days from 1 to ${LIMITS.maxDays}.`
  const project = draft.project.trim()
  if (project && project.length < 3)
    problems.project = 'Give the project a name of at least 3 characters, or leave it empty.'
  const partners = listOf(draft.partners)
  if (partners.length > 0 && !project) problems.partners = 'Name the project to list its partners.'
  else if (partners.some((p) => p.length < 2))
    problems.partners = 'Write each agency as its code of at least 2 letters, e.g. MOE.'
  return problems
}

/** The request to send: columns only when not all of them, a project only when named. */
export function toNewRequest(dataset: RequestedDataset, draft: RequestDraft): NewRequest {
  const all = draft.columns.length === dataset.columns.length
  return {
    dataset: dataset.slug,
    scope: draft.scope,
    ...(!all && { columns: draft.columns }),
    purpose: draft.purpose.trim(),
    legalBasis: draft.legalBasis.trim(),
    durationDays: Number(draft.durationDays),
    ...(draft.project.trim() && {
      project: { name: draft.project.trim(), partnerAgencies: listOf(draft.partners) },
    }),
  }
}

/** A request being amended: what it asks now. */
export type AmendedRequest = Pick<
  RequestSummary,
  'id' | 'scope' | 'columns' | 'purpose' | 'legalBasis' | 'durationDays' | 'project'
>

/** The form filled in with the request as it stands, to amend it. */
export function draftOf(dataset: RequestedDataset, request: AmendedRequest): RequestDraft {
  return {
    scope: request.scope,
    columns: request.columns ?? dataset.columns.map((c) => c.name),
    purpose: request.purpose,
    legalBasis: request.legalBasis,
    durationDays: request.durationDays,
    project: request.project?.name ?? '',
    partners: request.project?.partnerAgencies.join(', ') ?? '',
  }
}

const sameColumns = (a: readonly string[] | null, b: readonly string[] | null) =>
  a === null || b === null ? a === b : a.length === b.length && a.every((c) => b.includes(c))

/** What the amendment changes: only the fields that differ; empty when nothing does. */
export function toAmendment(
  dataset: RequestedDataset,
  request: AmendedRequest,
  draft: RequestDraft,
): Amendment['changes'] {
  const next = toNewRequest(dataset, draft)
  const columns = next.columns ?? null
  return {
    ...(!sameColumns(columns, request.columns) && { columns }),
    ...(next.purpose !== request.purpose && { purpose: next.purpose }),
    ...(next.legalBasis !== request.legalBasis && { legalBasis: next.legalBasis }),
    ...(next.durationDays !== request.durationDays && { durationDays: next.durationDays }),
  }
}
