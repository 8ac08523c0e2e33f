import { Button, Group, Text } from '@mantine/core'
import type { LineageNode } from '../api/use-lineage.js'
import type { NodeGroup } from './collapse-groups.js'
import { FindInGraph, type useFindInGraph } from './graph-find.js'
import { plural } from './graph-words.js'

/**
 * Above the graph: "Find", how many datasets and jobs it has and how many are folded, and the
 * buttons that show every node ("Show all") or fold wide fans again.
 */
export function GraphToolbar({
  finder,
  nodes,
  groups,
  isUnfolded,
  onShowAll,
  onFold,
}: {
  finder: ReturnType<typeof useFindInGraph>
  nodes: LineageNode[]
  groups: NodeGroup[]
  /** Whether anything folded has been opened. */
  isUnfolded: boolean
  onShowAll: () => void
  onFold: () => void
}) {
  const folded = groups.reduce((n, g) => n + g.members.length, 0)
  const datasets = nodes.filter((n) => n.type === 'DATASET').length
  const jobs = nodes.filter((n) => n.type === 'JOB').length
  return (
    <Group gap="sm" wrap="wrap" align="center">
      <FindInGraph finder={finder} />
      <Text size="sm" c="dimmed">
        {`${plural(datasets, 'dataset')}, ${plural(jobs, 'job')}${folded > 0 ? ` (${folded} folded into ${plural(groups.length, 'group')})` : ''}`}
      </Text>
      {folded > 0 && (
        <Button size="sm" variant="light" onClick={onShowAll}>
          Show all
        </Button>
      )}
      {isUnfolded && (
        <Button size="sm" variant="light" onClick={onFold}>
          Fold wide fans
        </Button>
      )}
    </Group>
  )
}
