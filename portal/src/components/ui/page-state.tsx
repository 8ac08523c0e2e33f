import { Alert, Center, Loader, Stack, Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'

/** A loading placeholder that screen readers announce. */
export function Loading({ label }: { label: string }) {
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Stack align="center" gap="xs">
        <Loader size="sm" aria-hidden />
        <Text c="dimmed">{label}</Text>
      </Stack>
    </Center>
  )
}

/** A failure the reader can act on: what went wrong and what to try. */
export function ErrorState({
  title,
  error,
  action,
}: {
  title: string
  error: unknown
  action?: ReactNode
}) {
  const message = error instanceof Error ? error.message : 'Something went wrong.'
  return (
    <Alert color="red" variant="light" role="alert" my="md">
      <Title order={2} size="h4" mb={4}>
        {title}
      </Title>
      {/* A long message (an output check naming ten cells) wraps; nothing of it is cut. */}
      <Text style={{ overflowWrap: 'anywhere' }}>{message}</Text>
      {action && <div style={{ marginTop: 8 }}>{action}</div>}
    </Alert>
  )
}

/** Nothing to show yet: says so, and what would change it. */
export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap={4} py="lg" px="md">
      <Title order={2} size="h4">
        {title}
      </Title>
      <Text c="dimmed">{children}</Text>
    </Stack>
  )
}
