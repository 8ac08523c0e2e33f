import {
  Alert,
  Anchor,
  Button,
  Group,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core'
import { type FormEvent, useState } from 'react'
import { Link } from 'react-router'
import { formatDay } from '../../../lib/format.js'
import { TONE } from '../../../lib/tones.js'
import { useMe } from '../../../lib/use-me.js'
import { type DeprecationState, useSetDeprecation } from '../api/use-deprecation.js'

/** What the form needs of the dataset page's dataset. */
export interface DeprecatableDataset {
  slug: string
  title: string
  agency: string
  deprecation: DeprecationState
}

/**
 * Stewards of the owning agency mark the dataset deprecated, saying why and, if there is one,
 * which dataset to use instead; or withdraw the deprecation. Shown to them only (the server
 * decides who may).
 */
export function DeprecateDataset({ dataset }: { dataset: DeprecatableDataset }) {
  const me = useMe()
  const user = me.data?.user
  if (!user?.roles.includes('steward') || user.agency.code !== dataset.agency) return null
  return <DeprecationForm dataset={dataset} />
}

function DeprecationForm({ dataset }: { dataset: DeprecatableDataset }) {
  const setDeprecation = useSetDeprecation(dataset.slug)
  const [reason, setReason] = useState(dataset.deprecation?.reason ?? '')
  const [successor, setSuccessor] = useState(dataset.deprecation?.successor?.slug ?? '')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    setDeprecation.mutate({ reason: reason.trim(), successor: successor.trim() || null })
  }
  const current = setDeprecation.data ? setDeprecation.data.deprecation : dataset.deprecation
  return (
    <Stack component="section" aria-labelledby="deprecation-heading" gap="sm">
      <Title order={2} size="h3" id="deprecation-heading">
        Deprecation
      </Title>
      {current ? (
        <Alert
          color={TONE.warn}
          variant="light"
          title={`Deprecated since ${formatDay(current.at)}`}
        >
          <Text size="sm">{current.reason}</Text>
          {current.successor && (
            <Text size="sm">
              Use{' '}
              <Anchor component={Link} to={`/datasets/${current.successor.slug}`}>
                {current.successor.title}
              </Anchor>{' '}
              instead.
            </Text>
          )}
        </Alert>
      ) : (
        <Text size="sm" c="dimmed">
          Not deprecated. Its followers are told when it is.
        </Text>
      )}
      <form onSubmit={submit} aria-label="Mark deprecated">
        <Stack gap="xs">
          <Textarea
            label="Why it is deprecated"
            description="Followers read this in their inbox"
            required
            minLength={10}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            rows={3}
          />
          <TextInput
            label="Dataset to use instead (optional)"
            description="Its address name, e.g. person-address-pa"
            value={successor}
            onChange={(e) => setSuccessor(e.currentTarget.value)}
          />
          <Group gap="xs">
            <Button type="submit" loading={setDeprecation.isPending}>
              {current ? 'Save deprecation' : 'Mark deprecated'}
            </Button>
            {current && (
              <Button
                type="button"
                variant="default"
                onClick={() => setDeprecation.mutate(null)}
                disabled={setDeprecation.isPending}
              >
                Withdraw deprecation
              </Button>
            )}
          </Group>
          <Text
            size="sm"
            role="status"
            aria-live="polite"
            c={setDeprecation.isError ? 'red' : 'dimmed'}
          >
            {setDeprecation.isError
              ? `Not saved: ${setDeprecation.error.message}`
              : setDeprecation.isSuccess
                ? setDeprecation.data.deprecation
                  ? 'Saved: the dataset is deprecated.'
                  : 'The deprecation is withdrawn.'
                : ''}
          </Text>
        </Stack>
      </form>
    </Stack>
  )
}
