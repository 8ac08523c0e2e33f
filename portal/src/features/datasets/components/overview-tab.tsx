import { Anchor, List, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'
import { formatCount, formatDay, formatQuantity } from '../../../lib/format.js'
import type { DatasetDetail } from '../api/use-datasets.js'
import type { DatasetPageSlots } from './dataset-page-slots.js'
import { describeFreshness } from './freshness.js'
import { QualityNote } from './quality-note.js'

/**
 * What the dataset is, who owns it, whom to ask, and how current and sound it is; for data that
 * needs a request, what the reader holds or has asked for first (the Access tab has it too).
 */
export function OverviewTab({
  dataset: d,
  access,
}: {
  dataset: DatasetDetail
  access: DatasetPageSlots['access']
}) {
  const open = d.classification.security === 'official-open'
  const owner = d.agencyName ? `${d.agencyName} (${d.agency})` : d.agency
  const facts: [string, ReactNode][] = [
    ['Owning agency', owner],
    ['Data stewards', <Stewards key="stewards" stewards={d.stewards} />],
    ['Contact', <Contact key="contact" dataset={d} />],
    ['Trusted Centre', d.trustedCentre],
    ['Sources of truth', d.sourceSsots.map((s) => s.toUpperCase()).join(', ')],
    ['Update frequency', d.updateFrequency || 'Not stated'],
    ['Freshness', describeFreshness(d.currentVersion, d.updateFrequency, new Date()).text],
    ['Rows', d.currentVersion ? formatCount(d.currentVersion.rowCount) : 'Not published'],
    ['Quality', <QualityNote key="quality" quality={d.currentVersion?.quality ?? null} />],
    ['Sample', sampleText(d.currentVersion?.sample ?? null)],
    ['Coverage', coverageText(d.coverage)],
    ['Licence', d.licence || 'Not stated'],
  ]
  return (
    <Stack gap="lg">
      {!open && access(d)}
      <Stack gap="xs">
        <Title order={2}>About this dataset</Title>
        <SimpleGrid
          component="dl"
          cols={{ base: 1, sm: 2, md: 3 }}
          spacing="md"
          verticalSpacing="sm"
          m={0}
        >
          {facts.map(([label, value]) => (
            <div key={label}>
              <Text component="dt" size="sm" fw={600} c="dimmed">
                {label}
              </Text>
              <Text component="dd" m={0}>
                {value}
              </Text>
            </div>
          ))}
        </SimpleGrid>
      </Stack>
    </Stack>
  )
}

type Steward = DatasetDetail['stewards'][number]

function Stewards({ stewards }: { stewards: readonly Steward[] }) {
  if (stewards.length === 0) return 'None named'
  return (
    <List listStyleType="none" spacing={2} aria-label="Data stewards">
      {stewards.map((s) => (
        <List.Item key={s.email}>
          {s.name}, <Anchor href={`mailto:${s.email}`}>{s.email}</Anchor>
        </List.Item>
      ))}
    </List>
  )
}

/** The dataset's own contact; without one, the owning agency's stewards answer for it. */
function Contact({ dataset: d }: { dataset: DatasetDetail }) {
  if (d.contactEmail) return <Anchor href={`mailto:${d.contactEmail}`}>{d.contactEmail}</Anchor>
  if (d.stewards.length === 0) return 'Not stated'
  return (
    <>
      The agency's data stewards:{' '}
      {d.stewards.map((s, i) => (
        <span key={s.email}>
          {i > 0 && ', '}
          <Anchor href={`mailto:${s.email}`}>{s.email}</Anchor>
        </span>
      ))}
    </>
  )
}

/** What an officer can expect of the current version's sample. */
function sampleText(sample: DatasetDetail['versions'][number]['sample']): string {
  if (!sample) return 'None yet'
  if (sample.status === 'refused') return `No sample: ${sample.reason}`
  return `${formatQuantity(sample.rowCount, 'de-identified row')} (each combination of quasi-identifiers at least ${sample.k} times)`
}

function coverageText(coverage: { start: string | null; end: string | null }): string {
  if (!coverage.start && !coverage.end) return 'Not stated'
  return `${coverage.start ? formatDay(coverage.start) : '…'} to ${coverage.end ? formatDay(coverage.end) : 'now'}`
}
