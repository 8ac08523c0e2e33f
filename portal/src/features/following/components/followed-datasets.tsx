import { Anchor, Button, Group, Paper, Stack, Text, Title } from '@mantine/core'
import { Link } from 'react-router'
import { EmptyState, ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatDateTime } from '../../../lib/format.js'
import { TONE } from '../../../lib/tones.js'
import { type FollowedDataset, useFollows, useSetFollowing } from '../api/use-follows.js'

/** The datasets the signed-in person follows, for their home page: what is new with each. */
export function FollowedDatasets() {
  const follows = useFollows()
  return (
    <Stack component="section" aria-labelledby="followed-heading" gap="sm">
      <Title order={2} id="followed-heading">
        Datasets you follow
      </Title>
      {follows.isPending ? (
        <Loading label="Loading the datasets you follow…" />
      ) : follows.isError ? (
        <ErrorState title="The datasets you follow could not be loaded" error={follows.error} />
      ) : follows.data.length === 0 ? (
        <EmptyState title="You follow no dataset yet">
          Follow a dataset from its page to hear of its new versions, changed columns, failed
          quality checks and deprecation.
        </EmptyState>
      ) : (
        <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }}>
          {follows.data.map((f) => (
            <Followed key={f.dataset.id} followed={f} />
          ))}
        </Stack>
      )}
    </Stack>
  )
}

function Followed({ followed: f }: { followed: FollowedDataset }) {
  const setFollowing = useSetFollowing()
  return (
    <Paper component="li" withBorder p="sm">
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Stack gap={2}>
          <Anchor component={Link} to={`/datasets/${f.dataset.slug}`} fw={600}>
            {f.dataset.title}
          </Anchor>
          <Text size="sm">
            {f.currentVersion === null ? 'No version yet' : `Version ${f.currentVersion}`}
            {f.deprecated && ' · Deprecated'}
          </Text>
          {f.lastEvent ? (
            <Text size="sm">
              Latest:{' '}
              <Anchor component={Link} to={f.lastEvent.link}>
                {f.lastEvent.title}
              </Anchor>{' '}
              <Text span c="dimmed" size="xs">
                ({formatDateTime(f.lastEvent.at)})
              </Text>
            </Text>
          ) : (
            <Text size="sm" c="dimmed">
              Nothing new since you followed it.
            </Text>
          )}
          {setFollowing.isError && (
            <Text size="sm" c={TONE.bad} role="alert">
              Not unfollowed: {setFollowing.error.message}
            </Text>
          )}
        </Stack>
        <Button
          type="button"
          variant="default"
          size="xs"
          aria-label={`Unfollow ${f.dataset.title}`}
          loading={setFollowing.isPending}
          onClick={() => setFollowing.mutate({ slug: f.dataset.slug, following: false })}
        >
          Unfollow
        </Button>
      </Group>
    </Paper>
  )
}
