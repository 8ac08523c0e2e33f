import { readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { sql } from 'kysely'
import { FIXTURE_AGENCIES } from '../../fixtures/index.js'
import { createUserStore, type UserProfile } from '../../identity/index.js'
import {
  openTestRuntime,
  type Replica,
  signInAs,
  startReplica,
  startThrowawayPostgres,
  stopReplica,
} from '../../testing/index.js'
import { allPages } from '../api/all-pages.js'
import type { DatabaseSample } from './load-level.js'
import { type LoadCatalogue, type LoadPerson, type LoadView, seededRandom } from './load-mix.js'
import { childrenOf } from './load-process-stats.js'

/** What the load runs against: two replicas on one PostgreSQL and one data directory. */
export interface LoadEnvironment {
  replicas: Replica[]
  /** Signed in, one per virtual user. */
  people: LoadPerson[]
  catalogue: LoadCatalogue
  /** The PostgreSQL server's postmaster, when the bench started the server itself. */
  postgresPid?: number
  /** Where the replicas' logs are. */
  logDir: string
  /**
   * How long the queries that started between `from` and `to` ran, in ms, as the query history
   * records it: from the sandbox being ready to the answer, without the wait for a pool slot.
   */
  queryRunMs(from: Date, to: Date): Promise<number[]>
  /** What the database's connections (the replicas' and the bench's) are doing now. */
  sampleDatabase(): Promise<DatabaseSample>
}

export interface LoadEnvironmentOptions {
  /** An admin URL of a PostgreSQL server to create the database on; unset = start one. */
  postgresUrl?: string
  /** Fixture scale (1 = 5,000 persons, as `npm start` loads). */
  scale: number
  /** How many people to sign in (the most virtual users of any level). */
  people: number
  /** Every how-many-th person holds a grant on person-address-pa (0 = nobody). */
  grantEvery: number
  /** Where replica logs go (kept after the run). */
  logDir: string
  /** More configuration for the replicas, as a deployment would set it. */
  replicaEnv?: Record<string, string>
  say: (line: string) => void
}

/** Things to undo, last first, exactly once, however the run ends. */
export interface Cleanup {
  /** `undo` when the run ends; `onExit`, synchronous, if the process exits before that is done. */
  defer(undo: () => Promise<void>, onExit?: () => void): void
  /** Undoes everything, last first; a failing undo does not stop the others. */
  run(): Promise<void>
  /** The synchronous last resorts (kill the replicas, delete directories), unless `run` finished. */
  exitNow(): void
}

export function createCleanup(say: (line: string) => void): Cleanup {
  const undos: (() => Promise<void>)[] = []
  const lastResorts: (() => void)[] = []
  let running: Promise<void> | undefined
  let finished = false
  return {
    defer(undo, onExit) {
      undos.push(undo)
      if (onExit) lastResorts.push(onExit)
    },
    run() {
      running ??= (async () => {
        for (const undo of undos.reverse())
          await undo().catch((error: unknown) => say(`Cleaning up failed: ${String(error)}`))
        finished = true
      })()
      return running
    },
    exitNow() {
      if (finished) return
      for (const lastResort of [...lastResorts].reverse()) lastResort()
    },
  }
}

/**
 * A PostgreSQL server (unless given one), a database loaded with fixture data once as the first
 * deployment would, synthetic officers (one person per virtual user, as the identity provider
 * would create them on first sign-in), and two replicas of `main.ts start` on it.
 */
export async function startLoadEnvironment(
  options: LoadEnvironmentOptions,
  cleanup: Cleanup,
): Promise<LoadEnvironment> {
  const { say } = options
  let postgresUrl = options.postgresUrl
  let postgresPid: number | undefined
  if (!postgresUrl) {
    say('Starting PostgreSQL …')
    const postgres = await startThrowawayPostgres()
    postgresPid = childrenOf(process.pid, 'postgres')[0]
    // Its directory, from the server's `-D <dir>/data`, for a process that exits before stop().
    const directory = postgresPid && dataDirectoryOf(postgresPid)
    cleanup.defer(
      () => postgres.stop(),
      () => directory && rmSync(directory, { recursive: true, force: true }),
    )
    postgresUrl = postgres.url
  }
  say(`Loading fixture data (scale ${options.scale}) …`)
  const runtime = await openTestRuntime({ backend: 'postgres', postgresUrl, scale: options.scale })
  cleanup.defer(
    () => runtime.dispose(),
    () => rmSync(runtime.dataDir, { recursive: true, force: true }),
  )
  const profiles = syntheticOfficers(options.people)
  await createUserStore(runtime.db).saveUsers(profiles)

  const env = {
    DATA_DIR: runtime.dataDir,
    DATABASE_URL: runtime.config.DATABASE_URL ?? '',
    FIXTURE_SCALE: String(runtime.config.FIXTURE_SCALE),
    DEV_SIGN_IN: 'true',
    LOG_LEVEL: 'warn',
    // Hundreds of people sign in from this one machine's address: no per-address limit here.
    SIGN_IN_ATTEMPTS_PER_MINUTE: '0',
    ...options.replicaEnv,
  }
  const replicas: Replica[] = []
  // One after the other: the first start settles the data directory, the second finds it ready.
  for (const name of ['a', 'b']) {
    say(`Starting replica ${name} …`)
    const replica = await startReplica(env, {
      name,
      logFile: join(options.logDir, `replica-${name}.log`),
    })
    replicas.push(replica)
    cleanup.defer(
      () => stopReplica(replica),
      () => replica.process.kill('SIGTERM'),
    )
  }
  const via = (i: number) => replicas[i % replicas.length] as Replica

  say(`Signing in ${options.people} people …`)
  const people: LoadPerson[] = []
  await inBatches(profiles, 8, async (profile, i) => {
    people[i] = {
      username: profile.username,
      headers: await signInAs(via(i), profile.username),
      views: [],
      granted: new Set(),
      openRequests: new Map(),
      random: seededRandom(1000 + i),
    }
  })
  const holders = people.filter(
    (_, i) =>
      options.grantEvery > 0 && i % options.grantEvery === 1 && profiles[i]?.agencyCode !== 'DOS',
  )
  if (holders.length > 0) {
    say(`Granting person-address-pa to ${holders.length} of them …`)
    await grant(holders, via)
  }
  await inBatches(people, 8, async (person, i) => {
    person.views = await json<LoadView[]>(via(i), 'GET', '/api/query/views', person.headers)
  })
  const datasets = await allPages(
    (path) =>
      json<{ slug: string; classification: { security: string } }[]>(
        via(0),
        'GET',
        path,
        people[0]?.headers ?? {},
      ),
    '/api/datasets',
  )
  return {
    replicas,
    people,
    catalogue: {
      datasets: datasets.map((d) => ({ slug: d.slug, security: d.classification.security })),
    },
    ...(postgresPid === undefined ? {} : { postgresPid }),
    logDir: options.logDir,
    async queryRunMs(from, to) {
      const rows = await runtime.db
        .selectFrom('query_history')
        .select(['started_at', 'finished_at'])
        .where('started_at', '>=', from)
        .where('started_at', '<', to)
        .where('finished_at', 'is not', null)
        .execute()
      return rows.map((r) => (r.finished_at?.getTime() ?? 0) - r.started_at.getTime())
    },
    async sampleDatabase() {
      const { rows } = await sql<{ connections: number; active: number; audit: number }>`
        select count(*)::int as connections,
          (count(*) filter (where state = 'active'))::int as active,
          (count(*) filter (where wait_event_type = 'Lock' and wait_event = 'advisory'))::int as audit
        from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid()`.execute(runtime.db)
      const row = rows[0]
      return {
        connections: row?.connections ?? 0,
        active: row?.active ?? 0,
        waitingForAuditLock: row?.audit ?? 0,
      }
    },
  }
}

function dataDirectoryOf(pid: number): string | undefined {
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
  const data = args[args.indexOf('-D') + 1]
  return data ? dirname(data) : undefined
}

/** Officers of every fixture agency in turn: `load.officer.001` of DOS, `…002` of ICA, … */
function syntheticOfficers(count: number): UserProfile[] {
  return Array.from({ length: count }, (_, i) => {
    const agency = FIXTURE_AGENCIES[i % FIXTURE_AGENCIES.length]?.code ?? 'DOS'
    const username = `load.officer.${String(i + 1).padStart(3, '0')}`
    return {
      username,
      displayName: `Load officer ${i + 1} (${agency})`,
      email: `${username}@example.gov.sg`,
      agencyCode: agency,
      roles: ['officer'],
    }
  })
}

/**
 * Grants through the workflow itself: each holder asks for three columns of person-address-pa
 * and DOS's steward approves, so their queries read granted data (its columns and masking
 * applied). DOS's own officers are left out: the data is their agency's.
 */
async function grant(holders: LoadPerson[], via: (i: number) => Replica) {
  const steward = await signInAs(via(0), 'steward.dos')
  await inBatches(holders, 4, async (person, i) => {
    const request = await json<{ id: string }>(via(i), 'POST', '/api/requests', person.headers, {
      dataset: 'person-address-pa',
      columns: ['planning_area_code', 'age_band', 'sex'],
      purpose: 'Load test: plan polyclinic capacity by planning area and age band',
      legalBasis: 'Public Sector (Governance) Act 2018, s. 25',
      durationDays: 60,
    })
    await json(via(i + 1), 'POST', `/api/requests/${request.id}/approve`, steward, {})
    person.granted.add('person-address-pa')
  })
}

/** A JSON call that must succeed (setup, not measured). */
async function json<T>(
  replica: Replica,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<T> {
  const res = await replica.request(path, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`)
  return (JSON.parse(text) as { data: T }).data
}

async function inBatches<T>(
  items: readonly T[],
  size: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  for (let i = 0; i < items.length; i += size)
    await Promise.all(items.slice(i, i + size).map((item, j) => work(item, i + j)))
}
