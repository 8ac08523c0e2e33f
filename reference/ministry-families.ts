/**
 * The Ministry families of the Singapore Public Service: each ministry with the statutory boards
 * and departments under it (a few well-known ones each; ✅ public structure, not exhaustive).
 * KPI 11 counts the families with AI projects out of all of them; KPIs break down by family.
 */
export const MINISTRY_FAMILIES: readonly { code: string; agencies: readonly string[] }[] = [
  { code: 'MCCY', agencies: ['MCCY', 'NAC', 'SPORTSG'] },
  { code: 'MDDI', agencies: ['MDDI', 'GOVTECH', 'IMDA', 'CSA'] },
  { code: 'MFA', agencies: ['MFA'] },
  { code: 'MHA', agencies: ['MHA', 'ICA', 'SPF', 'SCDF'] },
  { code: 'MINDEF', agencies: ['MINDEF', 'DSTA'] },
  { code: 'MINLAW', agencies: ['MINLAW', 'SLA', 'IPOS'] },
  { code: 'MND', agencies: ['MND', 'HDB', 'URA', 'NPARKS'] },
  { code: 'MOE', agencies: ['MOE', 'SEAB', 'SKILLSFUTURE'] },
  { code: 'MOF', agencies: ['MOF', 'IRAS', 'ACCOUNTANT-GENERAL'] },
  { code: 'MOH', agencies: ['MOH', 'HPB', 'HSA'] },
  { code: 'MOM', agencies: ['MOM', 'CPF', 'WSG'] },
  { code: 'MOT', agencies: ['MOT', 'LTA', 'CAAS', 'MPA'] },
  { code: 'MSE', agencies: ['MSE', 'NEA', 'PUB', 'SFA'] },
  { code: 'MSF', agencies: ['MSF', 'ECDA'] },
  { code: 'MTI', agencies: ['MTI', 'DOS', 'ACRA', 'EDB', 'ESG'] },
  { code: 'PMO', agencies: ['PMO', 'PSD', 'SNDGO'] },
]

const FAMILY_OF = new Map(
  MINISTRY_FAMILIES.flatMap((f) => f.agencies.map((agency) => [agency, f.code] as const)),
)

/** The Ministry family an agency belongs to, or undefined for an agency not listed. */
export function ministryFamilyOf(agency: string): string | undefined {
  return FAMILY_OF.get(agency.toUpperCase())
}
