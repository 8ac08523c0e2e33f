import { classificationLabel, type PersonalDataKind } from './dataset.js'
import type { Facet } from './facet-values.js'

/**
 * What people read for a facet value: `official-open` is "Official (Open)", `DOS` is
 * "Department of Statistics". The API sends these so that scripts and the portal say the same.
 */

/** Ministry families by code (the Singapore Government's ministries), when no agency has the code. */
const MINISTRIES: Readonly<Record<string, string>> = {
  MCCY: 'Ministry of Culture, Community and Youth',
  MDDI: 'Ministry of Digital Development and Information',
  MINDEF: 'Ministry of Defence',
  MFA: 'Ministry of Foreign Affairs',
  MOE: 'Ministry of Education',
  MOF: 'Ministry of Finance',
  MOH: 'Ministry of Health',
  MHA: 'Ministry of Home Affairs',
  MINLAW: 'Ministry of Law',
  MOM: 'Ministry of Manpower',
  MND: 'Ministry of National Development',
  MSF: 'Ministry of Social and Family Development',
  MSE: 'Ministry of Sustainability and the Environment',
  MOT: 'Ministry of Transport',
  MTI: 'Ministry of Trade and Industry',
  PMO: "Prime Minister's Office",
}

const PERSONAL_DATA: Readonly<Record<PersonalDataKind, string>> = {
  'direct-identifier': 'Direct identifier',
  'quasi-identifier': 'Quasi-identifier',
  sensitive: 'Sensitive personal data',
  none: 'Not personal data',
}

/** How a column's personal data kind reads, e.g. "Quasi-identifier". */
export function personalDataLabel(kind: PersonalDataKind): string {
  return PERSONAL_DATA[kind]
}

const capitalised = (text: string) => (text[0]?.toUpperCase() ?? '') + text.slice(1)

/** The label of one facet value; agency names come from the roster (`agencyName`). */
export function facetLabel(
  facet: Facet,
  value: string,
  agencyName: (code: string) => string | undefined,
): string {
  switch (facet) {
    case 'agency':
      return agencyName(value) ?? value
    case 'ministryFamily':
      return MINISTRIES[value] ?? agencyName(value) ?? value
    case 'trustedCentre': {
      // Trusted centres are named TC-<agency>: "Department of Statistics trusted centre".
      const agency = /^TC-(.+)$/i.exec(value)?.[1]
      const name = agency ? agencyName(agency.toUpperCase()) : undefined
      return name ? `${name} trusted centre` : value
    }
    case 'security':
      return classificationLabel({ security: value as never, sensitivity: 'non-sensitive' }).split(
        ' / ',
      )[0] as string
    case 'sensitivity':
      return classificationLabel({ security: 'secret', sensitivity: value as never }).split(
        ' / ',
      )[1] as string
    case 'frequency':
      return capitalised(value)
    case 'sample':
      return value === 'available' ? 'Sample available' : 'No sample'
    case 'theme':
      return value
  }
}
