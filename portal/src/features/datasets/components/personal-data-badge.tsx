import type { DatasetSummary } from '../api/use-datasets.js'

type Kind = DatasetSummary['columns'][number]['personalData']

const LABELS: Record<Kind, string> = {
  'direct-identifier': 'Direct identifier',
  'quasi-identifier': 'Quasi-identifier',
  sensitive: 'Sensitive',
  none: 'Not personal',
}

export function PersonalDataBadge({ kind }: { kind: Kind }) {
  return <span className={`badge badge-pd-${kind}`}>{LABELS[kind]}</span>
}
