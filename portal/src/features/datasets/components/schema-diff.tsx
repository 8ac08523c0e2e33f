import { Group, List, NativeSelect, Stack, Text, Title } from '@mantine/core'
import { type ReactNode, useId, useState } from 'react'
import { ErrorState, Loading } from '../../../components/ui/page-state.js'
import {
  type PersonalDataKind,
  personalDataLabel,
} from '../../../components/ui/personal-data-badge.js'
import { type SchemaDiffData, useSchemaDiff } from '../api/use-schema-diff.js'

const labelOf = (kind: PersonalDataKind | null) =>
  kind === null ? 'label not recorded' : personalDataLabel(kind).toLowerCase()

function Changes({ title, items }: { title: string; items: readonly ReactNode[] }) {
  const headingId = useId()
  if (items.length === 0) return null
  return (
    <section aria-labelledby={headingId}>
      <Title order={4} size="h5" id={headingId}>
        {title}
      </Title>
      <List size="sm">
        {items.map((item, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: items are fixed for one answer
          <List.Item key={i}>{item}</List.Item>
        ))}
      </List>
    </section>
  )
}

function DiffResult({ diff }: { diff: SchemaDiffData }) {
  const none =
    diff.added.length +
      diff.removed.length +
      diff.typeChanged.length +
      diff.personalDataChanged.length ===
    0
  if (none)
    return (
      <Text size="sm">
        No column was added, removed, retyped or relabelled between version {diff.from} and version{' '}
        {diff.to}.
      </Text>
    )
  return (
    <Stack gap="xs">
      <Changes
        title="Columns added"
        items={diff.added.map((c) => `${c.name} (${c.type}, ${labelOf(c.personalData)})`)}
      />
      <Changes
        title="Columns removed"
        items={diff.removed.map((c) => `${c.name} (${c.type}, ${labelOf(c.personalData)})`)}
      />
      <Changes
        title="Type changed"
        items={diff.typeChanged.map((c) => `${c.name}: from ${c.from} to ${c.to}`)}
      />
      <Changes
        title="Personal-data label changed"
        items={diff.personalDataChanged.map(
          (c) => `${c.name}: from ${labelOf(c.from)} to ${labelOf(c.to)}`,
        )}
      />
    </Stack>
  )
}

/**
 * What changed in the columns between two versions the person picks (the two newest at first):
 * columns added, removed, retyped, or given another personal-data label.
 */
export function SchemaDiff({ slug, versions }: { slug: string; versions: readonly number[] }) {
  const headingId = useId()
  const newestFirst = [...versions].sort((a, b) => b - a)
  const [from, setFrom] = useState<number | undefined>(newestFirst[1])
  const [to, setTo] = useState<number | undefined>(newestFirst[0])
  const diff = useSchemaDiff(slug, from, to)
  const options = newestFirst.map((v) => ({ value: String(v), label: `Version ${v}` }))
  return (
    <Stack component="section" aria-labelledby={headingId} gap="xs">
      <Title order={3} size="h4" id={headingId}>
        Schema changes between versions
      </Title>
      {newestFirst.length < 2 ? (
        <Text size="sm" c="dimmed">
          No earlier version to compare
        </Text>
      ) : (
        <>
          <Group gap="sm" align="flex-end">
            <NativeSelect
              label="From version"
              data={options}
              value={String(from)}
              onChange={(e) => setFrom(Number(e.currentTarget.value))}
            />
            <NativeSelect
              label="To version"
              data={options}
              value={String(to)}
              onChange={(e) => setTo(Number(e.currentTarget.value))}
            />
          </Group>
          {from === to ? (
            <Text size="sm" c="dimmed">
              Pick two different versions to compare.
            </Text>
          ) : diff.isPending ? (
            <Loading label="Comparing the versions…" />
          ) : diff.isError ? (
            <ErrorState title="The versions could not be compared" error={diff.error} />
          ) : (
            <DiffResult diff={diff.data} />
          )}
        </>
      )}
    </Stack>
  )
}
