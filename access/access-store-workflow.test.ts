import { describe, expect, it } from 'vitest'
import { TEST_BACKENDS } from '../testing/index.js'
import {
  type AccessStoreSetup,
  as,
  officer,
  person,
  request,
  sgt,
  steward2Moh,
  stewardDos,
  stewardMoh,
  useAccessStore,
} from './access-store-test-kit.js'
import { entitlementsFor } from './entitlements.js'
import { sharingRecords } from './sharing-records.js'

// The tests build on each other: the sharing KPI reads the decisions made before it.
describe.each(TEST_BACKENDS)('access workflow on %s', (backend) => {
  const setup = useAccessStore(backend)

  it('walks a request through information, approval with conditions, and a live grant', async () => {
    const submitted = await setup.access.submit(
      {
        dataset: 'persons-by-area',
        columns: ['planning_area_code', 'age_band'],
        ...request,
        project: { name: 'School places 2027', partnerAgencies: ['DOS'] },
      },
      officer,
      as(officer),
      sgt('2026-02-13T10:00:00'),
    )
    expect(submitted).toMatchObject({ state: 'submitted', crossAgency: true, approvalsNeeded: 1 })
    expect(submitted.serviceLevel).toMatchObject({ workingDays: 0, due: '2026-02-26' })

    const asked = await setup.access.act(
      submitted.id,
      'ask-info',
      { question: 'Which schools does the plan cover?' },
      stewardDos,
      as(stewardDos),
      sgt('2026-02-16T09:00:00'),
    )
    expect(asked.status).toBe('needs-info')
    expect(asked.serviceLevel).toMatchObject({ workingDays: 1, status: 'paused' })

    // Chinese New Year (17-18 Feb) and the pause both stop the clock.
    const resubmitted = await setup.access.act(
      submitted.id,
      'resubmit',
      { answer: 'All primary schools in the East region.' },
      officer,
      as(officer),
      sgt('2026-02-19T15:00:00'),
    )
    expect(resubmitted.serviceLevel).toMatchObject({ workingDays: 1, due: '2026-02-27' })

    const approved = await setup.access.act(
      submitted.id,
      'approve',
      {
        columns: ['planning_area_code'],
        rowFilter: [{ column: 'planning_area_code', op: 'in', values: ['BEDOK', 'TAMPINES'] }],
      },
      stewardDos,
      as(stewardDos),
      sgt('2026-02-20T11:00:00'),
    )
    expect(approved).toMatchObject({ state: 'approved', status: 'active' })
    expect(approved.serviceLevel).toMatchObject({
      decisionWorkingDays: 2,
      status: 'met',
    })
    expect(approved.grant).toMatchObject({
      columns: ['planning_area_code'],
      rowFilter: [{ column: 'planning_area_code', op: 'in', values: ['BEDOK', 'TAMPINES'] }],
      grantedBy: ['steward.dos'],
      expiresAt: new Date(sgt('2026-02-20T11:00:00').getTime() + 90 * 86_400_000),
    })
    expect(approved.history.map((h) => h.action)).toEqual([
      'submit',
      'ask-info',
      'resubmit',
      'approve',
    ])

    // The query path sees the grant at once, and not after it expires or is revoked.
    const at = (local: string) => entitlementsFor(setup.db, officer, as(officer), sgt(local))
    const full = (await at('2026-02-20T11:00:01')).find((e) => e.basis === 'grant')
    expect(full).toMatchObject({
      dataset: { slug: 'persons-by-area' },
      scope: 'full',
      columns: ['planning_area_code'],
      files: [{ version: 1, path: 'tc/persons-by-area/v1.parquet' }],
    })
    expect((await at('2026-05-22T00:00:00')).some((e) => e.basis === 'grant')).toBe(false)
    const grant = approved.grant
    if (!grant) throw new Error('no grant')
    await setup.access.revokeGrant(
      grant.id,
      'Project cancelled',
      stewardDos,
      as(stewardDos),
      sgt('2026-03-02T09:00:00'),
    )
    expect((await at('2026-03-02T09:00:01')).some((e) => e.basis === 'grant')).toBe(false)
    expect(
      (await setup.access.get(submitted.id, as(officer), sgt('2026-03-02T10:00:00'))).status,
    ).toBe('revoked')
  })

  describe('who may decide, and how many', () => decisionRuleTests(setup))

  it('keeps the working days of every decision for the sharing KPI', async () => {
    const records = await sharingRecords(setup.db, {
      from: sgt('2026-01-01T00:00:00'),
      to: sgt('2026-04-01T00:00:00'),
    })
    expect(records.find((r) => r.dataset === 'persons-by-area')).toMatchObject({
      outcome: 'approved',
      crossAgency: true,
      requesterAgency: 'MOE',
      owningAgency: 'DOS',
      decisionWorkingDays: 2,
      grantWorkingDays: 2,
    })
    expect(records.find((r) => r.dataset === 'clinic-visits')).toMatchObject({
      outcome: 'rejected',
      grantWorkingDays: undefined,
    })
  })
})

function decisionRuleTests(setup: AccessStoreSetup) {
  it('refuses illegal steps with 409 naming the legal ones, and strangers with 403', async () => {
    const r = await setup.access.submit(
      { dataset: 'clinic-visits', ...request },
      officer,
      as(officer),
      sgt('2026-03-02T09:00:00'),
    )
    const now = sgt('2026-03-02T10:00:00')
    await expect(
      setup.access.act(r.id, 'resubmit', { answer: 'x' }, officer, as(officer), now),
    ).rejects.toThrow(
      'Cannot resubmit a request that is submitted: allowed now: approve, reject, ask-info, amend, withdraw',
    )
    // A steward of another agency does not even see it; the requester sees it but cannot decide.
    await expect(
      setup.access.act(r.id, 'approve', {}, stewardDos, as(stewardDos), now),
    ).rejects.toMatchObject({ code: 'not_found' })
    await expect(
      setup.access.act(r.id, 'approve', {}, officer, as(officer), now),
    ).rejects.toMatchObject({
      code: 'forbidden',
    })
    await expect(
      setup.access.act(r.id, 'withdraw', {}, stewardMoh, as(stewardMoh), now),
    ).rejects.toThrow('Only officer.moe, who made the request, may withdraw it')
    await expect(
      setup.access.act(r.id, 'reject', {}, stewardMoh, as(stewardMoh), now),
    ).rejects.toThrow('reason: say why the request is rejected')
    const rejected = await setup.access.act(
      r.id,
      'reject',
      { reason: 'Use the aggregated clinic statistics instead' },
      stewardMoh,
      as(stewardMoh),
      now,
    )
    expect(rejected).toMatchObject({ status: 'rejected', serviceLevel: { decisionWorkingDays: 0 } })
    await expect(setup.access.act(r.id, 'withdraw', {}, officer, as(officer), now)).rejects.toThrow(
      'Cannot withdraw a request that is rejected: it is closed; nothing more can be done',
    )
    // Other officers do not even see it.
    const other = person('officer.moh', 'MOH', ['officer'])
    await expect(setup.access.get(r.id, as(other), now)).rejects.toMatchObject({
      code: 'not_found',
    })
    await expect(
      setup.access.submit({ dataset: 'open-weather', ...request }, officer, as(officer), now),
    ).rejects.toThrow('Official (Open)')
  })

  it('needs two different stewards for Sensitive-High data, and nobody approves their own', async () => {
    const own = await setup.access.submit(
      { dataset: 'chronic-registry', ...request },
      steward2Moh,
      as(steward2Moh),
      sgt('2026-03-03T09:00:00'),
    )
    const now = sgt('2026-03-03T10:00:00')
    await expect(
      setup.access.act(own.id, 'approve', {}, steward2Moh, as(steward2Moh), now),
    ).rejects.toThrow('Nobody decides on their own request')
    await setup.access.act(own.id, 'withdraw', {}, steward2Moh, as(steward2Moh), now)

    const r = await setup.access.submit(
      { dataset: 'chronic-registry', columns: ['age_band', 'planning_area_code'], ...request },
      officer,
      as(officer),
      sgt('2026-03-03T09:00:00'),
    )
    expect(r.approvalsNeeded).toBe(2)
    const first = await setup.access.act(
      r.id,
      'approve',
      { columns: ['age_band', 'planning_area_code'], expiresAt: sgt('2026-04-30T00:00:00') },
      stewardMoh,
      as(stewardMoh),
      now,
    )
    expect(first).toMatchObject({ state: 'submitted', approvals: [{ steward: 'steward.moh' }] })
    expect(first.grant).toBeUndefined()
    await expect(
      setup.access.act(r.id, 'approve', {}, stewardMoh, as(stewardMoh), now),
    ).rejects.toThrow('You have already approved this request')
    const second = await setup.access.act(
      r.id,
      'approve',
      { columns: ['age_band'] },
      steward2Moh,
      as(steward2Moh),
      sgt('2026-03-04T10:00:00'),
    )
    // The grant takes the narrowest of the two approvals.
    expect(second).toMatchObject({ state: 'approved', status: 'active' })
    expect(second.grant).toMatchObject({
      columns: ['age_band'],
      expiresAt: sgt('2026-04-30T00:00:00'),
      grantedBy: ['steward.moh', 'steward2.moh'],
    })
  })
}
