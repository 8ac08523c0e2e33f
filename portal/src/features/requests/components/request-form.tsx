import {
  Button,
  Checkbox,
  Code,
  Group,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core'
import { type FormEvent, useEffect, useId, useRef, useState } from 'react'
import { useNavigate } from 'react-router'
import { ErrorState } from '../../../components/ui/page-state.js'
import {
  PersonalDataBadge,
  type PersonalDataKind,
} from '../../../components/ui/personal-data-badge.js'
import { focusFirstProblem } from '../../../lib/focus-first-problem.js'
import { useCreateRequest } from '../api/use-requests.js'
import { type AccessScope, ScopeChoice } from './access-scope.js'

const listOf = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)

const LIMITS = { purpose: 20, legalBasis: 5, maxDays: 730 }

interface RequestDraft {
  scope: AccessScope
  columns: string[]
  purpose: string
  legalBasis: string
  durationDays: number | string
  project: string
  partners: string
}
type Problems = Partial<
  Record<'columns' | 'purpose' | 'legalBasis' | 'durationDays' | 'project' | 'partners', string>
>

/** What is missing or wrong, in the order the fields appear, each said as what to do. */
function problemsOf(draft: RequestDraft): Problems {
  const problems: Problems = {}
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

/**
 * Asks for a dataset: the data row by row or aggregates only, which columns (each shown with its
 * personal-data kind, so an officer asks for no more than the project needs), why, under which
 * law, for how long, for which project.
 */
export function RequestForm({
  dataset,
  onDone,
}: {
  dataset: {
    slug: string
    classification: { sensitivity: string }
    columns: { name: string; personalData: PersonalDataKind }[]
  }
  onDone: () => void
}) {
  const sensitiveHigh = dataset.classification.sensitivity === 'sensitive-high'
  const ids = useId()
  const create = useCreateRequest()
  const navigate = useNavigate()
  const [draft, setDraft] = useState<RequestDraft>({
    // Sensitive High rows take two approvals; its aggregates one, and no record leaves.
    scope: sensitiveHigh ? 'aggregates' : 'rows',
    columns: dataset.columns.map((c) => c.name),
    purpose: '',
    legalBasis: '',
    durationDays: 90,
    project: '',
    partners: '',
  })
  // Problems show once the person has tried to send, then update as they type.
  const [tried, setTried] = useState(false)
  const problems = problemsOf(draft)
  const shown = tried ? problems : {}
  // The button that opened the form is gone: take the keyboard to the form itself.
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])
  const set = <K extends keyof RequestDraft>(key: K, value: RequestDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }))

  function submit(event: FormEvent) {
    event.preventDefault()
    setTried(true)
    if (focusFirstProblem(ids, problems)) return
    const all = draft.columns.length === dataset.columns.length
    create.mutate(
      {
        dataset: dataset.slug,
        scope: draft.scope,
        ...(!all && { columns: draft.columns }),
        purpose: draft.purpose.trim(),
        legalBasis: draft.legalBasis.trim(),
        durationDays: Number(draft.durationDays),
        ...(draft.project.trim() && {
          project: { name: draft.project.trim(), partnerAgencies: listOf(draft.partners) },
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
    <Paper withBorder p={{ base: 'sm', sm: 'lg' }} my="md">
      <form onSubmit={submit} aria-label="Request access" noValidate>
        <Stack gap="md">
          <div>
            <Title order={2} ref={heading} tabIndex={-1}>
              Request access
            </Title>
            <Text c="dimmed" size="sm">
              A steward of the owning agency decides within 7 working days. Ask only for the columns
              your project needs.
            </Text>
          </div>
          <ScopeChoice
            value={draft.scope}
            onChange={(scope) => set('scope', scope)}
            sensitiveHigh={sensitiveHigh}
          />
          <Checkbox.Group
            label={`Columns (${draft.columns.length} of ${dataset.columns.length} chosen)`}
            description={
              draft.scope === 'aggregates'
                ? 'Each column says whether it identifies people. For aggregates, choose the columns to group by and add up; direct identifiers stay out of the view: people are counted, never named.'
                : 'Each column says whether it identifies people.'
            }
            value={draft.columns}
            onChange={(columns) => set('columns', columns)}
            error={shown.columns}
          >
            <Group gap="xs" mt="xs" wrap="wrap">
              <Button
                variant="subtle"
                size="compact-sm"
                onClick={() =>
                  set(
                    'columns',
                    dataset.columns.map((c) => c.name),
                  )
                }
              >
                Choose all
              </Button>
              <Button variant="subtle" size="compact-sm" onClick={() => set('columns', [])}>
                Clear
              </Button>
            </Group>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" mt="xs">
              {dataset.columns.map((c) => (
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
          <Textarea
            id={`${ids}-purpose`}
            label="Purpose"
            description={`What the data is for and who will use it (at least ${LIMITS.purpose} characters).`}
            value={draft.purpose}
            onChange={(e) => set('purpose', e.currentTarget.value)}
            rows={3}
            maxLength={2000}
            required
            withAsterisk={false}
            error={shown.purpose}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              id={`${ids}-legalBasis`}
              label="Legal basis"
              description="The law or agreement that allows this use."
              placeholder="e.g. Public Sector (Governance) Act 2018, s. 25"
              value={draft.legalBasis}
              onChange={(e) => set('legalBasis', e.currentTarget.value)}
              required
              withAsterisk={false}
              error={shown.legalBasis}
            />
            <NumberInput
              id={`${ids}-durationDays`}
              label="Duration (days)"
              description={`How long you need access, up to ${LIMITS.maxDays} days.`}
              value={draft.durationDays}
              onChange={(value) => set('durationDays', value)}
              min={1}
              max={LIMITS.maxDays}
              allowDecimal={false}
              allowNegative={false}
              required
              withAsterisk={false}
              error={shown.durationDays}
            />
            <TextInput
              id={`${ids}-project`}
              label="Project (optional)"
              value={draft.project}
              onChange={(e) => set('project', e.currentTarget.value)}
              error={shown.project}
            />
            <TextInput
              id={`${ids}-partners`}
              label="Partner agencies (optional)"
              description="Separate agencies with commas."
              placeholder="e.g. MOE, HDB"
              value={draft.partners}
              onChange={(e) => set('partners', e.currentTarget.value)}
              error={shown.partners}
            />
          </SimpleGrid>
          <Group gap="sm" wrap="wrap">
            <Button type="submit" loading={create.isPending}>
              Send request
            </Button>
            <Button variant="default" onClick={onDone}>
              Cancel
            </Button>
          </Group>
          {create.isError && <ErrorState title="The request was not sent" error={create.error} />}
        </Stack>
      </form>
    </Paper>
  )
}
