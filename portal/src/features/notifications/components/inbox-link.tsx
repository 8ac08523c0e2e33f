import { Button, Indicator } from '@mantine/core'
import { Link } from 'react-router'
import { useMe } from '../../../lib/use-me.js'
import { useNotifications } from '../api/use-notifications.js'

/** The header's way to the inbox, with the unread count. */
export function InboxLink() {
  // Asked only once someone is signed in: a visitor on the way to sign in has no inbox.
  const me = useMe()
  const inbox = useNotifications(Boolean(me.data))
  const unread = inbox.data?.unread ?? 0
  return (
    <Indicator label={unread} size={18} disabled={unread === 0} offset={4} color="red">
      <Button
        component={Link}
        to="/notifications"
        variant="subtle"
        aria-label={unread > 0 ? `Inbox, ${unread} unread` : 'Inbox'}
      >
        Inbox
      </Button>
    </Indicator>
  )
}
