import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createAuditLog } from '../audit/index.js'
import { defineAbilityFor, systemAbility } from '../identity/index.js'
import { createWorkingDayCalendar } from '../reference/index.js'
import { TEST_BACKENDS } from '../testing/index.js'
import { createAccessStore } from './access-store.js'
import {
  as,
  officer,
  person,
  registration,
  request,
  sgt,
  steward2Moh,
  stewardDos,
  stewardMoh,
  useAccessStore,
} from './access-store-test-kit.js'
import { entitlementsFor } from './entitlements.js'

describe.each(TEST_BACKENDS)('access safeguards on %s', (backend) => {
  const setup = useAccessStore(backend)

  it('drops a lapsed first approval and refuses approvals that share no column', async () => {
    const r = await setup.access.submit(
      { dataset: 'chronic-registry', ...request, durationDays: 1 },
      officer,
      as(officer),
      sgt('2026-03-09T09:00:00'),
    )
    await setup.access.act(
      r.id,
      'approve',
      {},
      stewardMoh,
      as(stewardMoh),
      sgt('2026-03-09T10:00:00'),
    )
    // Two days later the first approval's end date has passed: it no longer counts.
    const later = await setup.access.act(
      r.id,
      'approve',
      {},
      steward2Moh,
      as(steward2Moh),
      sgt('2026-03-11T10:00:00'),
    )
    expect(later).toMatchObject({ state: 'submitted', approvals: [{ steward: 'steward2.moh' }] })
    expect(later.history.at(-1)?.details).toMatchObject({ lapsed: ['steward.moh'] })

    const split = await setup.access.submit(
      { dataset: 'chronic-registry', ...request },
      stewardDos,
      as(stewardDos),
      sgt('2026-03-09T09:00:00'),
    )
    const at = sgt('2026-03-09T10:00:00')
    await setup.access.act(
      split.id,
      'approve',
      { columns: ['age_band'] },
      stewardMoh,
      as(stewardMoh),
      at,
    )
    await expect(
      setup.access.act(
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
    await setup.catalog.publishVersion(
      registration('secret-census', 'MOH', 'secret', 'non-sensitive'),
      {
        rowCount: 10,
        byteSize: 100,
        contentSha256: 'f'.repeat(64),
        schema: [{ name: 'person_key', type: 'VARCHAR' }],
      },
      async (v) => `tc/secret-census/v${v}.parquet`,
    )
    const secret = await setup.catalog.findDataset('secret-census', systemAbility())
    const open = await setup.catalog.findDataset('clinic-visits', systemAbility())
    for (const d of [secret, open])
      if (d)
        await setup.catalog.recordSample(d.id, 1, {
          status: 'published',
          path: `samples/${d.slug}/v1.parquet`,
          rowCount: 5,
          k: 5,
          details: {},
        })
    const auditor = person('auditor', 'MDDI', ['auditor'])
    const samples = (await entitlementsFor(setup.db, auditor, as(auditor), new Date()))
      .filter((e) => e.scope === 'sample')
      .map((e) => e.dataset.slug)
    expect(samples).toContain('clinic-visits')
    expect(samples).not.toContain('secret-census')
  })

  it('audits each step in its own transaction: no entry, no step', async () => {
    const audit = createAuditLog(setup.db, { key: randomBytes(32) })
    const audited = createAccessStore(setup.db, createWorkingDayCalendar(), audit)
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
    const broken = createAccessStore(setup.db, createWorkingDayCalendar(), {
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
    const left = await setup.db
      .selectFrom('access_requests')
      .select('id')
      .where('requester_id', '=', officerSla.id)
      .execute()
    expect(left).toEqual([])
  })

  it('makes one grant out of concurrent approvals', async () => {
    const r = await setup.access.submit(
      { dataset: 'clinic-visits', ...request },
      person('officer.ica', 'ICA', ['officer']),
      defineAbilityFor(person('officer.ica', 'ICA', ['officer'])),
      sgt('2026-03-05T09:00:00'),
    )
    const now = sgt('2026-03-05T10:00:00')
    const outcomes = await Promise.allSettled(
      [stewardMoh, steward2Moh, stewardMoh].map((s) =>
        setup.access.act(r.id, 'approve', {}, s, as(s), now),
      ),
    )
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1)
    for (const o of outcomes.filter((o) => o.status === 'rejected'))
      expect((o as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict' })
    const grants = await setup.db
      .selectFrom('grants')
      .select('id')
      .where('request_id', '=', r.id)
      .execute()
    expect(grants).toHaveLength(1)
  })
})
