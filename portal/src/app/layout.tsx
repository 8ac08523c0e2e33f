import {
  Anchor,
  AppShell,
  Burger,
  Group,
  NavLink,
  ScrollArea,
  Text,
  TextInput,
} from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { type FormEvent, useEffect, useState } from 'react'
import { Link, Outlet, useLocation, useNavigate, useSearchParams } from 'react-router'
import { MASTHEAD_HEIGHT, Masthead } from '../components/ui/masthead.js'
import { RequireSignIn } from '../features/auth/components/require-sign-in.js'
import { UserMenu } from '../features/auth/components/user-menu.js'
import { InboxLink } from '../features/notifications/components/inbox-link.js'
import { type Role, useMe } from '../lib/use-me.js'

interface NavItem {
  to: string
  label: string
  /** Roles that see the link; everyone signed in when absent. */
  roles?: readonly Role[]
  /** Served by the API itself, outside the single-page app. */
  external?: boolean
}

/** Navigation by what people come to do; a link shows only to the roles whose work it is. */
const SECTIONS: readonly { title: string; items: readonly NavItem[] }[] = [
  {
    title: 'Find data',
    items: [
      { to: '/', label: 'Datasets' },
      { to: '/lineage', label: 'Lineage' },
      { to: '/glossary', label: 'Glossary' },
    ],
  },
  {
    title: 'Use data',
    items: [
      { to: '/query', label: 'Query' },
      { to: '/requests', label: 'Data requests' },
    ],
  },
  {
    title: 'Measure',
    items: [{ to: '/kpis', label: 'KPIs' }],
  },
  {
    title: 'Govern',
    items: [
      // Every request and grant of the agency, with their use: the stewards' oversight.
      { to: '/agency', label: 'Agency sharing', roles: ['steward', 'admin'] },
      // Every officer may read the contracts; they are the stewards' and administrators' work.
      { to: '/feeds', label: 'Feed contracts', roles: ['steward', 'admin'] },
      { to: '/audit', label: 'Audit trail', roles: ['auditor'] },
    ],
  },
  {
    title: 'Developers',
    items: [
      { to: '/tokens', label: 'API tokens' },
      { to: '/api/docs', label: 'API reference', external: true },
    ],
  },
]

function isCurrent(pathname: string, to: string): boolean {
  if (to === '/') return pathname === '/' || pathname.startsWith('/datasets/')
  return pathname === to || pathname.startsWith(`${to}/`)
}

function Navigation({ onNavigate }: { onNavigate: () => void }) {
  const me = useMe()
  const roles = me.data?.user.roles ?? []
  const { pathname } = useLocation()
  // Leaders come for the measures: theirs come first.
  const sections = roles.includes('leader')
    ? [...SECTIONS].sort((a, b) => Number(b.title === 'Measure') - Number(a.title === 'Measure'))
    : SECTIONS
  return (
    <nav aria-label="Main">
      {sections.map((section) => {
        const items = section.items.filter(
          (item) => !item.roles || item.roles.some((role) => roles.includes(role)),
        )
        if (items.length === 0) return null
        return (
          <div key={section.title}>
            <Text size="xs" fw={700} tt="uppercase" c="dimmed" px="sm" pt="md" pb={4}>
              {section.title}
            </Text>
            {items.map((item) =>
              item.external ? (
                <NavLink key={item.to} href={item.to} label={item.label} />
              ) : (
                <NavLink
                  key={item.to}
                  component={Link}
                  to={item.to}
                  label={item.label}
                  active={isCurrent(pathname, item.to)}
                  aria-current={isCurrent(pathname, item.to) ? 'page' : undefined}
                  onClick={onNavigate}
                />
              ),
            )}
          </div>
        )
      })}
    </nav>
  )
}

/** The header's search: from any page, straight to the catalogue's results. */
function HeaderSearch() {
  const navigate = useNavigate()
  const { pathname } = useLocation()
  const [params] = useSearchParams()
  const current = pathname === '/' ? (params.get('q') ?? '') : ''
  const [text, setText] = useState(current)
  useEffect(() => setText(current), [current])
  const submit = (event: FormEvent) => {
    event.preventDefault()
    void navigate(text.trim() ? `/?q=${encodeURIComponent(text.trim())}` : '/')
  }
  return (
    <search aria-label="Whole catalogue" style={{ flex: 1, maxWidth: 420 }}>
      <form onSubmit={submit}>
        <TextInput
          aria-label="Search all datasets"
          placeholder="Search all datasets"
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          type="search"
        />
      </form>
    </search>
  )
}

/** The portal's own header bar, below the government masthead (px). */
const HEADER_HEIGHT = 64

/**
 * The frame of every signed-in page: the government masthead, then a header with the catalogue
 * search, the inbox and the signed-in person; navigation by role at the side, behind a menu
 * button on a phone. The skip link stays the first thing a Tab reaches.
 */
export function Layout() {
  const [opened, { toggle, close }] = useDisclosure(false)
  const [masthead, setMasthead] = useState(MASTHEAD_HEIGHT)
  return (
    <AppShell
      header={{ height: HEADER_HEIGHT + masthead }}
      navbar={{ width: 230, breakpoint: 'md', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <a className="skip" href="#main">
        Skip to content
      </a>
      <AppShell.Header>
        <Masthead onHeightChange={setMasthead} />
        <Group h={HEADER_HEIGHT} px="md" gap="sm" wrap="nowrap">
          <Burger
            opened={opened}
            onClick={toggle}
            hiddenFrom="md"
            size="sm"
            aria-label={opened ? 'Close navigation' : 'Open navigation'}
            aria-expanded={opened}
          />
          <Anchor component={Link} to="/" fw={700} c="govBlue.7" underline="never" visibleFrom="xs">
            Government Data Portal
          </Anchor>
          <HeaderSearch />
          <Group gap="xs" wrap="nowrap" ml="auto">
            <InboxLink />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <ScrollArea>
          <Navigation onNavigate={close} />
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <div style={{ maxWidth: '80rem', margin: '0 auto' }}>
          <RequireSignIn>
            <Outlet />
          </RequireSignIn>
        </div>
      </AppShell.Main>
    </AppShell>
  )
}

/** The frame of the sign-in page: no navigation until the person is signed in. */
export function PublicLayout() {
  const [masthead, setMasthead] = useState(MASTHEAD_HEIGHT)
  return (
    <AppShell header={{ height: HEADER_HEIGHT + masthead }} padding="md">
      <AppShell.Header>
        <Masthead onHeightChange={setMasthead} />
        <Group h={HEADER_HEIGHT} px="md">
          <Text fw={700} c="govBlue.7">
            Government Data Portal
          </Text>
        </Group>
      </AppShell.Header>
      <AppShell.Main id="main">
        <div style={{ maxWidth: '40rem', margin: '0 auto' }}>
          <Outlet />
        </div>
      </AppShell.Main>
    </AppShell>
  )
}
