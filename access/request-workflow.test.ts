import { describe, expect, it } from 'vitest'
import { defineAbilityFor, type User, type UserId } from '../identity/index.js'
import { createWorkingDayCalendar } from '../reference/index.js'
import type { Approval } from './approval.js'
import type { RequestAction } from './request-states.js'
import {
  type ActionInput,
  decideStep,
  type RequestUnderStep,
  type Step,
} from './request-workflow.js'

const person = (username: string, agency: string, roles: User['roles']): User => ({
  id: `u_${username}` as UserId,
  username,
  displayName: username,
  email: `${username}@example.gov.sg`,
  agency: { code: agency, name: agency, ministryFamily: agency },
  roles,
})
const officer = person('officer.moe', 'MOE', ['officer'])
const stewardMoh = person('steward.moh', 'MOH', ['officer', 'steward'])
const steward2Moh = person('steward2.moh', 'MOH', ['officer', 'steward'])
const stewardDos = person('steward.dos', 'DOS', ['officer', 'steward'])
const admin = person('admin', 'GOVTECH', ['admin'])

const sgt = (local: string) => new Date(`${local}+08:00`)
const submittedAt = sgt('2026-03-02T09:00:00')
const now = sgt('2026-03-04T10:00:00')
const calendar = createWorkingDayCalendar()

/** A request for MOH's clinic visits by an MOE officer, submitted on Monday 2 March 2026. */
const clinicVisits = (changes: Partial<RequestUnderStep> = {}): RequestUnderStep => ({
  id: 'r_1',
  dataset: {
    id: 'd_1',
    title: 'Clinic visits',
    agency: 'MOH',
    sensitivity: 'sensitive-normal',
    columns: { names: ['person_key', 'age_band', 'visits'], directIdentifiers: ['person_key'] },
  },
  requester: { id: officer.id, username: 'officer.moe', agency: 'MOE' },
  scope: 'rows',
  columns: undefined,
  durationDays: 30,
  state: 'submitted',
  approvalsNeeded: 1,
  approvals: [],
  history: [{ at: submittedAt, from: undefined, to: 'submitted' }],
  ...changes,
})
const sensitiveHigh = (changes: Partial<RequestUnderStep> = {}) => {
  const request = clinicVisits({ approvalsNeeded: 2, ...changes })
  return { ...request, dataset: { ...request.dataset, sensitivity: 'sensitive-high' } }
}
const firstApproval: Approval = {
  stewardId: stewardMoh.id,
  steward: 'steward.moh',
  at: sgt('2026-03-03T10:00:00'),
  conditions: { columns: ['age_band', 'visits'], expiresAt: '2026-03-20T00:00:00.000Z' },
}

const step = (
  request: RequestUnderStep,
  action: RequestAction,
  actor: User,
  input: ActionInput = {},
): Step => ({
  request,
  action,
  input,
  actor,
  ability: defineAbilityFor(actor),
  now,
  calendar,
  grantId: 'g_1',
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
const announcement = (kind: string, to: string, title: string, body: string, by: User) => ({
  kind,
  to,
  title,
  body,
  request: { id: 'r_1', agency: 'MOH', requesterId: officer.id, requesterAgency: 'MOE' },
  actorId: by.id,
  link: '/requests/r_1',
  details: {
    dataset: 'd_1',
    requester: { username: 'officer.moe', agency: 'MOE' },
    by: by.username,
  },
})

describe('approving a request', () => {
  it("grants on one steward's approval, with its conditions and the working days it took", () => {
    const input = { columns: ['age_band'], expiresAt: sgt('2026-03-31T00:00:00') }
    expect(decideStep(step(clinicVisits(), 'approve', stewardMoh, input))).toEqual({
      next: 'approved',
      effects: [
        {
          kind: 'approval',
          conditions: { columns: ['age_band'], expiresAt: '2026-03-30T16:00:00.000Z' },
        },
        {
          kind: 'update',
          changes: { state: 'approved', decidedAt: now, decisionWorkingDays: 2, question: null },
        },
        {
          kind: 'grant',
          grant: {
            id: 'g_1',
            requestId: 'r_1',
            dataset: { id: 'd_1', agency: 'MOH' },
            grantee: { id: officer.id, username: 'officer.moe', agency: 'MOE' },
            scope: 'rows',
            terms: {
              columns: ['age_band'],
              rowFilter: [],
              inClear: [],
              expiresAt: sgt('2026-03-31T00:00:00'),
            },
            grantedAt: now,
            grantedBy: ['steward.moh'],
            grantWorkingDays: 2,
          },
        },
        {
          kind: 'event',
          action: 'approve',
          from: 'submitted',
          to: 'approved',
          details: {
            columns: ['age_band'],
            expiresAt: '2026-03-30T16:00:00.000Z',
            approvals: 1,
            needed: 1,
          },
        },
        {
          kind: 'notify',
          announcement: announcement(
            'request.approved',
            'requester',
            'Your request for Clinic visits is approved',
            'Columns: age_band. Rows: all. Until 31 Mar 2026.',
            stewardMoh,
          ),
        },
        {
          kind: 'audit',
          action: 'request.approve',
          subject: { type: 'AccessRequest', id: 'r_1' },
          details: { dataset: 'd_1', from: 'submitted', state: 'approved', grant: 'g_1' },
        },
      ],
    })
  })

  it('keeps Sensitive High data submitted at its first approval', () => {
    expect(decideStep(step(sensitiveHigh(), 'approve', stewardMoh))).toEqual({
      next: 'submitted',
      effects: [
        { kind: 'approval', conditions: { expiresAt: '2026-04-03T02:00:00.000Z' } },
        {
          kind: 'event',
          action: 'approve',
          from: 'submitted',
          to: 'submitted',
          details: { expiresAt: '2026-04-03T02:00:00.000Z', approvals: 1, needed: 2 },
        },
        {
          kind: 'notify',
          announcement: announcement(
            'request.awaiting-second-approval',
            'requester',
            'Your request for Clinic visits has one of its two approvals',
            'steward.moh approved it. This data is Sensitive-High: a second steward must approve before you have access.',
            stewardMoh,
          ),
        },
        {
          kind: 'audit',
          action: 'request.approve',
          subject: { type: 'AccessRequest', id: 'r_1' },
          details: { dataset: 'd_1', from: 'submitted', state: 'submitted' },
        },
      ],
    })
  })

  it('grants Sensitive High data at a different steward’s approval, on the narrowest terms', () => {
    const request = sensitiveHigh({ approvals: [firstApproval] })
    const decision = decideStep(step(request, 'approve', steward2Moh, { columns: ['visits'] }))
    expect(decision.next).toBe('approved')
    expect(decision.effects.find((e) => e.kind === 'grant')).toMatchObject({
      grant: {
        terms: {
          columns: ['visits'],
          rowFilter: [],
          inClear: [],
          expiresAt: new Date('2026-03-20T00:00:00.000Z'),
        },
        grantedBy: ['steward.moh', 'steward2.moh'],
      },
    })
  })

  it('refuses a second approval by the same steward', () => {
    const request = sensitiveHigh({ approvals: [firstApproval] })
    expect(refusal(() => decideStep(step(request, 'approve', stewardMoh)))).toEqual({
      code: 'conflict',
      message:
        'You have already approved this request: it needs the approval of a different steward',
    })
  })

  it('drops an approval whose end has passed, and says whose', () => {
    const lapsed = { ...firstApproval, conditions: { expiresAt: '2026-03-04T02:00:00.000Z' } }
    const request = sensitiveHigh({ approvals: [lapsed] })
    const { next, effects } = decideStep(step(request, 'approve', stewardMoh))
    expect(next).toBe('submitted')
    expect(effects.map((e) => e.kind)).toEqual([
      'drop-approvals',
      'approval',
      'event',
      'notify',
      'audit',
    ])
    expect(effects[0]).toEqual({ kind: 'drop-approvals', stewardIds: [stewardMoh.id] })
    expect(effects[2]).toMatchObject({
      details: { approvals: 1, needed: 2, lapsed: ['steward.moh'] },
    })
  })

  it('needs two approvals once the data became Sensitive High, and one for its aggregates', () => {
    const reclassified = sensitiveHigh({ approvalsNeeded: 1 })
    const { next, effects } = decideStep(step(reclassified, 'approve', stewardMoh))
    expect(next).toBe('submitted')
    expect(effects[0]).toEqual({ kind: 'update', changes: { approvalsNeeded: 2 } })
    const aggregates = sensitiveHigh({ approvalsNeeded: 1, scope: 'aggregates' })
    expect(decideStep(step(aggregates, 'approve', stewardMoh)).next).toBe('approved')
  })
})

describe('who may take a step', () => {
  it('refuses a steward deciding on their own request', () => {
    const own = clinicVisits({
      requester: { id: stewardMoh.id, username: 'steward.moh', agency: 'MOH' },
    })
    expect(refusal(() => decideStep(step(own, 'approve', stewardMoh)))).toEqual({
      code: 'forbidden',
      message: 'Nobody decides on their own request: another steward must',
    })
  })

  it('refuses stewards of another agency, and people who are no steward', () => {
    for (const actor of [stewardDos, admin, officer])
      expect(refusal(() => decideStep(step(clinicVisits(), 'reject', actor)))).toEqual({
        code: 'forbidden',
        message: 'Only stewards of MOH, which owns the dataset, may reject this request',
      })
  })

  it('leaves withdrawing and answering to the requester', () => {
    expect(refusal(() => decideStep(step(clinicVisits(), 'withdraw', stewardMoh)))).toEqual({
      code: 'forbidden',
      message: 'Only officer.moe, who made the request, may withdraw it',
    })
  })
})

describe('the state a step needs', () => {
  it('refuses a step the state does not allow, naming the ones it does', () => {
    expect(
      refusal(() => decideStep(step(clinicVisits(), 'resubmit', officer, { answer: 'x' }))),
    ).toEqual({
      code: 'conflict',
      message:
        'Cannot resubmit a request that is submitted: allowed now: approve, reject, ask-info, amend, withdraw',
    })
    const approved = clinicVisits({ state: 'approved' })
    expect(refusal(() => decideStep(step(approved, 'approve', stewardMoh)))).toEqual({
      code: 'conflict',
      message: 'Cannot approve a request that is approved: it is closed; nothing more can be done',
    })
  })

  it('checks who before what state, and the state before the input', () => {
    const rejected = clinicVisits({ state: 'rejected' })
    expect(refusal(() => decideStep(step(rejected, 'withdraw', stewardDos)))).toMatchObject({
      code: 'forbidden',
    })
    expect(refusal(() => decideStep(step(rejected, 'reject', stewardMoh)))).toMatchObject({
      code: 'conflict',
    })
    expect(refusal(() => decideStep(step(clinicVisits(), 'reject', stewardMoh)))).toEqual({
      code: 'invalid_input',
      message: 'reason: say why the request is rejected',
    })
  })
})

describe('the other steps', () => {
  it('rejects with the reason, closing the clock', () => {
    const input = { reason: '  Use the published statistics  ' }
    const { next, effects } = decideStep(step(clinicVisits(), 'reject', stewardMoh, input))
    expect(next).toBe('rejected')
    expect(effects.slice(0, 2)).toEqual([
      {
        kind: 'update',
        changes: {
          state: 'rejected',
          decidedAt: now,
          decisionWorkingDays: 2,
          decisionReason: 'Use the published statistics',
        },
      },
      {
        kind: 'event',
        action: 'reject',
        from: 'submitted',
        to: 'rejected',
        details: { reason: 'Use the published statistics' },
      },
    ])
  })

  it('asks the requester, and tells only them', () => {
    const input = { question: 'Which clinics?' }
    const { next, effects } = decideStep(step(clinicVisits(), 'ask-info', stewardMoh, input))
    expect(next).toBe('needs-info')
    expect(effects).toEqual([
      { kind: 'update', changes: { state: 'needs-info', question: 'Which clinics?' } },
      {
        kind: 'event',
        action: 'ask-info',
        from: 'submitted',
        to: 'needs-info',
        details: { question: 'Which clinics?' },
      },
      {
        kind: 'notify',
        announcement: announcement(
          'request.info-requested',
          'requester',
          'A steward asks about your request for Clinic visits',
          'Which clinics?',
          stewardMoh,
        ),
      },
      {
        kind: 'audit',
        action: 'request.ask-info',
        subject: { type: 'AccessRequest', id: 'r_1' },
        details: { dataset: 'd_1', from: 'submitted', state: 'needs-info' },
      },
    ])
  })

  it('takes a corrected request back, dropping every approval made so far', () => {
    const asked = sensitiveHigh({ state: 'needs-info', approvals: [firstApproval] })
    const input = { answer: 'Polyclinics only', changes: { columns: ['visits'], durationDays: 60 } }
    const { next, effects } = decideStep(step(asked, 'resubmit', officer, input))
    expect(next).toBe('submitted')
    expect(effects.slice(0, 3)).toEqual([
      {
        kind: 'update',
        changes: { state: 'submitted', columns: ['visits'], durationDays: 60 },
      },
      { kind: 'drop-approvals', stewardIds: 'all' },
      {
        kind: 'event',
        action: 'resubmit',
        from: 'needs-info',
        to: 'submitted',
        details: { answer: 'Polyclinics only', changed: ['columns', 'durationDays'] },
      },
    ])
    const unknown = { answer: 'More', changes: { columns: ['income'] } }
    expect(refusal(() => decideStep(step(asked, 'resubmit', officer, unknown)))).toMatchObject({
      code: 'invalid_input',
    })
  })

  it('lets the requester amend a waiting request in place: approvals lapse, the clock runs on', () => {
    const waiting = sensitiveHigh({ approvals: [firstApproval] })
    const input = { changes: { columns: null, purpose: 'Polyclinic planning for 2027 and 2028' } }
    const { next, effects } = decideStep(step(waiting, 'amend', officer, input))
    expect(next).toBe('submitted')
    expect(effects).toEqual([
      {
        kind: 'update',
        changes: { columns: null, purpose: 'Polyclinic planning for 2027 and 2028' },
      },
      { kind: 'drop-approvals', stewardIds: 'all' },
      {
        // From and to the same state: the clock (service-level.ts) counts on from submission.
        kind: 'event',
        action: 'amend',
        from: 'submitted',
        to: 'submitted',
        details: {
          changed: ['columns', 'purpose'],
          columns: null,
          purpose: 'Polyclinic planning for 2027 and 2028',
          approvalsWithdrawn: 1,
        },
      },
      {
        kind: 'notify',
        announcement: announcement(
          'request.amended',
          'stewards',
          'officer.moe amended the request for Clinic visits',
          'Changed: columns, purpose. The approval given before no longer counts: decide on the request as it stands now.',
          officer,
        ),
      },
      {
        kind: 'audit',
        action: 'request.amend',
        subject: { type: 'AccessRequest', id: 'r_1' },
        details: { dataset: 'd_1', from: 'submitted', state: 'submitted' },
      },
    ])
    // Asked for information, it stays so (the clock stays paused) until the requester answers.
    const asked = clinicVisits({ state: 'needs-info' })
    const longer = { changes: { durationDays: 60 } }
    expect(decideStep(step(asked, 'amend', officer, longer)).next).toBe('needs-info')
  })

  it('refuses an amendment by anyone else, of a closed request, or that changes nothing', () => {
    const changes = { changes: { durationDays: 60 } }
    expect(refusal(() => decideStep(step(clinicVisits(), 'amend', stewardMoh, changes)))).toEqual({
      code: 'forbidden',
      message: 'Only officer.moe, who made the request, may amend it',
    })
    const approved = clinicVisits({ state: 'approved' })
    expect(refusal(() => decideStep(step(approved, 'amend', officer, changes)))).toMatchObject({
      code: 'conflict',
    })
    expect(refusal(() => decideStep(step(clinicVisits(), 'amend', officer, {})))).toMatchObject({
      code: 'invalid_input',
    })
    const unknown = { changes: { columns: ['income'] } }
    expect(
      refusal(() => decideStep(step(clinicVisits(), 'amend', officer, unknown))),
    ).toMatchObject({ code: 'invalid_input' })
  })

  it('lets the requester withdraw, telling the stewards', () => {
    const { next, effects } = decideStep(step(clinicVisits(), 'withdraw', officer))
    expect(next).toBe('withdrawn')
    expect(effects[2]).toEqual({
      kind: 'notify',
      announcement: announcement(
        'request.withdrawn',
        'stewards',
        'officer.moe withdrew the request for Clinic visits',
        '',
        officer,
      ),
    })
  })
})
