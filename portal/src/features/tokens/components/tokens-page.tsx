import { Code, Stack, Text, Title } from '@mantine/core'
import { useCreateToken } from '../api/use-tokens.js'
import { NewTokenForm } from './new-token-form.js'
import { NewTokenSecret } from './new-token-secret.js'
import { TokenList } from './token-list.js'

/** Personal API tokens for scripts: create one (its secret is shown once), see them, revoke them. */
export function TokensPage() {
  const create = useCreateToken()
  return (
    <Stack component="section" aria-labelledby="tokens-heading" gap="lg">
      <div>
        <Title order={1} id="tokens-heading">
          API tokens
        </Title>
        <Text c="dimmed" maw="48rem">
          Scripts call the API with <Code>Authorization: Bearer &lt;token&gt;</Code>. A token acts
          as you, within the scopes you give it, until it expires or you revoke it.
        </Text>
      </div>
      <NewTokenForm create={create} />
      {create.data && <NewTokenSecret token={create.data.token} />}
      <TokenList />
    </Stack>
  )
}
