import { describe, expect, it } from 'vitest'
import { defineAbilityFor, publicAbility, type User, type UserId } from '../identity/index.js'
import { decideSubmission, type Submission } from './submission.js'

const officer: User = {
  id: 'u_officer.moe' as UserId,
  username: 'officer.moe',
  displayName: 'officer.moe',
  email: 'officer.moe@example.gov.sg',
  agency: { code: 'MOE', name: 'MOE', ministryFamily: 'MOE' },
  roles: ['officer'],
}
const now = new Date('2026-03-02T01:00:00.000Z')
const submission = (changes: Partial<Submission> = {}): Submission => ({
  id: 'r_1',
  input: {
    dataset: 'chronic-registry',
    purpose: 'Plan school health screening',
    legalBasis: 'Public Sector (Governance) Act 2018',
    durationDays: 90,
  },
  dataset: {
    id: 'd_1',
    slug: 'chronic-registry',
    title: 'Chronic registry',
    agency: 'MOH',
    security: 'restricted',
    sensitivity: 'sensitive-high',
    columns: { names: ['person_key', 'age_band'], directIdentifiers: ['person_key'] },
  },
  requester: officer,
  ability: defineAbilityFor(officer),
  now,
  heldAggregates: undefined,
  openRequest: undefined,
  ...changes,
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

describe('submitting a request', () => {
  it('makes a submitted request needing two stewards for Sensitive High rows', () => {
    const { next, effects } = decideSubmission(submission())
    expect(next).toBe('submitted')
    expect(effects.map((e) => e.kind)).toEqual(['create', 'event', 'notify', 'notify', 'audit'])
    expect(effects[0]).toEqual({
      kind: 'create',
      request: {
        id: 'r_1',
        dataset: { id: 'd_1', slug: 'chronic-registry', title: 'Chronic registry', agency: 'MOH' },
        requester: { id: officer.id, username: 'officer.moe', agency: 'MOE' },
        scope: 'rows',
        columns: undefined,
        purpose: 'Plan school health screening',
        legalBasis: 'Public Sector (Governance) Act 2018',
        durationDays: 90,
        project: undefined,
        crossAgency: true,
        state: 'submitted',
        approvalsNeeded: 2,
        submittedAt: now,
      },
    })
    expect(effects[2]).toMatchObject({
      announcement: {
        to: 'stewards',
        title: 'officer.moe (MOE) requests Chronic registry',
        body: 'Plan school health screening',
      },
    })
    // The requester gets a receipt of their own step, in words, with what comes next.
    expect(effects[3]).toMatchObject({
      announcement: {
        kind: 'request.received',
        to: 'requester',
        receipt: true,
        title: 'Your request for Chronic registry is with the stewards',
        body: 'Sent 2 Mar 2026. The stewards of MOH decide within 7 working days, and this data needs the approval of two of them. You will be told of each step.',
      },
    })
    expect(effects[4]).toEqual({
      kind: 'audit',
      action: 'request.submit',
      subject: { type: 'AccessRequest', id: 'r_1' },
      details: { dataset: 'chronic-registry', columns: 'all', scope: 'rows', crossAgency: true },
    })
  })

  it('counts a request as cross-agency when a partner is another agency', () => {
    const own = { ...officer, agency: { ...officer.agency, code: 'MOH' } }
    const alone = submission({ requester: own, ability: defineAbilityFor(own) })
    const create = (s: Submission) => decideSubmission(s).effects[0]
    expect(create(alone)).toMatchObject({ request: { crossAgency: false } })
    const project = { name: 'Screening', partnerAgencies: ['MOE'] }
    const partnered = { ...alone, input: { ...alone.input, project } }
    expect(create(partnered)).toMatchObject({
      request: { crossAgency: true, project: { name: 'Screening', partnerAgencies: ['MOE'] } },
    })
  })

  it('needs one steward for aggregates', () => {
    const input = { ...submission().input, scope: 'aggregates' as const }
    expect(decideSubmission(submission({ input })).effects[0]).toMatchObject({
      request: { scope: 'aggregates', approvalsNeeded: 1 },
    })
  })

  it('refuses Official (Open) data, unknown columns, a second open request or aggregate grant', () => {
    const open = submission()
    open.dataset.security = 'official-open'
    expect(refusal(() => decideSubmission(open))).toEqual({
      code: 'conflict',
      message:
        "'chronic-registry' is Official (Open): everyone may download it in full, no request needed",
    })
    const columns = { ...submission().input, columns: ['income'] }
    expect(refusal(() => decideSubmission(submission({ input: columns })))).toMatchObject({
      code: 'invalid_input',
    })
    const waiting = { id: 'r_0', submittedAt: new Date('2026-02-26T03:00:00.000Z') }
    expect(refusal(() => decideSubmission(submission({ openRequest: waiting })))).toEqual({
      code: 'conflict',
      message:
        'You already have a request for Chronic registry waiting for the stewards (your request of 26 Feb 2026): amend it or withdraw it rather than sending another',
    })
    const aggregates = { ...submission().input, scope: 'aggregates' as const }
    const held = { id: 'g_0', expiresAt: new Date('2026-05-01T00:00:00.000Z') }
    expect(
      refusal(() => decideSubmission(submission({ input: aggregates, heldAggregates: held }))),
    ).toEqual({
      code: 'conflict',
      message:
        'You already hold aggregate-only access to Chronic registry (until 1 May 2026): one at a time',
    })
    // Rows may be asked for beside an aggregate grant: only aggregates are one at a time.
    expect(decideSubmission(submission({ heldAggregates: held })).next).toBe('submitted')
  })

  it('refuses anyone who may not ask for data', () => {
    expect(refusal(() => decideSubmission(submission({ ability: publicAbility() })))).toEqual({
      code: 'forbidden',
      message: 'You may not request access to data',
    })
  })
})
