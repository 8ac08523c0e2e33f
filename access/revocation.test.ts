import { describe, expect, it } from 'vitest'
import { defineAbilityFor, type User, type UserId } from '../identity/index.js'
import type { Grant } from './access-request.js'
import { decideRevocation } from './revocation.js'

const person = (username: string, agency: string, roles: User['roles']): User => ({
  id: `u_${username}` as UserId,
  username,
  displayName: username,
  email: `${username}@example.gov.sg`,
  agency: { code: agency, name: agency, ministryFamily: agency },
  roles,
})
const stewardDos = person('steward.dos', 'DOS', ['officer', 'steward'])
const now = new Date('2026-03-02T01:00:00.000Z')
const grant: Grant = {
  id: 'g_1',
  requestId: 'r_1',
  dataset: { id: 'd_1', slug: 'persons-by-area', title: 'Persons by area', agency: 'DOS' },
  grantee: { id: 'u_officer.moe', username: 'officer.moe', agency: 'MOE' },
  scope: 'rows',
  columns: undefined,
  rowFilter: [],
  inClear: [],
  grantedAt: new Date('2026-02-20T03:00:00.000Z'),
  grantedBy: ['steward.dos'],
  expiresAt: new Date('2026-05-21T03:00:00.000Z'),
  status: 'active',
  revoked: undefined,
  purpose: 'Plan school places',
  usage: { queries: 0, downloads: 0, lastUsedAt: undefined },
}
const revocation = (actor: User, changes: Partial<Grant> = {}) => ({
  grant: { ...grant, ...changes },
  reason: 'Project cancelled',
  actor,
  ability: defineAbilityFor(actor),
  now,
})
const refusal = (decide: () => unknown) => {
  try {
    decide()
  } catch (error) {
    const { code, message } = error as { code: string; message: string }
    return { code, message }
  }
  throw new Error('expected a refusal')
}

describe('revoking a grant', () => {
  it('ends it, records the step on its request, tells the grantee and audits', () => {
    expect(decideRevocation(revocation(stewardDos))).toEqual({
      next: 'approved',
      effects: [
        { kind: 'revoke', grantId: 'g_1', reason: 'Project cancelled' },
        {
          kind: 'event',
          action: 'revoke',
          from: 'approved',
          to: 'approved',
          details: { grant: 'g_1', reason: 'Project cancelled' },
        },
        {
          kind: 'notify',
          announcement: {
            kind: 'grant.revoked',
            to: 'requester',
            title: 'Your access to Persons by area was revoked',
            body: 'Project cancelled',
            request: {
              id: 'r_1',
              agency: 'DOS',
              requesterId: 'u_officer.moe',
              requesterAgency: 'MOE',
            },
            actorId: stewardDos.id,
            link: '/requests/r_1',
            details: {
              dataset: 'd_1',
              requester: { username: 'officer.moe', agency: 'MOE' },
              by: 'steward.dos',
            },
          },
        },
        {
          kind: 'audit',
          action: 'grant.revoke',
          subject: { type: 'Grant', id: 'g_1' },
          details: { dataset: 'd_1', grantee: 'officer.moe', reason: 'Project cancelled' },
        },
      ],
    })
  })

  it('is for stewards of the owning agency only', () => {
    const stewardMoh = person('steward.moh', 'MOH', ['officer', 'steward'])
    expect(refusal(() => decideRevocation(revocation(stewardMoh)))).toEqual({
      code: 'forbidden',
      message: 'Only stewards of DOS, which owns the dataset, may revoke this grant',
    })
  })

  it('refuses a grant that already gives no access', () => {
    const ended = revocation(stewardDos, { expiresAt: now })
    expect(refusal(() => decideRevocation(ended))).toEqual({
      code: 'conflict',
      message: 'Cannot revoke a grant that is expired: it gives no access now',
    })
    const revoked = revocation(stewardDos, {
      revoked: { at: now, by: 'steward.dos', reason: 'Done' },
    })
    expect(refusal(() => decideRevocation(revoked))).toMatchObject({
      message: 'Cannot revoke a grant that is revoked: it gives no access now',
    })
  })
})
