import { Box, Button, Code, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core'
import { type FormEvent, useEffect, useId, useRef, useState } from 'react'
import { ErrorState } from '../../../components/ui/page-state.js'
import {
  type PersonalDataKind,
  personalDataLabel,
} from '../../../components/ui/personal-data-badge.js'
import { sampleReportOf } from '../api/sample-report.js'
import type { DatasetDetail } from '../api/use-datasets.js'
import { useEditDataset } from '../api/use-edit-dataset.js'

/** The server asks as much (catalog's metadata patch): a label without a reason is refused. */
const MIN_REASON = 10

interface Suggestion {
  column: string
  /** The column's label now. */
  current: PersonalDataKind
  suggested: PersonalDataKind
  reasons: string[]
  /** Why a steward labelled the column, once one has. */
  decided: string | undefined
}

/** The labels the current version's data suggests, for columns the dataset still has. */
function suggestionsOf(dataset: DatasetDetail): Suggestion[] {
  const report = sampleReportOf(dataset.currentVersion?.sample ?? null)
  return (report?.columns ?? []).flatMap((c) => {
    const column = dataset.columns.find((dc) => dc.name === c.name)
    if (!c.suggestion || !column) return []
    return [
      {
        column: c.name,
        current: column.personalData,
        suggested: c.suggestion.kind,
        reasons: c.suggestion.reasons,
        decided: column.personalDataReason ?? undefined,
      },
    ]
  })
}

/**
 * For the owning agency's stewards: where the data says more about people than a column's label
 * does. Each suggestion is accepted or the label kept, with a reason; samples follow the label
 * from the next published version on.
 */
export function LabelSuggestions({ dataset }: { dataset: DatasetDetail }) {
  const headingId = useId()
  const suggestions = suggestionsOf(dataset)
  if (suggestions.length === 0) return null
  return (
    <Stack component="section" aria-labelledby={headingId} gap="xs">
      <Title order={2} id={headingId}>
        Suggested labels
      </Title>
      <Text>
        What the data of version {dataset.currentVersion?.version} says about columns whose label
        may say too little. Accept a suggestion or keep the label, saying why: the next published
        version's sample follows the label.
      </Text>
      <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }}>
        {suggestions.map((s) => (
          <SuggestionItem key={s.column} slug={dataset.slug} suggestion={s} />
        ))}
      </Stack>
    </Stack>
  )
}

function SuggestionItem({ slug, suggestion: s }: { slug: string; suggestion: Suggestion }) {
  const edit = useEditDataset(slug)
  const [choice, setChoice] = useState<PersonalDataKind | undefined>()
  const [reason, setReason] = useState('')
  const [tooShort, setTooShort] = useState(false)
  const [saved, setSaved] = useState<PersonalDataKind | undefined>()
  const reasonBox = useRef<HTMLTextAreaElement>(null)
  const current = personalDataLabel(s.current)
  const suggested = personalDataLabel(s.suggested)
  const accepting = choice === s.suggested
  // Decided once, by a steward with a reason, or already labelled as suggested: nothing to ask.
  const open = !saved && !s.decided && s.current !== s.suggested
  const action = accepting ? `Label ${s.column} ${suggested}` : `Keep ${s.column} ${current}`

  // The reason is asked for at once: the box takes the focus when the form opens.
  useEffect(() => {
    if (choice) reasonBox.current?.focus()
  }, [choice])

  const choose = (kind: PersonalDataKind | undefined) => {
    setChoice(kind)
    setTooShort(false)
    edit.reset()
  }
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!choice) return
    if (reason.trim().length < MIN_REASON) {
      setTooShort(true)
      reasonBox.current?.focus()
      return
    }
    setTooShort(false)
    edit.mutate(
      { columns: [{ name: s.column, personalData: { kind: choice, reason: reason.trim() } }] },
      {
        onSuccess: () => {
          setSaved(choice)
          setChoice(undefined)
          setReason('')
        },
      },
    )
  }

  return (
    <Paper component="li" withBorder p="sm">
      <Stack gap="xs">
        <Text>
          <Code>{s.column}</Code> is labelled {current}; the data suggests {suggested}:{' '}
          {s.reasons.join('; ')}.
        </Text>
        {saved ? (
          <Text role="status" c="green.9" fw={600}>
            Saved: {s.column} is labelled {personalDataLabel(saved)}. The next published version's
            sample follows this label.
          </Text>
        ) : s.decided ? (
          <Text size="sm">
            Labelled {current} by a steward: {s.decided}. The next published version's sample
            follows this label.
          </Text>
        ) : null}
        {open && choice === undefined && (
          <Group gap="xs">
            <Button
              type="button"
              size="xs"
              onClick={() => choose(s.suggested)}
              aria-label={`Accept ${suggested} for ${s.column}`}
            >
              Accept {suggested}
            </Button>
            <Button
              type="button"
              size="xs"
              variant="default"
              onClick={() => choose(s.current)}
              aria-label={`Keep ${current} for ${s.column}`}
            >
              Keep {current}
            </Button>
          </Group>
        )}
        {open && choice !== undefined && (
          <Box component="form" onSubmit={submit} aria-label={action} noValidate>
            <Stack gap="xs">
              <Textarea
                ref={reasonBox}
                label={accepting ? `Why is ${s.column} ${suggested}?` : `Why keep ${current}?`}
                description={`At least ${MIN_REASON} characters; recorded with the label.`}
                value={reason}
                onChange={(e) => setReason(e.currentTarget.value)}
                error={tooShort ? `Say in at least ${MIN_REASON} characters why.` : undefined}
                rows={2}
              />
              <Group gap="xs">
                <Button type="submit" size="xs" loading={edit.isPending}>
                  {action}
                </Button>
                <Button type="button" size="xs" variant="default" onClick={() => choose(undefined)}>
                  Cancel
                </Button>
              </Group>
              {edit.isError && <ErrorState title="The label was not saved" error={edit.error} />}
            </Stack>
          </Box>
        )}
      </Stack>
    </Paper>
  )
}
