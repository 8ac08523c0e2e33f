import { Anchor, Stack, Text, Title } from '@mantine/core'
import { Link } from 'react-router'
import type { DatasetDetail } from '../api/use-datasets.js'
import type { DatasetPageSlots } from './dataset-page-slots.js'

/**
 * Who may have the data and how: for Official (Open) data, everyone; otherwise what the reader
 * holds or has asked for and the way to ask, and for the owning agency's stewards who holds access.
 */
export function AccessTab({
  dataset: d,
  editable,
  slots,
}: {
  dataset: DatasetDetail
  editable: boolean
  slots: Pick<DatasetPageSlots, 'access' | 'holders'>
}) {
  const open = d.classification.security === 'official-open'
  return (
    <Stack gap="lg">
      {open ? (
        <Stack gap="xs">
          <Title order={2}>Your access</Title>
          <Text>
            Official (Open): anyone may use the full data, no request needed. Download it on the{' '}
            <Anchor component={Link} to={`/datasets/${d.slug}/history`}>
              History
            </Anchor>{' '}
            tab, version by version, or the current version on the{' '}
            <Anchor component={Link} to={`/datasets/${d.slug}/sample`}>
              Sample
            </Anchor>{' '}
            tab.
          </Text>
        </Stack>
      ) : (
        slots.access(d)
      )}
      {editable && slots.holders(d.slug)}
    </Stack>
  )
}
