import type { NodeGroup } from './collapse-groups.js'

/** "1 job", "2 jobs": a count with its noun. */
export const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`

/** What a group holds, in words: "3 jobs and 3 datasets". */
export const groupLabel = (group: NodeGroup) =>
  [
    group.jobs > 0 && plural(group.jobs, 'job'),
    group.datasets > 0 && plural(group.datasets, 'dataset'),
  ]
    .filter(Boolean)
    .join(' and ')
