import type { User, UserId } from '../identity/index.js'

/** An officer of `agency` (its code as its name), as the catalogue's read rules see them. */
export const officer = (agency: string): User => ({
  id: 'u_000000000000000000000009' as UserId,
  username: `officer.${agency.toLowerCase()}`,
  displayName: 'Officer',
  email: 'o@example.gov.sg',
  agency: { code: agency, name: agency, ministryFamily: agency },
  roles: ['officer'],
})
