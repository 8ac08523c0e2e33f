import { Anchor, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core'
import { Link } from 'react-router'
import { EmptyState, ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatDateTime } from '../../../lib/format.js'
import { type Inbox, useMarkAllRead, useNotifications } from '../api/use-notifications.js'

/** The inbox: requests to decide, questions, decisions and access about to end. */
export function NotificationsPage() {
  const inbox = useNotifications()
  const markAll = useMarkAllRead()
  return (
    <Stack component="section" aria-labelledby="inbox-heading" gap="md">
      <Group justify="space-between" align="flex-end" gap="sm" wrap="wrap">
        <Title order={1} id="inbox-heading">
          Inbox
        </Title>
        {inbox.data && inbox.data.unread > 0 && (
          <Button
            type="button"
            variant="default"
            onClick={() => markAll.mutate()}
            loading={markAll.isPending}
          >
            Mark all {inbox.data.unread} read
          </Button>
        )}
      </Group>
      {inbox.isPending ? (
        <Loading label="Loading your inbox…" />
      ) : inbox.isError ? (
        <ErrorState title="The inbox could not be loaded" error={inbox.error} />
      ) : inbox.data.notifications.length === 0 ? (
        <EmptyState title="Nothing here yet">
          You will be told here when a request needs you or a decision is made.
        </EmptyState>
      ) : (
        <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }}>
          {inbox.data.notifications.map((n) => (
            <Notice key={n.id} notice={n} />
          ))}
        </Stack>
      )}
      {markAll.isError && (
        <ErrorState title="The notices were not marked read" error={markAll.error} />
      )}
    </Stack>
  )
}

/** One notice; an unread one says "New" in words and stands out with a bolder title and edge. */
function Notice({ notice: n }: { notice: Inbox['notifications'][number] }) {
  const unread = !n.readAt
  return (
    <Paper
      component="li"
      withBorder
      p="sm"
      style={unread ? { borderInlineStart: '4px solid var(--mantine-color-govBlue-7)' } : undefined}
    >
      <Stack gap={4}>
        <Group gap="xs" wrap="wrap">
          {unread && (
            <Badge variant="light" color="govBlue" tt="none">
              New
            </Badge>
          )}
          <Anchor component={Link} to={n.link} fw={unread ? 700 : 400}>
            {n.title}
          </Anchor>
        </Group>
        {n.body && <Text size="sm">{n.body}</Text>}
        <Text size="xs" c="dimmed">
          {formatDateTime(n.createdAt)}
        </Text>
      </Stack>
    </Paper>
  )
}
