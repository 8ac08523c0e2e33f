import { Badge } from '@mantine/core'

/** The security levels of the two-axis classification (DOMAIN.md). */
export type SecurityLevel =
  | 'official-open'
  | 'official-closed'
  | 'restricted'
  | 'confidential-cloud-eligible'
  | 'confidential'
  | 'secret'

/** Dark enough on the badge's pale tint to keep 4.5:1 (WCAG AA) for its text. */
const COLOURS: Record<SecurityLevel, string> = {
  'official-open': '#1d6b2f',
  'official-closed': '#35506b',
  restricted: '#8a5a00',
  'confidential-cloud-eligible': '#9b1c1c',
  confidential: '#9b1c1c',
  secret: '#9b1c1c',
}

/** The two-axis classification as one label, coloured by its security level (with text, not colour alone). */
export function ClassificationBadge({
  classification,
}: {
  /** The search index gives the level as plain text: an unknown one gets a neutral colour. */
  classification: { security: SecurityLevel | (string & {}); label: string }
}) {
  return (
    <Badge
      variant="light"
      color={COLOURS[classification.security as SecurityLevel] ?? '#35506b'}
      tt="none"
      title="Security / sensitivity classification"
    >
      {classification.label}
    </Badge>
  )
}
