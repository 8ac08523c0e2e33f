import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core'
import { useEffect, useRef } from 'react'
import { ErrorState } from '../../../components/ui/page-state.js'
import { SCOPE_WORDS, ScopeChoice } from './access-scope.js'
import { ColumnChoice } from './column-choice.js'
import { type AmendedRequest, isSensitiveHigh, type RequestedDataset } from './request-draft.js'
import { RequestTerms } from './request-terms.js'
import { useRequestDraft } from './use-request-draft.js'

/**
 * Asks for a dataset: the data row by row or aggregates only, which columns (each shown with its
 * personal-data kind, so an officer asks for no more than the project needs), why, under which
 * law, for how long, for which project. With `amending`, changes that request while it waits:
 * its columns, purpose, legal basis and duration (what it shares and for which project stay).
 */
export function RequestForm({
  dataset,
  onDone,
  amending,
}: {
  dataset: RequestedDataset
  onDone: () => void
  amending?: AmendedRequest
}) {
  const { ids, draft, set, shown, submit, sending, unchanged } = useRequestDraft(
    dataset,
    onDone,
    amending,
  )
  const name = amending ? 'Amend your request' : 'Request access'
  // The button that opened the form is gone: take the keyboard to the form itself.
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])

  return (
    <Paper withBorder p={{ base: 'sm', sm: 'lg' }} my="md">
      <form onSubmit={submit} aria-label={name} noValidate>
        <Stack gap="md">
          <div>
            <Title order={2} ref={heading} tabIndex={-1}>
              {name}
            </Title>
            <Text c="dimmed" size="sm">
              {amending
                ? `The stewards are told what changed. The clock keeps running from the day you sent it; an approval given before no longer counts. What it shares (${SCOPE_WORDS[amending.scope].toLowerCase()}) and its project stay as they are.`
                : 'A steward of the owning agency decides within 7 working days. Ask only for the columns your project needs.'}
            </Text>
          </div>
          {!amending && (
            <ScopeChoice
              value={draft.scope}
              onChange={(scope) => set('scope', scope)}
              sensitiveHigh={isSensitiveHigh(dataset)}
            />
          )}
          <ColumnChoice
            ids={ids}
            columns={dataset.columns}
            scope={draft.scope}
            value={draft.columns}
            onChange={(columns) => set('columns', columns)}
            error={shown.columns}
          />
          <RequestTerms ids={ids} draft={draft} set={set} shown={shown} amending={!!amending} />
          <Group gap="sm" wrap="wrap">
            <Button type="submit" loading={sending.isPending}>
              {amending ? 'Save changes' : 'Send request'}
            </Button>
            <Button variant="default" onClick={onDone}>
              Cancel
            </Button>
          </Group>
          {unchanged && (
            <Text role="alert" c="red.9">
              Nothing is changed yet: change a field, or cancel.
            </Text>
          )}
          {sending.isError && (
            <ErrorState
              title={amending ? 'The changes were not saved' : 'The request was not sent'}
              error={sending.error}
            />
          )}
        </Stack>
      </form>
    </Paper>
  )
}
