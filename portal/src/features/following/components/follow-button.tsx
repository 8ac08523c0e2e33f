import { Button, Stack, Text } from '@mantine/core'
import { useState } from 'react'
import { TONE } from '../../../lib/tones.js'
import { useFollows, useSetFollowing } from '../api/use-follows.js'

/**
 * Follow or stop following a dataset: a toggle (pressed while following) that says in words what
 * following brings, once the change is made.
 */
export function FollowButton({ slug }: { slug: string }) {
  const follows = useFollows()
  const setFollowing = useSetFollowing()
  const [said, setSaid] = useState<string>()
  const following = follows.data?.some((f) => f.dataset.slug === slug) ?? false
  const toggle = () =>
    setFollowing.mutate(
      { slug, following: !following },
      {
        onSuccess: (state) =>
          setSaid(
            state.following
              ? 'You follow this dataset. New versions, changed columns, failed quality checks and its deprecation will reach your inbox.'
              : 'You no longer follow this dataset.',
          ),
      },
    )
  return (
    <Stack gap={4} align="flex-start">
      <Button
        type="button"
        variant={following ? 'filled' : 'default'}
        aria-pressed={following}
        onClick={toggle}
        loading={setFollowing.isPending}
        disabled={follows.isPending}
      >
        {following ? 'Following' : 'Follow'}
      </Button>
      <Text
        size="sm"
        role="status"
        aria-live="polite"
        c={setFollowing.isError ? TONE.bad : 'dimmed'}
      >
        {setFollowing.isError
          ? `Not changed: ${setFollowing.error.message}`
          : setFollowing.isPending
            ? ''
            : said}
      </Text>
    </Stack>
  )
}
