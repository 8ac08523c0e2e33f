/**
 * The agency operating each Trusted Centre: its stewards are the centre's stewards, the only
 * officers who read what the centre keeps from everyone else (the text of refused deliveries).
 */
export const TRUSTED_CENTRE_OPERATORS: Readonly<Record<string, string>> = {
  'TC-DoS': 'DOS',
  'TC-SLA': 'SLA',
  'TC-Sensor': 'GOVTECH',
  'TC-MOH': 'MOH',
  'TC-GovTech': 'GOVTECH',
}

/** The agency operating a Trusted Centre; a centre nobody operates is a bug in the contracts. */
export function operatorOf(trustedCentre: string): string {
  const agency = TRUSTED_CENTRE_OPERATORS[trustedCentre]
  if (!agency) throw new Error(`No agency is recorded as operating ${trustedCentre}`)
  return agency
}
