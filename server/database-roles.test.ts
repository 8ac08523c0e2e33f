import { randomBytes } from 'node:crypto'
import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createLogger, loadConfig, openDatabase } from '../core/index.js'
import { createTestApp, openTestRuntime, signInAs, type TestRuntime } from '../testing/index.js'
import { openRuntime } from './runtime.js'

/**
 * Operators give the tables to an owner role and run the application as a role of its own
 * (DATABASE_OWNER_URL and DATABASE_URL, README "Database roles"): the application's role must
 * then be unable to switch the audit trail's protection off or rewrite it, whatever it tries.
 */
describe('the application role on PostgreSQL', () => {
  const suffix = randomBytes(4).toString('hex')
  const owner = `portal_owner_${suffix}`
  const app = `portal_app_${suffix}`
  const database = `portal_roles_${suffix}`
  const password = randomBytes(12).toString('hex')
  let admin: Kysely<unknown>
  let asApp: Kysely<unknown>
  let runtime: TestRuntime
  const urlAs = (role: string) => {
    const url = new URL(inject('postgresUrl'))
    url.username = role
    url.password = password
    url.pathname = `/${database}`
    return url.toString()
  }

  beforeAll(async () => {
    admin = await openDatabase({ kind: 'postgres', url: inject('postgresUrl'), poolSize: 1 })
    for (const role of [owner, app])
      await sql`create role ${sql.id(role)} login password ${sql.lit(password)}`.execute(admin)
    await sql`create database ${sql.id(database)} owner ${sql.id(owner)}`.execute(admin)
    runtime = await openTestRuntime({
      backend: 'pglite',
      scale: 0.05,
      env: { DATABASE_URL: urlAs(app), DATABASE_OWNER_URL: urlAs(owner) },
    })
    asApp = await openDatabase({ kind: 'postgres', url: urlAs(app), poolSize: 1 })
  })
  afterAll(async () => {
    await asApp?.destroy()
    await runtime?.dispose()
    await sql`drop database if exists ${sql.id(database)} with (force)`.execute(admin)
    for (const role of [app, owner]) await sql`drop role if exists ${sql.id(role)}`.execute(admin)
    await admin.destroy()
  })

  it('runs the whole product: fixtures loaded, people sign in and act, the trail verifies', async () => {
    const http = createTestApp(runtime)
    const officer = await signInAs(http, 'officer.moh')
    expect((await http.request('/api/datasets', { headers: officer })).status).toBe(200)
    const auditor = await signInAs(http, 'auditor')
    const verified = (await (
      await http.request('/api/audit/verify', { headers: auditor })
    ).json()) as {
      data: { ok: boolean; entries: number }
    }
    expect(verified.data).toMatchObject({ ok: true })
    expect(verified.data.entries).toBeGreaterThan(0)
  })

  it.each([
    ['disable a trigger', sql`alter table audit_log disable trigger audit_log_no_change`],
    ['disable every trigger', sql`alter table audit_log disable trigger all`],
    ['drop a trigger', sql`drop trigger audit_log_no_change on audit_log`],
    [
      "replace the triggers' function",
      sql`create or replace function audit_log_append_only() returns trigger language plpgsql as $$ begin return new; end $$`,
    ],
    ['turn triggers off for the session', sql`set session_replication_role = replica`],
    ['update an entry', sql`update audit_log set actor = 'someone else' where seq = 1`],
    ['delete the newest entries', sql`delete from audit_log where seq > 1`],
    ['truncate the trail', sql`truncate audit_log`],
    ['take the table over', sql`alter table audit_log owner to current_user`],
    ['rename it away', sql`alter table audit_log rename to audit_log_old`],
    ['drop it', sql`drop table audit_log`],
    ['add a table of its own', sql`create table shadow_audit (seq bigint)`],
    [
      'mark a migration applied',
      sql`insert into kysely_migration (name, timestamp) values ('99999999-skip', 'now')`,
    ],
    ['hold the migrations lock', sql`update kysely_migration_lock set is_locked = 1`],
    [
      'put an entry before the chain',
      sql`insert into audit_log (seq, occurred_at, actor, action, outcome, details, prev_hash, hash) values (0, now(), 'x', 'x', 'succeeded', '{}', 'x', 'x')`,
    ],
  ])('cannot %s', async (_what, statement) => {
    await expect(statement.execute(asApp)).rejects.toThrow(
      /must be owner|permission denied|append-only|violates check constraint/,
    )
  })

  it('still reads and appends the trail, and changes rows of other tables', async () => {
    const { rows } = await sql<{ n: string }>`select count(*) as n from audit_log`.execute(asApp)
    expect(Number(rows[0]?.n)).toBeGreaterThan(0)
    await expect(
      sql`update users set display_name = display_name where username = 'officer.moh'`.execute(
        asApp,
      ),
    ).resolves.toBeDefined()
    expect((await runtime.audit.verify()).ok).toBe(true)
  })

  it('refuses to start when the owner and the application are one role', async () => {
    const config = loadConfig({
      DATA_DIR: runtime.dataDir,
      DEV_SIGN_IN: 'true',
      LOG_LEVEL: 'silent',
      DATABASE_URL: urlAs(owner),
      DATABASE_OWNER_URL: urlAs(owner),
    })
    await expect(openRuntime(config, createLogger({ level: 'silent' }))).rejects.toThrow(
      'DATABASE_OWNER_URL and DATABASE_URL connect as the same role: the application must use a role of its own',
    )
  })
})
