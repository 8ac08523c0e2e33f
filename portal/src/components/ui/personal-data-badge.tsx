import { Badge } from '@mantine/core'

/** How a column relates to people, as the catalogue records it. */
export type PersonalDataKind = 'direct-identifier' | 'quasi-identifier' | 'sensitive' | 'none'
type Kind = PersonalDataKind

const LABELS: Record<Kind, string> = {
  'direct-identifier': 'Direct identifier',
  'quasi-identifier': 'Quasi-identifier',
  sensitive: 'Sensitive',
  none: 'Not personal',
}

/** A personal-data kind in words: 'Quasi-identifier', 'Not personal'. */
export function personalDataLabel(kind: Kind): string {
  return LABELS[kind]
}

/** Dark on the badge's pale tint (at least 4.5:1), by risk; the words carry the meaning too. */
const COLOURS: Record<Kind, string> = {
  'direct-identifier': '#9b1c1c',
  'quasi-identifier': '#8a5a00',
  sensitive: '#6b2d91',
  none: '#55606e',
}

/** A column's personal-data kind, coloured by risk. */
export function PersonalDataBadge({ kind }: { kind: Kind }) {
  return (
    // Never cut short to "Direct identi…" in a narrow column: the words are the point.
    <Badge
      variant="outline"
      color={COLOURS[kind]}
      tt="none"
      size="sm"
      styles={{ root: { overflow: 'visible' }, label: { overflow: 'visible' } }}
    >
      {personalDataLabel(kind)}
    </Badge>
  )
}
