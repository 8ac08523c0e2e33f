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
import { createLineageStore, type LineageStore } from './lineage-store.js'
import type { LineageTables } from './lineage-tables.js'
import { lineageMigrations } from './migrations.js'
import { createNamespaceStore } from './namespace-store.js'
import { runEvent } from './run-event.js'

const databases = {} as Record<TestBackend, TestDatabase<LineageTables>>
beforeAll(async () => {
  for (const backend of TEST_BACKENDS) {
    databases[backend] = await openTestDatabase(backend, {
      postgresUrl: inject('postgresUrl'),
      migrations: [auditMigrations, lineageMigrations],
    })
    await createNamespaceStore(databases[backend].db).register(
      { namespace: 'airflow://dos', agency: 'DOS' },
      'test',
      new Date(),
    )
  }
})
afterAll(async () => {
  for (const test of Object.values(databases)) await test.close()
})

/** A START of a run of a DOS job (the namespace is registered to DOS). */
function dosEvent(
  runId: string,
  job = 'load.x',
  namespace = 'airflow://dos',
  eventTime = new Date('2026-12-07T01:00:00Z'),
): LineageEvent {
  const event = runEvent({
    eventType: 'START',
    eventTime,
    runId,
    job: { name: job, type: 'LOAD' },
  })
  return { ...event, job: { ...event.job, namespace } }
}

/** The store, counting the transactions it opens (one per record, one per non-empty recordAll). */
function countingStore(store: LineageStore) {
  const counts = { transactions: 0 }
  const counted: LineageStore = {
    ...store,
    record: (...args) => {
      counts.transactions++
      return store.record(...args)
    },
    recordAll: (events, options) => {
      if (events.length > 0) counts.transactions++
      return store.recordAll(events, options)
    },
  }
  return { counts, store: counted }
}

describe.each(TEST_BACKENDS)('lineage events group-committed on %s', (backend) => {
  const setup = () => {
    const db = databases[backend].db
    const { counts, store } = countingStore(createLineageStore(db))
    const audit = createAuditLog(db as unknown as Kysely<AuditTables>, { key: randomBytes(32) })
    const group = ingestGroupCommit(
      { store, audit, now: () => new Date() },
      { maxItems: 100, maxBytes: 16_000_000 },
    )
    const item = (
      event: LineageEvent,
      mayWrite: (agency: string) => boolean = (agency) => agency === 'DOS',
    ) =>
      ({
        event,
        bytes: 1000,
        warnings: [],
        mayWrite,
        audit: (stored) => ({
          actor: { id: 'u_test', name: 'steward.test' },
          action: 'lineage.event',
          outcome: 'succeeded',
          subject: { type: 'LineageEvent', id: event.eventTime },
          details: { stored },
        }),
      }) satisfies IngestItem
    const audited = async () =>
      Number(
        (
          await (db as unknown as Kysely<AuditTables>)
            .selectFrom('audit_log')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('action', '=', 'lineage.event')
            .executeTakeFirstOrThrow()
        ).n,
      )
    return { db, counts, group, item, audited }
  }

  it('stores events posted together in one transaction, each audited', async () => {
    const { counts, group, item, audited } = setup()
    const before = await audited()
    const events = Array.from({ length: 12 }, (_, i) => dosEvent(`together-${i}`))
    const results = await Promise.all(events.map((event) => group.submit(item(event))))
    expect(results).toEqual(events.map(() => ({ stored: true })))
    expect(counts.transactions).toBe(1)
    expect(await audited()).toBe(before + 12)
    // Again: each is already stored, still one transaction for all of them.
    const again = await Promise.all(events.map((event) => group.submit(item(event))))
    expect(again).toEqual(events.map(() => ({ stored: false })))
    expect(counts.transactions).toBe(2)
  })

  it('refuses an event its sender may not send alone; the others of its group are stored', async () => {
    const { counts, group, item, audited } = setup()
    const before = await audited()
    const settled = await Promise.allSettled([
      group.submit(item(dosEvent('refused-ok-1'))),
      group.submit(item(dosEvent('refused-unregistered', 'load.y', 'airflow://nobody'))),
      // Another sender, of another agency, in the same group: their rights, not the first's.
      group.submit(item(dosEvent('refused-agency'), (agency) => agency === 'MOH')),
      group.submit(item(dosEvent('refused-ok-2'))),
    ])
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled'])
    const reasons = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason] : []))
    expect(reasons.every((r) => r instanceof ForbiddenError)).toBe(true)
    expect(reasons.map((r) => (r as Error).message)).toEqual([
      expect.stringContaining("'airflow://nobody' (job load.y) is not registered"),
      expect.stringContaining("only DOS's stewards may write to it"),
    ])
    expect(counts.transactions).toBe(1)
    expect(await audited()).toBe(before + 2)
  })

  it('fails alone an event that fails its group in the store; the others are stored', async () => {
    const { db, counts, group, item, audited } = setup()
    const before = await audited()
    // Two events of one new run under different jobs: the checks cannot see it (the run is not
    // yet known); the store refuses the second, which fails the group's transaction.
    const settled = await Promise.allSettled([
      group.submit(item(dosEvent('clash-ok-1'))),
      group.submit(item(dosEvent('clash', 'load.a'))),
      group.submit(
        item(dosEvent('clash', 'load.b', 'airflow://dos', new Date('2026-12-07T01:00:01Z'))),
      ),
      group.submit(item(dosEvent('clash-ok-2'))),
    ])
    expect(settled.map((s) => s.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ])
    const refused = settled[2] as PromiseRejectedResult
    expect(refused.reason).toBeInstanceOf(ForbiddenError)
    expect(refused.reason.message).toMatch(
      /is a run of another job, not of airflow:\/\/dos:load\.b/,
    )
    // The group's transaction, then each event in one of its own.
    expect(counts.transactions).toBe(5)
    expect(await audited()).toBe(before + 3)
    const runs = await db
      .selectFrom('lineage_runs')
      .select('job_name')
      .where('job_name', 'in', ['load.a', 'load.b'])
      .execute()
    expect(runs).toEqual([{ job_name: 'load.a' }])
  })
})
