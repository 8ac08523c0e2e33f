import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, inject } from 'vitest'
import { openTestDatabase, type TestBackend, type TestDatabase } from '../testing/index.js'
import { type AuditAnchor, checkpointDirectory } from './audit-checkpoints.js'
import { type AuditLog, createAuditLog } from './audit-log.js'
import type { AuditTables } from './audit-tables.js'
import { auditMigrations } from './migrations.js'

/** A fixed time, `minute` minutes into the story's morning. */
export const at = (minute: number) => new Date(Date.UTC(2026, 10, 22, 9, minute, 0, 123))

/** A checkpoint's time as the problems the log names spell it. */
export const checkpointTime = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/.source

/** An audit log under test: the current test's trail, checkpoints and key. */
export interface AuditTrail {
  readonly db: Kysely<AuditTables>
  /** The checkpoint directory. */
  dir: string
  key: Buffer
  /** The log with `key`, anchored in `dir`. */
  log: AuditLog
  anchorOf(secret?: Buffer): AuditAnchor
  logWith(secret?: Buffer): AuditLog
  /** Appends `count` entries of officers, numbered from `from`. */
  appendSome(count: number, from?: number): Promise<void>
}

/**
 * An audit log on `backend` for the describe block it is called in: a database of its own, and
 * each test starts from an empty trail with checkpoints and a key of its own.
 */
export function useAuditTrail(backend: TestBackend): AuditTrail {
  let test: TestDatabase<AuditTables>
  const trail: AuditTrail = {
    get db() {
      return test.db
    },
    dir: '',
    key: Buffer.alloc(0),
    log: undefined as unknown as AuditLog,
    anchorOf: (secret = trail.key) => checkpointDirectory(trail.dir, secret, 'test'),
    logWith: (secret = trail.key) =>
      createAuditLog(test.db, { key: secret, anchor: trail.anchorOf(secret) }),
    async appendSome(count, from = 1) {
      for (let n = from; n < from + count; n++) {
        await trail.log.append(
          {
            actor: { id: `u_${n}`, name: `officer.${n}` },
            action: 'test.append',
            outcome: 'succeeded',
            subject: { type: 'Test', id: String(n) },
            details: { n, nested: { list: [n, 'x'] } },
          },
          at(n),
        )
      }
    },
  }

  beforeAll(async () => {
    test = await openTestDatabase(backend, {
      postgresUrl: inject('postgresUrl'),
      migrations: [auditMigrations],
    })
  })
  afterAll(() => test.close())

  beforeEach(async () => {
    await ownerDoes(test.db, sql`delete from audit_log`)
    trail.dir = await mkdtemp(join(tmpdir(), 'audit-checkpoints-'))
    trail.key = randomBytes(32)
    trail.log = trail.logWith()
    return async () => {
      await trail.log.checkpoint().catch(() => undefined)
      await rm(trail.dir, { recursive: true, force: true })
    }
  })
  return trail
}

/**
 * Runs a statement as someone with the table owner's rights would: the append-only trigger
 * switched off for it, and on again after.
 */
export async function ownerDoes(db: Kysely<AuditTables>, statement: ReturnType<typeof sql>) {
  await db.transaction().execute(async (trx) => {
    await sql`alter table audit_log disable trigger audit_log_no_change`.execute(trx)
    await statement.execute(trx)
    await sql`alter table audit_log enable trigger audit_log_no_change`.execute(trx)
  })
}
