import { Box, Text, Timeline, Title } from '@mantine/core'
import { formatDateTime } from '../../../lib/format.js'
import type { RequestDetail } from '../api/use-requests.js'

type RequestEvent = NonNullable<RequestDetail['history']>[number]

/** Each step as a person would say it; unknown actions show as recorded. */
const ACTIONS: Record<string, string> = {
  submit: 'Request sent',
  approve: 'Approved',
  reject: 'Rejected',
  'ask-info': 'Asked for information',
  resubmit: 'Requester answered',
  amend: 'Amended by the requester',
  withdraw: 'Withdrawn by the requester',
  revoke: 'Access revoked',
}

/** The fields of a request as a person names them. */
const FIELD_WORDS: Record<string, string> = {
  columns: 'columns',
  purpose: 'purpose',
  legalBasis: 'legal basis',
  durationDays: 'duration',
}

/** What the step said in words, when it said anything. */
function noteOf(details: RequestEvent['details']): string | undefined {
  if (Array.isArray(details.changed) && !('answer' in details))
    return `Changed: ${details.changed.map((f) => FIELD_WORDS[String(f)] ?? String(f)).join(', ')}`
  if (typeof details.question === 'string') return `“${details.question}”`
  if (typeof details.answer === 'string') return `“${details.answer}”`
  if (typeof details.reason === 'string') return `Reason: ${details.reason}`
  return undefined
}

/** The request's history, oldest first: who did what, when, and what they said. */
export function RequestHistory({ history }: { history: readonly RequestEvent[] }) {
  return (
    <Box component="section" aria-labelledby="history-heading">
      <Title order={2} id="history-heading" mb="sm">
        History
      </Title>
      {history.length === 0 ? (
        <Text c="dimmed">Nothing has happened to this request yet.</Text>
      ) : (
        <Timeline active={history.length - 1} bulletSize={14} lineWidth={2} role="list">
          {history.map((h, i) => {
            const note = noteOf(h.details)
            return (
              // The history only grows; its order is its identity.
              // biome-ignore lint/suspicious/noArrayIndexKey: entries have no id of their own
              <Timeline.Item key={i} role="listitem" title={ACTIONS[h.action] ?? h.action}>
                <Text size="sm" c="dimmed">
                  {formatDateTime(h.at)} · by {h.actor}
                </Text>
                {note && (
                  <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap' }}>
                    {note}
                  </Text>
                )}
              </Timeline.Item>
            )
          })}
        </Timeline>
      )}
    </Box>
  )
}
