import { Badge, Radio, Stack } from '@mantine/core'
import type { RequestSummary } from '../api/use-requests.js'

/** What a request (and its grant) shares: the data row by row, or checked aggregates only. */
export type AccessScope = RequestSummary['scope']

/** The choice as the form offers it: a name and one sentence, approvals included. */
const CHOICES: Record<AccessScope, { label: string; description: string }> = {
  rows: {
    label: 'The data, row by row',
    description:
      'You query and download the columns you are granted, one record at a time; Sensitive-High data needs the approval of two stewards.',
  },
  aggregates: {
    label: 'Aggregates only (answers checked before they leave)',
    description:
      'You never see a record, only counts, sums and averages by group, each answer checked (at least 10 people in every cell, no one dominating) before you get it; one steward approves, even for Sensitive-High data.',
  },
}

/** A scope in a few words, for lists, badges and facts. */
export const SCOPE_WORDS: Record<AccessScope, string> = {
  rows: 'Row by row',
  aggregates: 'Aggregates only',
}

/** The scope of a request or grant, in words (the colour only repeats them). */
export function ScopeBadge({ scope }: { scope: AccessScope }) {
  return (
    <Badge
      variant="outline"
      color={scope === 'aggregates' ? '#6b2d91' : '#35506b'}
      tt="none"
      size="sm"
      styles={{ root: { overflow: 'visible' }, label: { overflow: 'visible' } }}
    >
      {SCOPE_WORDS[scope]}
    </Badge>
  )
}

/**
 * The form's first question: the data itself, or aggregates only. For Sensitive-High data
 * aggregates come chosen, with the reason beside them.
 */
export function ScopeChoice({
  value,
  onChange,
  sensitiveHigh,
}: {
  value: AccessScope
  onChange: (scope: AccessScope) => void
  sensitiveHigh: boolean
}) {
  return (
    <Radio.Group<AccessScope>
      label="What you need"
      description={
        sensitiveHigh
          ? 'This dataset is Sensitive-High, so aggregates are chosen for you: one steward can approve them, where the rows need two, and no record leaves the Trusted Centre. Choose the rows only if your project cannot work from counts and averages.'
          : 'Most planning and statistics need only aggregates.'
      }
      value={value}
      onChange={onChange}
    >
      <Stack gap="sm" mt="xs">
        {(['rows', 'aggregates'] as const).map((scope) => (
          <Radio
            key={scope}
            value={scope}
            label={CHOICES[scope].label}
            description={CHOICES[scope].description}
          />
        ))}
      </Stack>
    </Radio.Group>
  )
}
