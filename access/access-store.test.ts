import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type AuditTables, auditMigrations, createAuditLog } from '../audit/index.js'
import {
  catalogMigrations,
  createDatasetStore,
  type DatasetRegistration,
  type DatasetStore,
} from '../catalog/index.js'
import { FIXTURE_AGENCIES } from '../fixtures/index.js'
import {
  createUserStore,
  defineAbilityFor,
  type IdentityTables,
  identityMigrations,
  systemAbility,
  type User,
  type UserId,
} from '../identity/index.js'
import { notificationsMigrations } from '../notifications/index.js'
import { createWorkingDayCalendar } from '../reference/index.js'
import { openTestDatabase, TEST_BACKENDS, type TestDatabase } from '../testing/index.js'
import { type AccessStore, createAccessStore } from './access-store.js'
import type { AccessTables } from './access-tables.js'
import { entitlementsFor } from './entitlements.js'
import { accessMigrations } from './migrations.js'
import { sharingRecords } from './sharing-records.js'

let next = 0
const person = (username: string, agency: string, roles: User['roles']): User => ({
  id: `u_${String(++next).padStart(24, '0')}` as UserId,
  username,
  displayName: username,
  email: `${username}@example.gov.sg`,
  agency: { code: agency, name: agency, ministryFamily: agency },
  roles,
})
const officer = person('officer.moe', 'MOE', ['officer'])
const stewardDos = person('steward.dos', 'DOS', ['officer', 'steward'])
const stewardMoh = person('steward.moh', 'MOH', ['officer', 'steward'])
const steward2Moh = person('steward2.moh', 'MOH', ['officer', 'steward'])

const registration = (
  slug: string,
  agency: string,
  security: DatasetRegistration['classification']['security'],
  sensitivity: DatasetRegistration['classification']['sensitivity'],
): DatasetRegistration => ({
  slug,
  title: slug.replaceAll('-', ' '),
  description: `Synthetic ${slug} for the access workflow tests.`,
  agency,
  trustedCentre: `TC-${agency}`,
  sourceSsots: [agency.toLowerCase()],
  classification: { security, sensitivity },
  updateFrequency: 'monthly',
  columns: ['person_key', 'planning_area_code', 'age_band'].map((name) => ({
    name,
    description: name,
    personalData: 'none' as const,
  })),
})

/** Singapore time, as officers read it. */
const sgt = (local: string) => new Date(`${local}+08:00`)
const request = {
  purpose: 'Plan school places by planning area for 2027',
  legalBasis: 'Public Sector (Governance) Act 2018, s. 25',
  durationDays: 90,
}

describe.each(TEST_BACKENDS)('access workflow on %s', (backend) => {
  let test: TestDatabase<AccessTables & IdentityTables & AuditTables>
  let access: AccessStore
  let catalog: DatasetStore
  const as = (user: User) => defineAbilityFor(user)

  beforeAll(async () => {
    test = await openTestDatabase(backend, {
      postgresUrl: inject('postgresUrl'),
      migrations: [
        identityMigrations,
        auditMigrations,
        catalogMigrations,
        notificationsMigrations,
        accessMigrations,
      ],
    })
    await createUserStore(test.db).saveAgencies(FIXTURE_AGENCIES)
    catalog = createDatasetStore(test.db)
    access = createAccessStore(test.db, createWorkingDayCalendar())
    const publish = (r: DatasetRegistration) =>
      catalog.publishVersion(
        r,
        {
          rowCount: 10,
          byteSize: 100,
          contentSha256: r.slug.padEnd(64, '0').slice(0, 64),
          schema: r.columns.map((c) => ({ name: c.name, type: 'VARCHAR' })),
        },
        async (v) => `tc/${r.slug}/v${v}.parquet`,
      )
    await publish(registration('persons-by-area', 'DOS', 'restricted', 'sensitive-normal'))
    await publish(registration('open-weather', 'GOVTECH', 'official-open', 'non-sensitive'))
    await publish(registration('chronic-registry', 'MOH', 'restricted', 'sensitive-high'))
    await publish(registration('clinic-visits', 'MOH', 'restricted', 'sensitive-normal'))
  })
  afterAll(() => test.close())

  it('walks a request through information, approval with conditions, and a live grant', async () => {
    const submitted = await access.submit(
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

    const asked = await access.act(
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
    const resubmitted = await access.act(
      submitted.id,
      'resubmit',
      { answer: 'All primary schools in the East region.' },
      officer,
      as(officer),
      sgt('2026-02-19T15:00:00'),
    )
    expect(resubmitted.serviceLevel).toMatchObject({ workingDays: 1, due: '2026-02-27' })

    const approved = await access.act(
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
    const at = (local: string) => entitlementsFor(test.db, officer, as(officer), sgt(local))
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
    await access.revokeGrant(
      grant.id,
      'Project cancelled',
      stewardDos,
      as(stewardDos),
      sgt('2026-03-02T09:00:00'),
    )
    expect((await at('2026-03-02T09:00:01')).some((e) => e.basis === 'grant')).toBe(false)
    expect((await access.get(submitted.id, as(officer), sgt('2026-03-02T10:00:00'))).status).toBe(
      'revoked',
    )
  })

  it('refuses illegal steps with 409 naming the legal ones, and strangers with 403', async () => {
    const r = await access.submit(
      { dataset: 'clinic-visits', ...request },
      officer,
      as(officer),
      sgt('2026-03-02T09:00:00'),
    )
    const now = sgt('2026-03-02T10:00:00')
    await expect(
      access.act(r.id, 'resubmit', { answer: 'x' }, officer, as(officer), now),
    ).rejects.toThrow(
      'Cannot resubmit a request that is submitted: allowed now: approve, reject, ask-info, withdraw',
    )
    // A steward of another agency does not even see it; the requester sees it but cannot decide.
    await expect(
      access.act(r.id, 'approve', {}, stewardDos, as(stewardDos), now),
    ).rejects.toMatchObject({ code: 'not_found' })
    await expect(access.act(r.id, 'approve', {}, officer, as(officer), now)).rejects.toMatchObject({
      code: 'forbidden',
    })
    await expect(access.act(r.id, 'withdraw', {}, stewardMoh, as(stewardMoh), now)).rejects.toThrow(
      'Only officer.moe, who made the request, may withdraw it',
    )
    await expect(access.act(r.id, 'reject', {}, stewardMoh, as(stewardMoh), now)).rejects.toThrow(
      'reason: say why the request is rejected',
    )
    const rejected = await access.act(
      r.id,
      'reject',
      { reason: 'Use the aggregated clinic statistics instead' },
      stewardMoh,
      as(stewardMoh),
      now,
    )
    expect(rejected).toMatchObject({ status: 'rejected', serviceLevel: { decisionWorkingDays: 0 } })
    await expect(access.act(r.id, 'withdraw', {}, officer, as(officer), now)).rejects.toThrow(
      'Cannot withdraw a request that is rejected: it is closed; nothing more can be done',
    )
    // Other officers do not even see it.
    const other = person('officer.moh', 'MOH', ['officer'])
    await expect(access.get(r.id, as(other), now)).rejects.toMatchObject({ code: 'not_found' })
    await expect(
      access.submit({ dataset: 'open-weather', ...request }, officer, as(officer), now),
    ).rejects.toThrow('Official (Open)')
  })

  it('needs two different stewards for Sensitive-High data, and nobody approves their own', async () => {
    const own = await access.submit(
      { dataset: 'chronic-registry', ...request },
      steward2Moh,
      as(steward2Moh),
      sgt('2026-03-03T09:00:00'),
    )
    const now = sgt('2026-03-03T10:00:00')
    await expect(
      access.act(own.id, 'approve', {}, steward2Moh, as(steward2Moh), now),
    ).rejects.toThrow('Nobody decides on their own request')
    await access.act(own.id, 'withdraw', {}, steward2Moh, as(steward2Moh), now)

    const r = await access.submit(
      { dataset: 'chronic-registry', columns: ['age_band', 'planning_area_code'], ...request },
      officer,
      as(officer),
      sgt('2026-03-03T09:00:00'),
    )
    expect(r.approvalsNeeded).toBe(2)
    const first = await access.act(
      r.id,
      'approve',
      { columns: ['age_band', 'planning_area_code'], expiresAt: sgt('2026-04-30T00:00:00') },
      stewardMoh,
      as(stewardMoh),
      now,
    )
    expect(first).toMatchObject({ state: 'submitted', approvals: [{ steward: 'steward.moh' }] })
    expect(first.grant).toBeUndefined()
    await expect(access.act(r.id, 'approve', {}, stewardMoh, as(stewardMoh), now)).rejects.toThrow(
      'You have already approved this request',
    )
    const second = await access.act(
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

  it('keeps the working days of every decision for the sharing KPI', async () => {
    const records = await sharingRecords(test.db, {
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

  it('drops a lapsed first approval and refuses approvals that share no column', async () => {
    const r = await access.submit(
      { dataset: 'chronic-registry', ...request, durationDays: 1 },
      officer,
      as(officer),
      sgt('2026-03-09T09:00:00'),
    )
    await access.act(r.id, 'approve', {}, stewardMoh, as(stewardMoh), sgt('2026-03-09T10:00:00'))
    // Two days later the first approval's end date has passed: it no longer counts.
    const later = await access.act(
      r.id,
      'approve',
      {},
      steward2Moh,
      as(steward2Moh),
      sgt('2026-03-11T10:00:00'),
    )
    expect(later).toMatchObject({ state: 'submitted', approvals: [{ steward: 'steward2.moh' }] })
    expect(later.history.at(-1)?.details).toMatchObject({ lapsed: ['steward.moh'] })

    const split = await access.submit(
      { dataset: 'chronic-registry', ...request },
      stewardDos,
      as(stewardDos),
      sgt('2026-03-09T09:00:00'),
    )
    const at = sgt('2026-03-09T10:00:00')
    await access.act(split.id, 'approve', { columns: ['age_band'] }, stewardMoh, as(stewardMoh), at)
    await expect(
      access.act(
        split.id,
        'approve',
        { columns: ['person_key'] },
        steward2Moh,
        as(steward2Moh),
        at,
      ),
    ).rejects.toThrow('The approvals share no column')
  })

  it('offers samples only up to Confidential (Cloud-Eligible), whoever may discover more', async () => {
    await catalog.publishVersion(
      registration('secret-census', 'MOH', 'secret', 'non-sensitive'),
      {
        rowCount: 10,
        byteSize: 100,
        contentSha256: 'f'.repeat(64),
        schema: [{ name: 'person_key', type: 'VARCHAR' }],
      },
      async (v) => `tc/secret-census/v${v}.parquet`,
    )
    const secret = await catalog.findDataset('secret-census', systemAbility())
    const open = await catalog.findDataset('clinic-visits', systemAbility())
    for (const d of [secret, open])
      if (d)
        await catalog.recordSample(d.id, 1, {
          status: 'published',
          path: `samples/${d.slug}/v1.parquet`,
          rowCount: 5,
          k: 5,
          details: {},
        })
    const auditor = person('auditor', 'MDDI', ['auditor'])
    const samples = (await entitlementsFor(test.db, auditor, as(auditor), new Date()))
      .filter((e) => e.scope === 'sample')
      .map((e) => e.dataset.slug)
    expect(samples).toContain('clinic-visits')
    expect(samples).not.toContain('secret-census')
  })

  it('audits each step in its own transaction: no entry, no step', async () => {
    const audit = createAuditLog(test.db, { key: randomBytes(32) })
    const audited = createAccessStore(test.db, createWorkingDayCalendar(), audit)
    const r = await audited.submit(
      { dataset: 'clinic-visits', ...request },
      person('officer.hdb', 'MOE', ['officer']),
      defineAbilityFor(person('officer.hdb', 'MOE', ['officer'])),
      sgt('2026-03-06T09:00:00'),
      'req-1',
    )
    const entries = await audit.list({ limit: 5 })
    expect(entries[0]).toMatchObject({
      action: 'request.submit',
      subjectId: r.id,
      requestId: 'req-1',
    })
    const broken = createAccessStore(test.db, createWorkingDayCalendar(), {
      append: async () => {
        throw new Error('audit log unavailable')
      },
    })
    const officerSla = person('officer.sla', 'SLA', ['officer'])
    await expect(
      broken.submit(
        { dataset: 'clinic-visits', ...request },
        officerSla,
        defineAbilityFor(officerSla),
        sgt('2026-03-06T09:00:00'),
      ),
    ).rejects.toThrow('audit log unavailable')
    const left = await test.db
      .selectFrom('access_requests')
      .select('id')
      .where('requester_id', '=', officerSla.id)
      .execute()
    expect(left).toEqual([])
  })

  it('makes one grant out of concurrent approvals', async () => {
    const r = await access.submit(
      { dataset: 'clinic-visits', ...request },
      person('officer.ica', 'ICA', ['officer']),
      defineAbilityFor(person('officer.ica', 'ICA', ['officer'])),
      sgt('2026-03-05T09:00:00'),
    )
    const now = sgt('2026-03-05T10:00:00')
    const outcomes = await Promise.allSettled(
      [stewardMoh, steward2Moh, stewardMoh].map((s) =>
        access.act(r.id, 'approve', {}, s, as(s), now),
      ),
    )
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1)
    for (const o of outcomes.filter((o) => o.status === 'rejected'))
      expect((o as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict' })
    const grants = await test.db
      .selectFrom('grants')
      .select('id')
      .where('request_id', '=', r.id)
      .execute()
    expect(grants).toHaveLength(1)
  })
})
