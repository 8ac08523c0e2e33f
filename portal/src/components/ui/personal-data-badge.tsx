/** How a column relates to people, as the catalogue records it. */
export type PersonalDataKind = 'direct-identifier' | 'quasi-identifier' | 'sensitive' | 'none'
type Kind = PersonalDataKind

const LABELS: Record<Kind, string> = {
  'direct-identifier': 'Direct identifier',
  'quasi-identifier': 'Quasi-identifier',
  sensitive: 'Sensitive',
  none: 'Not personal',
}

/** A column's personal-data kind, coloured by risk. */
export function PersonalDataBadge({ kind }: { kind: Kind }) {
  return <span className={`badge badge-pd-${kind}`}>{LABELS[kind]}</span>
}
