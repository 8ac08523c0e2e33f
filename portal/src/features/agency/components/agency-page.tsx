import { Stack, Tabs, Text, Title } from '@mantine/core'
import { useSearchParams } from 'react-router'
import { EmptyState, Loading } from '../../../components/ui/page-state.js'
import { useMe } from '../../../lib/use-me.js'
import { AgencyGrants, GrantList, type RevokeOf } from './agency-grants.js'
import { AgencyRequests, RequestList, type StatusOf } from './agency-requests.js'

const TABS = {
  requests: 'Requests',
  grants: 'Grants',
  expiring: 'Expiring soon',
  awaiting: 'Awaiting second approval',
} as const
type Tab = keyof typeof TABS
const isTab = (value: string | null): value is Tab => value !== null && value in TABS

/** Days ahead the "Expiring soon" tab looks. */
const SOON_DAYS = 30

/**
 * A steward's view of their agency's sharing: every request in any state, every grant with its
 * terms, end and use, those ending soon and those waiting for a second steward. Administrators see
 * every agency's. The tab is in the address, so a view can be linked to.
 */
export function AgencyPage({ status, revoke }: { status: StatusOf; revoke: RevokeOf }) {
  const me = useMe()
  const [params, setParams] = useSearchParams()
  if (me.isPending) return <Loading label="Loading…" />
  const user = me.data?.user
  const admin = user?.roles.includes('admin') ?? false
  if (!user || !(admin || user.roles.includes('steward')))
    return (
      <EmptyState title="For data stewards">
        This page shows an agency's requests and grants to its data stewards and to administrators.
      </EmptyState>
    )
  // Administrators see every agency's; stewards their own agency's, not the requests they made.
  const agency = admin ? undefined : user.agency.code
  const tab = isTab(params.get('tab')) ? (params.get('tab') as Tab) : 'requests'
  return (
    <Stack gap="md">
      <div>
        <Title order={1}>{admin ? 'All agencies' : `Agency: ${user.agency.name}`}</Title>
        <Text c="dimmed" mt={4}>
          Every request on {admin ? 'any agency’s' : 'your agency’s'} datasets and every grant, with
          its terms, its end and how much it is used.
        </Text>
      </div>
      <Tabs
        value={tab}
        onChange={(value) => setParams(value && value !== 'requests' ? { tab: value } : {})}
        keepMounted={false}
      >
        <Tabs.List aria-label="Agency views">
          {Object.entries(TABS).map(([value, label]) => (
            <Tabs.Tab key={value} value={value}>
              {label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="requests" pt="md">
          <AgencyRequests agency={agency} status={status} />
        </Tabs.Panel>
        <Tabs.Panel value="grants" pt="md">
          <AgencyGrants agency={agency} status={status} revoke={revoke} />
        </Tabs.Panel>
        <Tabs.Panel value="expiring" pt="md">
          <GrantList
            caption={`Grants ending in the next ${SOON_DAYS} days, soonest first`}
            filters={{ agency, expiringWithinDays: SOON_DAYS }}
            status={status}
            revoke={revoke}
            empty={`No grant ends in the next ${SOON_DAYS} days.`}
            soonestFirst
          />
        </Tabs.Panel>
        <Tabs.Panel value="awaiting" pt="md">
          <Text size="sm" mb="xs">
            Sensitive-High data shared row by row needs two approvals by different stewards. These
            have one and wait for another.
          </Text>
          <RequestList
            caption="Requests approved once, waiting for a second steward"
            filters={{ agency, status: 'awaiting-second-approval' }}
            status={status}
            empty="No request is waiting for a second approval."
          />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  )
}
