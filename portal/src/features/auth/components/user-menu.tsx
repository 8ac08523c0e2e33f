import { Avatar, Group, Menu, Text, UnstyledButton, VisuallyHidden } from '@mantine/core'
import { useNavigate } from 'react-router'
import { useMe } from '../../../lib/use-me.js'
import { useSignOut } from '../api/use-auth.js'

function initialsOf(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join('')
}

/** The signed-in person in the header: name, agency and roles, and a way out. */
export function UserMenu() {
  const me = useMe()
  const signOut = useSignOut()
  const navigate = useNavigate()
  if (!me.data) return null
  const { user } = me.data
  return (
    <Menu position="bottom-end" withArrow>
      <Menu.Target>
        {/* Named by what it shows (WCAG 2.5.3); on a phone only the initials show, and the name
            is there for screen readers alone. */}
        <UnstyledButton>
          <Group gap="xs" wrap="nowrap">
            <VisuallyHidden>Account:</VisuallyHidden>{' '}
            <VisuallyHidden className="user-summary-phone">{user.displayName}</VisuallyHidden>
            <Avatar color="govBlue" radius="xl" size="md" aria-hidden>
              {initialsOf(user.displayName)}
            </Avatar>
            <div className="user-summary">
              <Text size="sm" fw={600} lh={1.2}>
                {user.displayName}
              </Text>
              <Text size="xs" c="dimmed" lh={1.2}>
                {user.agency.code} · {user.roles.join(', ')}
              </Text>
            </div>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Signed in as</Menu.Label>
        <div style={{ padding: '0 12px 8px' }}>
          <Text fw={600}>{user.displayName}</Text>
          <Text size="sm" c="dimmed">
            {user.agency.code} · {user.roles.join(', ')}
          </Text>
        </div>
        <Menu.Divider />
        <Menu.Item
          onClick={() => signOut.mutate(undefined, { onSuccess: () => navigate('/sign-in') })}
          disabled={signOut.isPending}
        >
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  )
}
