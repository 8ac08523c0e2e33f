/** An SSIC section with its title (DOMAIN.md §3.1) and the two-digit divisions it spans. */
export interface SsicSection {
  section: string
  title: string
  /** Inclusive range of divisions (first two digits of a five-digit code). */
  divisions: readonly [number, number]
}

// Section titles from DOMAIN.md §3.1; division ranges follow ISIC Rev. 4, which SSIC 2015/2020
// keeps at division level.
export const SSIC_SECTIONS: readonly SsicSection[] = [
  { section: 'A', title: 'Agriculture and Fishing', divisions: [1, 3] },
  { section: 'B', title: 'Mining and Quarrying', divisions: [5, 9] },
  { section: 'C', title: 'Manufacturing', divisions: [10, 33] },
  {
    section: 'D',
    title: 'Electricity, Gas, Steam and Air-Conditioning Supply',
    divisions: [35, 35],
  },
  {
    section: 'E',
    title: 'Water Supply; Sewerage, Waste Management and Remediation Activities',
    divisions: [36, 39],
  },
  { section: 'F', title: 'Construction', divisions: [41, 43] },
  { section: 'G', title: 'Wholesale and Retail Trade', divisions: [45, 47] },
  { section: 'H', title: 'Transportation and Storage', divisions: [49, 53] },
  { section: 'I', title: 'Accommodation and Food Service Activities', divisions: [55, 56] },
  { section: 'J', title: 'Information and Communications', divisions: [58, 63] },
  { section: 'K', title: 'Financial and Insurance Activities', divisions: [64, 66] },
  { section: 'L', title: 'Real Estate Activities', divisions: [68, 68] },
  { section: 'M', title: 'Professional, Scientific and Technical Activities', divisions: [69, 75] },
  { section: 'N', title: 'Administrative and Support Service Activities', divisions: [77, 82] },
  { section: 'O', title: 'Public Administration and Defence', divisions: [84, 84] },
  { section: 'P', title: 'Education', divisions: [85, 85] },
  { section: 'Q', title: 'Health and Social Services', divisions: [86, 88] },
  { section: 'R', title: 'Arts, Entertainment and Recreation', divisions: [90, 93] },
  { section: 'S', title: 'Other Service Activities', divisions: [94, 96] },
  {
    section: 'T',
    title: 'Activities of Households as Employers of Domestic Personnel',
    divisions: [97, 98],
  },
  {
    section: 'U',
    title: 'Activities of Extra-Territorial Organisations and Bodies',
    divisions: [99, 99],
  },
]

/** The section of a five-digit SSIC code, if its division belongs to one. */
export function ssicSectionOf(code: string): SsicSection | undefined {
  if (!/^\d{5}$/.test(code)) return undefined
  const division = Number(code.slice(0, 2))
  return SSIC_SECTIONS.find((s) => division >= s.divisions[0] && division <= s.divisions[1])
}
