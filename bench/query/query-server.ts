import type { AddressInfo } from 'node:net'
import { DuckDBInstance } from '@duckdb/node-api'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import type { Entitlement } from '../../access/index.js'
import type { AuditLog } from '../../audit/index.js'
import { migrateToLatest, openDatabase } from '../../core/index.js'
import { defineAbilityFor, type User, type UserId } from '../../identity/index.js'
import { derivePseudonymKeys, type PseudonymKeys } from '../../keys/index.js'
import {
  createQueryPool,
  createQueryService,
  extractRoutes,
  queryRoutes,
  queryServiceMigrations,
} from '../../query-service/index.js'

/** The query service over real HTTP on loopback, as the bench drives it. */
export interface QueryServer {
  /** e.g. `http://127.0.0.1:41234`. */
  base: string
  /** The pseudonym keys the service uses: DuckDB's own COPY derives the same pseudonyms. */
  keys: PseudonymKeys
  /** The query workers' processes, whose memory counts towards an extract's. */
  workerPids: () => number[]
  close(): Promise<void>
}

/** Queries the service runs at once (its workers), and each one's DuckDB threads. */
export const QUERY_SLOTS = 4
export const QUERY_THREADS = 2

const user = (n: number): User => ({
  id: `u_${String(n).padStart(24, '0')}` as UserId,
  username: `bench${n}`,
  displayName: `Bench ${n}`,
  email: '',
  agency: { code: 'MOH', name: 'MOH', ministryFamily: 'MOH' },
  roles: ['officer'],
})

/**
 * Starts the query and extract routes over the files under `dataDir`, with an embedded database
 * and no audit trail; every caller may read `entitlements`.
 */
export async function startQueryServer(
  dataDir: string,
  entitlements: Entitlement[],
): Promise<QueryServer> {
  const db = await openDatabase({ kind: 'pglite' })
  await migrateToLatest(db, [queryServiceMigrations])
  const audit: Pick<AuditLog, 'append'> = { append: async () => ({}) as never }
  const limits = {
    timeoutMs: 600_000,
    memoryLimit: '1GB',
    threads: QUERY_THREADS,
    maxRows: 10_000,
    maxStreamRows: 100_000_000,
    maxJsonBytes: 16e6,
    maxStreamBytes: 1e11,
  }
  const keys = derivePseudonymKeys(Buffer.alloc(32, 7))
  const engine = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '2GB' })
  const service = createQueryService({
    db: db as never,
    dataDir,
    engine,
    pseudonyms: keys,
    limits,
    outputRules: { minCount: 10, dominanceP: 10 },
    pool: createQueryPool({ maxRunning: QUERY_SLOTS, maxPerUser: 2, maxWaitMs: 30_000 }),
    workers: QUERY_SLOTS,
    warmWorkers: QUERY_SLOTS,
    entitlements: async () => [...entitlements],
    liveGrants: async () => ['g_bench'],
    recordUse: async () => undefined,
    audit,
    now: () => new Date(),
  })
  // Each request is a different person (header x-bench-user), as fifty officers would be.
  const app = new Hono<{
    Variables: { caller: { user: User }; ability: never; requestId: string }
  }>()
    .use(async (c, next) => {
      const who = user(Number(c.req.header('x-bench-user') ?? 0))
      c.set('caller', { user: who })
      c.set('ability', defineAbilityFor(who) as never)
      c.set('requestId', 'bench')
      await next()
    })
    .route('/api/query', queryRoutes(service))
    .route('/api/datasets', extractRoutes(service))
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise((resolve) => server.once('listening', resolve))
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    keys,
    workerPids: () => service.workers().pids,
    async close() {
      server.close()
      await service.close()
      await db.destroy()
    },
  }
}
