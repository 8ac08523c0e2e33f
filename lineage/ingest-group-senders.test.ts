import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type AuditTables, auditMigrations, createAuditLog } from '../audit/index.js'
import { ForbiddenError } from '../core/index.js'
import {
  openTestDatabase,
  TEST_BACKENDS,
  type TestBackend,
  type TestDatabase,
} from '../testing/index.js'
import type { LineageEvent } from './events.js'
import { type IngestItem, ingestGroupCommit } from './ingest-group.js'
import { createLineageStore } from './lineage-store.js'
import type { LineageTables } from './lineage-tables.js'
import { lineageMigrations } from './migrations.js'
import { createNamespaceStore } from './namespace-store.js'
import { runEvent } from './run-event.js'

// Two senders of different agencies post events naming one run at the same moment.
const databases = {} as Record<TestBackend, TestDatabase<LineageTables>>
beforeAll(async () => {
  for (const backend of TEST_BACKENDS) {
    databases[backend] = await openTestDatabase(backend, {
      postgresUrl: inject('postgresUrl'),
      migrations: [auditMigrations, lineageMigrations],
    })
    const namespaces = createNamespaceStore(databases[backend].db)
    await namespaces.register({ namespace: 'airflow://dos', agency: 'DOS' }, 'test', new Date())
    await namespaces.register({ namespace: 'airflow://moh', agency: 'MOH' }, 'test', new Date())
  }
})
afterAll(async () => {
  for (const test of Object.values(databases)) await test.close()
})

const TIME = new Date('2026-12-07T01:00:00Z')
function event(runId: string, namespace: string, job: string, eventTime = TIME): LineageEvent {
  const e = runEvent({ eventType: 'START', eventTime, runId, job: { name: job, type: 'LOAD' } })
  return { ...e, job: { ...e.job, namespace } }
}

describe.each(TEST_BACKENDS)('group commit across senders on %s', (backend) => {
  const setup = () => {
    const db = databases[backend].db
    const audit = createAuditLog(db as unknown as Kysely<AuditTables>, { key: randomBytes(32) })
    const group = ingestGroupCommit(
      { store: createLineageStore(db), audit, now: () => new Date() },
      { maxItems: 100, maxBytes: 16_000_000 },
    )
    const item = (e: LineageEvent, agency: string): IngestItem => ({
      event: e,
      bytes: 1000,
      warnings: [],
      mayWrite: (a) => a === agency,
      audit: (stored) => ({
        actor: { id: `u_${agency}`, name: `steward.${agency.toLowerCase()}` },
        action: 'lineage.event',
        outcome: 'succeeded',
        subject: { type: 'LineageEvent', id: `${agency}:${e.eventTime}` },
        details: { stored, sender: agency },
      }),
    })
    const audited = async (actor: string) =>
      (db as unknown as Kysely<AuditTables>)
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'lineage.event')
        .execute()
        .then((rows) => rows.filter((r) => JSON.stringify(r).includes(actor)))
    return { db, group, item, audited }
  }

  it('sequentially: the second sender naming the first one’s run is refused (baseline)', async () => {
    const { group, item } = setup()
    await group.submit(item(event('seq-run', 'airflow://dos', 'load.a'), 'DOS'))
    await expect(
      group.submit(item(event('seq-run', 'airflow://moh', 'load.b'), 'MOH')),
    ).rejects.toBeInstanceOf(ForbiddenError)
  })

  it('together, same run/type/time: the other sender is refused too, not told "accepted"', async () => {
    const { group, item, audited } = setup()
    const before = (await audited('u_MOH')).length
    const settled = await Promise.allSettled([
      group.submit(item(event('same-time-run', 'airflow://dos', 'load.a'), 'DOS')),
      group.submit(item(event('same-time-run', 'airflow://moh', 'load.b'), 'MOH')),
    ])
    const mohAudit = (await audited('u_MOH')).slice(before)
    expect(settled[0]?.status).toBe('fulfilled')
    expect(settled[1]?.status).toBe('rejected')
    expect(mohAudit.filter((r) => r.outcome === 'succeeded')).toEqual([])
  })

  it('a mixed group that falls back: each entry audited under its own sender, the clash told nothing of the other job', async () => {
    const { group, item, audited } = setup()
    const beforeDos = (await audited('u_DOS')).length
    const beforeMoh = (await audited('u_MOH')).length
    const later = new Date('2026-12-07T01:00:05Z')
    const settled = await Promise.allSettled([
      group.submit(item(event('mixed-1', 'airflow://dos', 'load.a'), 'DOS')),
      group.submit(item(event('mixed-clash', 'airflow://dos', 'load.secret-a'), 'DOS')),
      group.submit(item(event('mixed-clash', 'airflow://moh', 'load.b', later), 'MOH')),
      group.submit(item(event('mixed-2', 'airflow://moh', 'load.c'), 'MOH')),
      // MOH trying to write DOS's namespace: refused by its own rights.
      group.submit(item(event('mixed-3', 'airflow://dos', 'load.d'), 'MOH')),
    ])
    expect(settled.map((s) => s.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
    ])
    const clash = (settled[2] as PromiseRejectedResult).reason as Error
    expect(clash).toBeInstanceOf(ForbiddenError)
    expect(clash.message).not.toMatch(/secret-a|airflow:\/\/dos/)
    const dos = (await audited('u_DOS')).slice(beforeDos)
    const moh = (await audited('u_MOH')).slice(beforeMoh)
    expect(dos.map((r) => (r.details as { sender: string }).sender)).toEqual(['DOS', 'DOS'])
    expect(moh.map((r) => (r.details as { sender: string }).sender)).toEqual(['MOH'])
  })
})
