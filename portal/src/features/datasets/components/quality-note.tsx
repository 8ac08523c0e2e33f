import { List, Stack, Text } from '@mantine/core'
import type { DatasetDetail } from '../api/use-datasets.js'

type Quality = DatasetDetail['versions'][number]['quality']

/** "4 of 4 checks passed", with the failed warnings named so a reader can judge them. */
export function QualityNote({ quality }: { quality: Quality }) {
  if (!quality) return <Text size="sm">Not checked</Text>
  const warnings = quality.results.filter((r) => !r.passed)
  return (
    <Stack gap={4}>
      <Text size="sm">
        {quality.passed} of {quality.checked} checks passed
      </Text>
      {warnings.length > 0 && (
        <List size="sm" spacing={2}>
          {warnings.map((w) => (
            <List.Item key={w.name}>
              Warning: {w.name} observed {w.observed}, expected {w.expected}
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  )
}
