import { Button, Checkbox, Group, NumberInput, Paper, Stack, TextInput, Title } from '@mantine/core'
import { type FormEvent, useState } from 'react'
import { ErrorState } from '../../../components/ui/page-state.js'
import type { NewToken, useCreateToken } from '../api/use-tokens.js'

/** Creates a token: its name, how many days it lasts, and whether it may write. */
export function NewTokenForm({ create }: { create: ReturnType<typeof useCreateToken> }) {
  const [name, setName] = useState('')
  const [write, setWrite] = useState(false)
  const [days, setDays] = useState<number | string>(30)

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const request: NewToken = {
      name,
      scopes: write ? ['read', 'write'] : ['read'],
      expiresInDays: Number(days),
    }
    create.mutate(request, { onSuccess: () => setName('') })
  }

  return (
    <Paper
      component="form"
      withBorder
      p="md"
      onSubmit={submit}
      aria-labelledby="new-token-heading"
      maw="36rem"
    >
      {/* Every field is required, so none is starred. */}
      <Stack gap="sm">
        <Title order={2} size="h3" id="new-token-heading">
          New token
        </Title>
        <TextInput
          label="Name"
          description="What the token is for, so you recognise it later"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          required
          withAsterisk={false}
          maxLength={100}
          placeholder="e.g. nightly sync"
        />
        <NumberInput
          label="Expires after (days)"
          min={1}
          max={365}
          clampBehavior="strict"
          allowDecimal={false}
          value={days}
          onChange={setDays}
          required
          withAsterisk={false}
          maw="12rem"
        />
        <Checkbox
          label="Allow changes (write scope); without it the token can only read"
          checked={write}
          onChange={(e) => setWrite(e.currentTarget.checked)}
        />
        <Group>
          <Button type="submit" loading={create.isPending}>
            Create token
          </Button>
        </Group>
        {create.isError && <ErrorState title="The token was not created" error={create.error} />}
      </Stack>
    </Paper>
  )
}
