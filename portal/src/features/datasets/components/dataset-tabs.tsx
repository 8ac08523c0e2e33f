import { Anchor, Stack, Tabs, Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'
import { Link, useNavigate } from 'react-router'
import type { DatasetDetail } from '../api/use-datasets.js'
import { AccessTab } from './access-tab.js'
import type { DatasetPageSlots } from './dataset-page-slots.js'
import { HistoryTab } from './history-tab.js'
import { OverviewTab } from './overview-tab.js'
import { QualityTab } from './quality-tab.js'
import { SampleReportPanel } from './sample-report-panel.js'
import { SchemaTab } from './schema-tab.js'

/** The parts of a dataset page, in order; each is at `/datasets/:slug/<tab>` (overview: none). */
export const DATASET_TABS = [
  ['overview', 'Overview'],
  ['schema', 'Schema'],
  ['sample', 'Sample'],
  ['quality', 'Quality'],
  ['lineage', 'Lineage'],
  ['access', 'Access'],
  ['history', 'History'],
] as const

export type DatasetTab = (typeof DATASET_TABS)[number][0]

/** The address of one tab of a dataset's page. */
export function datasetTabPath(slug: string, tab: DatasetTab): string {
  return tab === 'overview' ? `/datasets/${slug}` : `/datasets/${slug}/${tab}`
}

function isDatasetTab(value: string): value is DatasetTab {
  return DATASET_TABS.some(([tab]) => tab === value)
}

/**
 * The dataset page's tabs. The address says which is open, so a tab can be linked to and the
 * back button returns to the last one; only the open tab's content is mounted (the sample
 * preview and the lineage graph load when their tab is opened, not with the page).
 */
export function DatasetTabs({
  dataset: d,
  tab = 'overview',
  editable,
  slots,
}: {
  dataset: DatasetDetail
  /** The tab named by the address; none is the overview. */
  tab: string | undefined
  editable: boolean
  slots: DatasetPageSlots
}) {
  const navigate = useNavigate()
  const known = isDatasetTab(tab)
  const explainSample = (version?: number) => {
    const shown =
      version === undefined ? d.currentVersion : d.versions.find((v) => v.version === version)
    return <SampleReportPanel sample={shown?.sample ?? null} />
  }
  const panels: Record<DatasetTab, () => ReactNode> = {
    overview: () => (
      <Stack gap="xl">
        <OverviewTab dataset={d} access={slots.access} />
        {editable && slots.stewardship(d)}
      </Stack>
    ),
    schema: () => <SchemaTab dataset={d} editable={editable} />,
    sample: () => slots.data(d.slug, explainSample),
    quality: () => <QualityTab dataset={d} />,
    lineage: () => slots.lineage(d.slug),
    access: () => <AccessTab dataset={d} editable={editable} slots={slots} />,
    history: () => <HistoryTab dataset={d} />,
  }
  return (
    <Stack gap="md">
      <Tabs
        value={known ? tab : null}
        onChange={(value) => {
          if (value && isDatasetTab(value)) void navigate(datasetTabPath(d.slug, value))
        }}
        keepMounted={false}
      >
        <Tabs.List aria-label={`Parts of ${d.title}`}>
          {DATASET_TABS.map(([value, label]) => (
            <Tabs.Tab key={value} value={value}>
              {label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {DATASET_TABS.map(([value]) => (
          <Tabs.Panel key={value} value={value} pt="md">
            {value === tab && panels[value]()}
          </Tabs.Panel>
        ))}
      </Tabs>
      {!known && <UnknownTab slug={d.slug} tab={tab} />}
    </Stack>
  )
}

function UnknownTab({ slug, tab }: { slug: string; tab: string }) {
  return (
    <Stack gap={4} role="alert">
      <Title order={2} size="h4">
        This dataset has no “{tab}” page
      </Title>
      <Text>
        Its pages are{' '}
        {DATASET_TABS.map(([, label]) => label)
          .join(', ')
          .replace(/, ([^,]*)$/, ' and $1')}
        .{' '}
        <Anchor component={Link} to={datasetTabPath(slug, 'overview')}>
          Go to the overview
        </Anchor>
      </Text>
    </Stack>
  )
}
