import { describe, expect, it } from 'vitest'
import { asSubject, assertCan, defineAbilityFor } from './ability.js'
import type { Role, User, UserId } from './user.js'

const person = (agency: string, roles: Role[], id = 'u_000000000000000000000001'): User => ({
  id: id as UserId,
  username: `${roles[0]}.${agency.toLowerCase()}`,
  displayName: 'Someone',
  email: 'someone@example.gov.sg',
  agency: { code: agency, name: agency, ministryFamily: agency },
  roles,
})
const dataset = (agency: string, security: string, sensitivity = 'non-sensitive') =>
  asSubject('Dataset', { agency, security, sensitivity })

describe('defineAbilityFor', () => {
  it('lets an officer discover datasets up to Confidential (Cloud-Eligible), and all of their own agency', () => {
    const officer = defineAbilityFor(person('MOH', ['officer']))
    expect(officer.can('read', dataset('DOS', 'restricted', 'sensitive-normal'))).toBe(true)
    expect(officer.can('read', dataset('DOS', 'confidential-cloud-eligible'))).toBe(true)
    expect(officer.can('read', dataset('DOS', 'confidential'))).toBe(false)
    expect(officer.can('read', dataset('MOH', 'secret', 'sensitive-high'))).toBe(true)
    expect(officer.can('update', dataset('MOH', 'restricted'))).toBe(false)
  })

  it("lets a steward edit their own agency's datasets only", () => {
    const steward = defineAbilityFor(person('DOS', ['officer', 'steward']))
    expect(steward.can('update', dataset('DOS', 'restricted'))).toBe(true)
    expect(steward.can('update', dataset('SLA', 'official-open'))).toBe(false)
  })

  it('gives the audit trail to auditors, its verification to administrators too, and nothing to officers', () => {
    expect(defineAbilityFor(person('MDDI', ['auditor'])).can('export', 'AuditLog')).toBe(true)
    expect(defineAbilityFor(person('GOVTECH', ['admin'])).can('verify', 'AuditLog')).toBe(true)
    expect(defineAbilityFor(person('GOVTECH', ['admin'])).can('read', 'AuditLog')).toBe(false)
    expect(defineAbilityFor(person('MOH', ['officer', 'leader'])).can('read', 'AuditLog')).toBe(
      false,
    )
  })

  it("keeps each person's API tokens their own", () => {
    const me = person('MOH', ['officer'], 'u_000000000000000000000001')
    const ability = defineAbilityFor(me)
    expect(ability.can('revoke', asSubject('ApiToken', { userId: me.id }))).toBe(true)
    expect(
      ability.can('revoke', asSubject('ApiToken', { userId: 'u_000000000000000000000002' })),
    ).toBe(false)
  })

  it('allows nothing to an anonymous caller', () => {
    const nobody = defineAbilityFor(undefined)
    expect(nobody.can('read', dataset('DOS', 'official-open'))).toBe(false)
    expect(nobody.rules).toEqual([])
  })

  it('turns a refusal into a 403-mapped error that says what was refused', () => {
    expect(() =>
      assertCan(defineAbilityFor(person('MOH', ['officer'])), 'read', 'AuditLog'),
    ).toThrow('You may not read the audit trail')
  })

  it('names every kind of thing in words, never by its class name', () => {
    const nobody = defineAbilityFor(undefined)
    const kinds = [
      'Dataset',
      'ApiToken',
      'AuditLog',
      'GlossaryTerm',
      'AccessRequest',
      'Grant',
      'Webhook',
      'RefusedDelivery',
      'User',
      'LineageEvent',
      'LineageNamespace',
      'Kpi',
      'SharingStatistics',
    ] as const
    for (const kind of kinds) {
      let message = ''
      try {
        assertCan(nobody, 'update', kind)
      } catch (error) {
        message = (error as Error).message
      }
      expect(message).toMatch(/^You may not change [a-z][a-zA-Z' -]+$/)
      expect(message).not.toMatch(/[a-z][A-Z]/)
    }
  })
})
