import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { appendFile, cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { TestProject } from 'vitest/node'
import { shareByProjects } from './shared-by-projects.js'
import { dropTestPostgresDatabase } from './test-database.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where this test run keeps loaded data directories to copy (see `runtimeTemplates`). */
    runtimeTemplates: string
  }
}

/** How long a worker waits for another to finish loading the template it needs. */
const WAIT_MS = 10 * 60_000

/**
 * A test run's loaded platforms, to copy: the first test file that needs fixture data at a
 * given scale and configuration loads it (generate, ingest, fuse, compute: ~17 s) into a
 * template directory, closes it, and every later file copies the directory (database included,
 * PGlite keeping its files there) instead of loading again. Each template belongs to one run, so
 * no change of code or fixtures can meet a stale one.
 */
export function runtimeTemplates(root: string) {
  return {
    /**
     * The template directory for `key`, made by `load(directory)` if no worker has made it:
     * one worker loads (an atomic `mkdir` decides which), the others wait for it.
     */
    async templateFor(
      key: unknown,
      load: (directory: string) => Promise<void>,
    ): Promise<string | undefined> {
      const name = createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 16)
      const ready = join(root, name)
      if (existsSync(ready)) return ready
      if (await claimed(join(root, `${name}.lock`))) {
        const building = join(root, `${name}.building`)
        try {
          await load(building)
          await rename(building, ready)
          return ready
        } catch (error) {
          await rm(building, { recursive: true, force: true })
          throw error
        }
      }
      for (const started = Date.now(); Date.now() - started < WAIT_MS; await sleep(200))
        if (existsSync(ready)) return ready
      // The loader died or took too long: this file loads its own data.
      return undefined
    },
  }
}

async function claimed(lock: string): Promise<boolean> {
  try {
    await mkdir(lock)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
}

/** The file in a template directory naming its PostgreSQL template database. */
const TEMPLATE_DATABASE = '.template-database.json'
/** The file in the templates' root listing every template database, to drop when the run ends. */
const TEMPLATE_DATABASES = 'template-databases.jsonl'

/**
 * Records that the template being loaded into `directory` keeps its metadata in the PostgreSQL
 * database `name`, so files copying the template copy that database too, and the run drops it
 * when it ends.
 */
export async function recordTemplateDatabase(
  root: string,
  directory: string,
  name: string,
): Promise<void> {
  await mkdir(directory, { recursive: true })
  await writeFile(join(directory, TEMPLATE_DATABASE), JSON.stringify({ name }))
  await appendFile(join(root, TEMPLATE_DATABASES), `${name}\n`)
}

/** The PostgreSQL template database of a loaded template directory. */
export async function templateDatabaseOf(template: string): Promise<string> {
  const { name } = JSON.parse(await readFile(join(template, TEMPLATE_DATABASE), 'utf8'))
  return name as string
}

/** Copies a template to a new data directory of the caller's. */
export async function copyTemplate(template: string): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), 'portal-runtime-'))
  await cp(template, dataDir, { recursive: true })
  return dataDir
}

/**
 * Vitest global setup: a directory for this run's templates, one for all its projects (a portal
 * file and a server file need the same loaded data), removed when the run ends with the template
 * databases made on the run's PostgreSQL server (still up: its setup ran first, so its teardown
 * runs after this one).
 */
export default async function setup(project: TestProject) {
  const { postgresUrl } = project.getProvidedContext() as { postgresUrl?: string }
  const templates = await shareByProjects('runtime-templates', async () => {
    const root = await mkdtemp(join(tmpdir(), 'portal-templates-'))
    return { value: root, stop: () => removeTemplates(root, postgresUrl) }
  })
  project.provide('runtimeTemplates', templates.value)
  return () => templates.release()
}

async function removeTemplates(root: string, postgresUrl: string | undefined): Promise<void> {
  const listed = join(root, TEMPLATE_DATABASES)
  if (existsSync(listed) && postgresUrl) {
    const names = (await readFile(listed, 'utf8')).split('\n').filter((n) => n !== '')
    for (const name of names) await dropTestPostgresDatabase(postgresUrl, name)
  }
  await rm(root, { recursive: true, force: true })
}
