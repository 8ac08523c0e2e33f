import { Alert, Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core'
import { TONE } from '../../../lib/tones.js'

/** A new token's secret, shown once, with a button that copies it. */
export function NewTokenSecret({ token }: { token: string }) {
  return (
    <Alert color={TONE.good} variant="light" role="status" maw="48rem">
      <Stack gap="xs">
        <Text fw={700}>Copy your new token now. It will not be shown again.</Text>
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <Code block style={{ flex: 1, minWidth: 0, wordBreak: 'break-all' }}>
            {token}
          </Code>
          <CopyButton value={token}>
            {({ copied, copy }) => (
              <Button type="button" variant="default" onClick={copy} aria-live="polite">
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
        </Group>
      </Stack>
    </Alert>
  )
}
