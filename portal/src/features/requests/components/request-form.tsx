import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core'
import { useEffect, useRef } from 'react'
import { ErrorState } from '../../../components/ui/page-state.js'
import { ScopeChoice } from './access-scope.js'
import { ColumnChoice } from './column-choice.js'
import { isSensitiveHigh, type RequestedDataset } from './request-draft.js'
import { RequestTerms } from './request-terms.js'
import { useRequestDraft } from './use-request-draft.js'

/**
 * Asks for a dataset: the data row by row or aggregates only, which columns (each shown with its
 * personal-data kind, so an officer asks for no more than the project needs), why, under which
 * law, for how long, for which project.
 */
export function RequestForm({
  dataset,
  onDone,
}: {
  dataset: RequestedDataset
  onDone: () => void
}) {
  const { ids, draft, set, shown, submit, create } = useRequestDraft(dataset, onDone)
  // The button that opened the form is gone: take the keyboard to the form itself.
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])

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
            sensitiveHigh={isSensitiveHigh(dataset)}
          />
          <ColumnChoice
            ids={ids}
            columns={dataset.columns}
            scope={draft.scope}
            value={draft.columns}
            onChange={(columns) => set('columns', columns)}
            error={shown.columns}
          />
          <RequestTerms ids={ids} draft={draft} set={set} shown={shown} />
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
