import { Anchor, Badge, Box, Breadcrumbs, Button, Group, Stack, Text, Title } from '@mantine/core'
import { useState } from 'react'
import { Link, useParams } from 'react-router'
import { ClassificationBadge } from '../../../components/ui/classification-badge.js'
import { ErrorState, Loading } from '../../../components/ui/page-state.js'
import { useMe } from '../../../lib/use-me.js'
import { type DatasetDetail, useDataset } from '../api/use-datasets.js'
import { DatasetEditor } from './dataset-editor.js'
import type { DatasetPageSlots } from './dataset-page-slots.js'
import { DatasetTabs } from './dataset-tabs.js'
import { DeprecationNotice } from './deprecation-notice.js'

export type { DatasetPageSlots } from './dataset-page-slots.js'

/**
 * One dataset: its title, classification and description above tabs (Overview, Schema, Sample,
 * Quality, Lineage, Access, History), each at an address of its own.
 */
export function DatasetPage(slots: DatasetPageSlots) {
  const { slug = '', tab } = useParams()
  const dataset = useDataset(slug)
  const [editing, setEditing] = useState(false)
  const me = useMe()
  if (dataset.isPending) return <Loading label="Loading dataset…" />
  if (dataset.isError) {
    // The page still names what was asked for, as its one h1.
    return (
      <Stack gap="xs">
        <Breadcrumb slug={slug} />
        <Title order={1}>{slug}</Title>
        <ErrorState
          title="This dataset could not be shown"
          error={dataset.error}
          action={
            <Anchor component={Link} to="/">
              Back to all datasets
            </Anchor>
          }
        />
      </Stack>
    )
  }
  const d = dataset.data
  const editable = canEdit(me.data?.user, d.agency)
  const open = d.classification.security === 'official-open'

  return (
    <Stack component="article" aria-labelledby="dataset-heading" gap="lg">
      <Stack gap="xs">
        <Breadcrumb slug={d.slug} />
        <Group justify="space-between" align="flex-start" gap="sm" wrap="wrap">
          <Title order={1} id="dataset-heading">
            {d.title}
          </Title>
          {slots.follow(d)}
        </Group>
        <Group gap="xs" wrap="wrap">
          <ClassificationBadge classification={d.classification} />
          <PersonalDataSummary columns={d.columns} />
        </Group>
        <Text size="lg">{d.description}</Text>
        <DeprecationNotice dataset={d} />
        {(open || (editable && !editing)) && (
          <Group gap="sm" wrap="wrap">
            {editable && !editing && (
              <Button type="button" variant="default" onClick={() => setEditing(true)}>
                Edit metadata
              </Button>
            )}
            {open && <Text>Official (Open): anyone may use the full data, no request needed.</Text>}
          </Group>
        )}
      </Stack>
      {editing && <DatasetEditor dataset={d} onDone={() => setEditing(false)} />}
      <DatasetTabs dataset={d} tab={tab} editable={editable} slots={slots} />
    </Stack>
  )
}

function Breadcrumb({ slug }: { slug: string }) {
  return (
    <Box component="nav" aria-label="Breadcrumb">
      <Breadcrumbs separator="/">
        <Anchor component={Link} to="/">
          Datasets
        </Anchor>
        <Text span c="dimmed" aria-current="page">
          {slug}
        </Text>
      </Breadcrumbs>
    </Box>
  )
}

/** Whether the dataset says anything about people, in words. */
function PersonalDataSummary({ columns }: { columns: DatasetDetail['columns'] }) {
  const personal = columns.filter((c) => c.personalData !== 'none').length
  return personal === 0 ? (
    <Badge variant="light" color="gray" tt="none">
      No personal data
    </Badge>
  ) : (
    <Badge variant="light" color="#6b2d91" tt="none">
      Personal data in {personal} of {columns.length} columns
    </Badge>
  )
}

/** Whether to offer the edit mode: stewards of the owning agency (the server decides for real). */
function canEdit(
  user: { roles: string[]; agency: { code: string } } | undefined,
  agency: string,
): boolean {
  return Boolean(user?.roles.includes('steward') && user.agency.code === agency)
}
