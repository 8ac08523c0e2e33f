import {
  Alert,
  Checkbox,
  Code,
  Fieldset,
  NativeSelect,
  SimpleGrid,
  Stack,
  TextInput,
} from '@mantine/core'
import { type FormEvent, useId, useState } from 'react'
import { ErrorState, Loading } from '../../../components/ui/page-state.js'
import { PersonalDataBadge } from '../../../components/ui/personal-data-badge.js'
import { focusFirstProblem } from '../../../lib/focus-first-problem.js'
import { formatDay } from '../../../lib/format.js'
import { type SchemaColumn, useDatasetSchema } from '../api/use-approval-context.js'
import { type RequestDetail, useRequestStep } from '../api/use-requests.js'
import { DialogActions } from './dialog-actions.js'
import { RequesterHistory } from './requester-history.js'

const DAY_MS = 86_400_000
/** A day as `YYYY-MM-DD` in Singapore, the form a date input reads and writes. */
const isoDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Singapore' })

/**
 * Approve, narrowing the columns, the rows and the end date if the project needs less. Sits in
 * the "Approve this request" dialog, which says first whether rows or only aggregates are asked.
 */
export function ApproveForm({
  request,
  onDone,
  onApproved,
}: {
  request: RequestDetail
  /** Closes the dialog without a step. */
  onDone: () => void
  /** Told with the request as it stands once approved. */
  onApproved: (approved: RequestDetail) => void
}) {
  const schema = useDatasetSchema(request.dataset.slug)
  if (schema.isPending) return <Loading label="Loading the dataset's columns…" />
  if (schema.isError)
    return <ErrorState title="The columns could not be loaded" error={schema.error} />
  const kinds = new Map(schema.data.map((c) => [c.name, c.personalData]))
  const requested = request.columns ?? schema.data.map((c) => c.name)
  return (
    <Stack gap="lg">
      <RequesterHistory request={request} />
      <ApproveFields
        request={request}
        requested={requested.map((name) => ({ name, personalData: kinds.get(name) ?? 'none' }))}
        onDone={onDone}
        onApproved={onApproved}
      />
    </Stack>
  )
}

function ApproveFields({
  request,
  requested,
  onDone,
  onApproved,
}: {
  request: RequestDetail
  requested: SchemaColumn[]
  onDone: () => void
  onApproved: (approved: RequestDetail) => void
}) {
  const ids = useId()
  const step = useRequestStep(request.id)
  const [columns, setColumns] = useState<string[]>(() => requested.map((c) => c.name))
  const [filterColumn, setFilterColumn] = useState('')
  const [filterValues, setFilterValues] = useState('')
  const [until, setUntil] = useState('')
  const [tried, setTried] = useState(false)
  const values = filterValues
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)
  // The grant may end no later than the duration asked for, counted from now: the last whole day.
  const now = Date.now()
  const firstDay = isoDay.format(now)
  const lastDay = isoDay.format(now + (request.durationDays - 1) * DAY_MS)

  const problems: Partial<Record<'columns' | 'values' | 'until', string>> = {}
  if (columns.length === 0)
    problems.columns = 'Share at least one column, or reject the request instead.'
  if (filterColumn && values.length === 0)
    problems.values = 'List at least one value, or choose “(all rows)”.'
  if (until && (until < firstDay || until > lastDay))
    problems.until = `Choose a day from ${formatDay(firstDay)} to ${formatDay(lastDay)}, or leave it empty.`
  const shown = tried ? problems : {}

  function send(event: FormEvent) {
    event.preventDefault()
    setTried(true)
    if (focusFirstProblem(ids, problems)) return
    // The promise, not mutate's callbacks: those are dropped once the step's dialog goes, and
    // the approval must still be confirmed. A failure shows below the form.
    step
      .mutateAsync({
        action: 'approve',
        body: {
          ...(columns.length < requested.length && { columns }),
          ...(filterColumn &&
            values.length > 0 && {
              rowFilter: [{ column: filterColumn, op: 'in' as const, values }],
            }),
          // The end of the chosen day in Singapore.
          ...(until && { expiresAt: `${until}T23:59:59+08:00` }),
        },
      })
      .then(onApproved, () => undefined)
  }

  return (
    <form onSubmit={send} aria-label="Approve" noValidate>
      <Stack gap="md">
        {request.scope === 'aggregates' ? (
          <Alert role="note" variant="light" color="govBlue" title="Aggregates only">
            The requester will never see a record: only answers of aggregate queries (counts, sums
            and averages by group), each released only if every cell counts at least 10 people and
            no one dominates it. The columns and rows you share are what they can group and count.
          </Alert>
        ) : (
          request.approvalsNeeded > 1 && (
            <Alert role="note" variant="light" color="govBlue" title="Two stewards must approve">
              This dataset is Sensitive-High and the request is for the data row by row:{' '}
              {request.approvalsNeeded} approvals by different stewards are needed, and the grant
              takes the narrowest conditions of them.
            </Alert>
          )
        )}
        <Checkbox.Group
          label="Columns to share"
          description="Untick any column the project does not need. Each says, as the requester saw it, whether it identifies people."
          value={columns}
          onChange={setColumns}
          error={shown.columns}
        >
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" mt="xs">
            {requested.map((c) => (
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
        <Fieldset legend="Rows to share (optional)" variant="filled">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NativeSelect
              id={`${ids}-column`}
              label="Only rows whose"
              value={filterColumn}
              onChange={(e) => setFilterColumn(e.currentTarget.value)}
              data={[{ value: '', label: '(all rows)' }, ...requested.map((c) => c.name)]}
            />
            <TextInput
              id={`${ids}-values`}
              label="is one of (comma-separated)"
              placeholder="e.g. BEDOK, TAMPINES"
              value={filterValues}
              onChange={(e) => setFilterValues(e.currentTarget.value)}
              disabled={!filterColumn}
              required={Boolean(filterColumn)}
              withAsterisk={false}
              error={shown.values}
            />
          </SimpleGrid>
        </Fieldset>
        <TextInput
          id={`${ids}-until`}
          type="date"
          label="Access ends on"
          description={`Optional. Leave empty for the full ${request.durationDays} days asked for; the last possible day is ${formatDay(lastDay)}.`}
          value={until}
          onChange={(e) => setUntil(e.currentTarget.value)}
          min={firstDay}
          max={lastDay}
          error={shown.until}
          maw={280}
        />
        <DialogActions submit="Approve" pending={step.isPending} onCancel={onDone} />
        {step.isError && <ErrorState title="The request was not approved" error={step.error} />}
      </Stack>
    </form>
  )
}
