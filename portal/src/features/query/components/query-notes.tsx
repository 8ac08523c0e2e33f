import { Alert, List, Text } from '@mantine/core'
import { TONE } from '../../../lib/tones.js'

/**
 * What the server says of an answer beside its rows (`notes` of `POST /api/query`): a filter the
 * grant's row filter leaves no rows for, or the row filter of an answer with none. Nothing when
 * there is nothing to say.
 *
 * @example <QueryNotes notes={answer.notes} />
 */
export function QueryNotes({ notes }: { notes: readonly string[] }) {
  if (notes.length === 0) return null
  return (
    <Alert color={TONE.warn} variant="light" role="status" title="About your access" my="sm">
      {notes.length === 1 ? (
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {notes[0]}
        </Text>
      ) : (
        <List size="sm" spacing={4} style={{ overflowWrap: 'anywhere' }}>
          {notes.map((note) => (
            <List.Item key={note}>{note}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  )
}
