import { Alert, Anchor, Text } from '@mantine/core'
import { Link } from 'react-router'
import { formatDay } from '../../../lib/format.js'
import { TONE } from '../../../lib/tones.js'
import type { DatasetDetail } from '../api/use-datasets.js'

/** A deprecated dataset says so above everything else: since when, why, and what to use instead. */
export function DeprecationNotice({ dataset }: { dataset: DatasetDetail }) {
  const deprecation = dataset.deprecation
  if (!deprecation) return null
  return (
    <Alert
      color={TONE.warn}
      variant="light"
      title={`Deprecated since ${formatDay(deprecation.at)}`}
      role="status"
    >
      <Text size="sm">{deprecation.reason}</Text>
      {deprecation.successor && (
        <Text size="sm">
          Use{' '}
          <Anchor component={Link} to={`/datasets/${deprecation.successor.slug}`}>
            {deprecation.successor.title}
          </Anchor>{' '}
          instead.
        </Text>
      )}
    </Alert>
  )
}
