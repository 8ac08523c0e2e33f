import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readdirSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { generateFixtures } from '../../fixtures/index.js'
import { systemAbility } from '../../identity/index.js'
import { recoverInterrupted } from '../../server/index.js'
import { openTestRuntime, type TestRuntime } from '../../testing/index.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting')
    // Every 5 ms: spinning would take a core from the process being watched.
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

describe('a fusion killed half-way', () => {
  let runtime: TestRuntime
  let bigFeeds: string
  beforeAll(async () => {
    runtime = await openTestRuntime({
      backend: 'postgres',
      postgresUrl: inject('postgresUrl'),
      // Silent for 2 s is dead: the killed command's run is marked failed soon after.
      env: { PROCESS_TIMEOUT_SECONDS: '2' },
    })
    bigFeeds = await mkdtemp(join(tmpdir(), 'big-feeds-'))
    // A larger delivery, so the fusion writes for long enough to be killed while writing.
    await generateFixtures({ directory: bigFeeds, seed: 7, scale: 30 })
    await runtime.trustedCentre.ingest('dos_persons', join(bigFeeds, 'dos_persons.csv'))
  })
  afterAll(async () => {
    await runtime.dispose()
    await rm(bigFeeds, { recursive: true, force: true })
  })

  it('publishes nothing, and the next run publishes a whole version', async () => {
    const before = await runtime.catalog.findDataset('person-address-pa', systemAbility())
    const versionsDir = join(runtime.dataDir, 'tc', 'person-address-pa')
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'server', 'main.ts'), 'fuse', 'person_address_pa'],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          DATA_DIR: runtime.dataDir,
          DATABASE_URL: runtime.config.DATABASE_URL,
          LOG_LEVEL: 'silent',
          PROCESS_TIMEOUT_SECONDS: '2',
          // Development mode, as the runtime: the same pseudonym key, from the data directory.
          DEV_SIGN_IN: 'true',
        },
        stdio: 'ignore',
      },
    )
    const exited = once(child, 'exit')
    // A fusion of 150,000 persons, in a process of its own: slow on a busy machine, and that is
    // not what this test is about.
    await waitFor(() => readdirSync(versionsDir).some((f) => f.endsWith('.partial')), 240_000)
    child.kill('SIGKILL')
    const [, signal] = await exited
    expect(signal).toBe('SIGKILL')

    const after = await runtime.catalog.findDataset('person-address-pa', systemAbility())
    expect(after?.versions).toEqual(before?.versions)
    expect((await readdir(versionsDir)).filter((f) => f.endsWith('.parquet'))).toEqual([
      'v1.parquet',
    ])
    // The killed run is on record as still running: nothing claims it finished.
    const killed = (await runtime.trustedCentre.listRuns()).find(
      (r) => r.kind === 'fuse' && r.status === 'running',
    )
    expect(killed?.subject).toBe('person_address_pa')
    // Once its process has been silent past the timeout, it is marked failed, saying why.
    await new Promise((resolve) => setTimeout(resolve, 2_500))
    expect(await recoverInterrupted(runtime)).toMatchObject({ runs: 1 })
    const marked = (await runtime.trustedCentre.listRuns()).find((r) => r.id === killed?.id)
    expect(marked).toMatchObject({ status: 'failed' })
    expect(marked?.message).toMatch(/^Interrupted: the process running it stopped/)
    // Marking again finds nothing: the dead process is forgotten.
    expect(await recoverInterrupted(runtime)).toEqual({ runs: 0, queries: 0, files: 0 })

    const [next] = await runtime.trustedCentre.fuse('person_address_pa')
    expect(next?.publication).toMatchObject({ version: 2, created: true })
    const current = await runtime.catalog.findDataset('person-address-pa', systemAbility())
    expect(current?.currentVersion?.rowCount).toBeGreaterThan(100_000)
    expect((await readdir(versionsDir)).filter((f) => f.endsWith('.parquet')).sort()).toEqual([
      'v1.parquet',
      'v2.parquet',
    ])
  }, 300_000)
})
