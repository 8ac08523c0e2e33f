import { Alert, List, Text, Title } from '@mantine/core'

/** An output-check refusal as the server words it: a lead, each rule broken and what broke it, advice. */
export interface Refusal {
  lead: string
  rules: { rule: string; why: string; what: string }[]
  advice: string
}

const RULES = 'minimum count|dominance|differencing'
/** "rule (why): what", up to the next rule or the closing advice. */
const RULE_PART = new RegExp(
  `(${RULES}) \\((.+?)\\): (.+?)(?=\\. (?:${RULES}) \\(|\\. [^.]*\\.$|\\.$)`,
  'g',
)

/**
 * Splits a refusal into its parts, so that each rule reads on a line of its own; undefined when
 * the message is not an output-check refusal (it then shows as written).
 */
export function parseRefusal(message: string): Refusal | undefined {
  const parts = [...message.matchAll(RULE_PART)]
  const first = parts[0]
  const last = parts.at(-1)
  if (!first || !last || !message.startsWith('The answer did not pass output checks'))
    return undefined
  return {
    lead: message.slice(0, first.index).trim(),
    rules: parts.map(([, rule = '', why = '', what = '']) => ({ rule, why, what })),
    advice: message
      .slice((last.index ?? 0) + last[0].length)
      .replace(/^\.\s*/, '')
      .trim(),
  }
}

/** The refusal of an answer that failed its output checks: each rule on a line, with what broke it. */
export function OutputCheckRefusal({ refusal }: { refusal: Refusal }) {
  return (
    <Alert color="red" variant="light" role="alert" my="md">
      <Title order={2} size="h4" mb={4}>
        The answer was held back by the output checks
      </Title>
      <Text style={{ overflowWrap: 'anywhere' }}>{refusal.lead}</Text>
      <List spacing="xs" mt="xs" style={{ overflowWrap: 'anywhere' }}>
        {refusal.rules.map((r) => (
          <List.Item key={r.rule}>
            <Text span fw={700}>
              {r.rule[0]?.toUpperCase()}
              {r.rule.slice(1)}
            </Text>
            : {r.why}. <Text span>Broken by {r.what}.</Text>
          </List.Item>
        ))}
      </List>
      {refusal.advice && (
        <Text mt="xs" style={{ overflowWrap: 'anywhere' }}>
          {refusal.advice}
        </Text>
      )}
    </Alert>
  )
}
