import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inject } from 'vitest'
import { createLogger, loadConfig } from '../core/index.js'
import {
  appDepsOf,
  createApp,
  loadData,
  openApiDocument,
  openRuntime,
  type Runtime,
} from '../server/index.js'
import { answerChecker, checkingAnswers } from './answer-check.js'
import {
  copyTemplate,
  recordTemplateDatabase,
  runtimeTemplates,
  templateDatabaseOf,
} from './runtime-templates.js'
import { createTestPostgresDatabase, type TestBackend } from './test-database.js'

/** A runtime on a fresh data directory, loaded with fixture data, for tests. */
export interface TestRuntime extends Runtime {
  dataDir: string
  /**
   * The loaded directory this runtime's data was copied from, if it was: paths recorded while
   * loading (lineage names published files by their absolute path) are under it.
   */
  template?: string
  /**
   * Closes this runtime and opens a new one on the same data directory and database, as a
   * restart would; `meanwhile` runs while it is closed (e.g. a CLI command on the same data).
   */
  reopen(meanwhile?: () => Promise<void>): Promise<TestRuntime>
  /** Closes the runtime and deletes its data directory and database. */
  dispose(): Promise<void>
}

/**
 * Opens a runtime as `npm start` would (fixtures generated, ingested and fused) on a temporary
 * data directory, with PGlite or a new database on the test PostgreSQL server.
 * @example const runtime = await openTestRuntime({ backend: 'pglite', postgresUrl: inject('postgresUrl') })
 */
export async function openTestRuntime(options: {
  backend: TestBackend
  /** The test run's PostgreSQL server; needed for the postgres backend only. */
  postgresUrl?: string
  scale?: number
  dataDir?: string
  /** More configuration, as environment variables would give it. */
  env?: Record<string, string>
}): Promise<TestRuntime> {
  const template = await loadedTemplate(options)
  const dataDir =
    options.dataDir ??
    (template ? await copyTemplate(template) : await mkdtemp(join(tmpdir(), 'portal-runtime-')))
  const database =
    options.backend === 'postgres'
      ? await createTestPostgresDatabase(postgresUrlOf(options), {
          ...(template ? { template: await templateDatabaseOf(template) } : {}),
        })
      : undefined
  const config = testConfig(dataDir, options, database?.url)
  const cleanup = async () => {
    await database?.drop()
    if (!options.dataDir) await rm(dataDir, { recursive: true, force: true })
  }
  const wrap = (runtime: Runtime): TestRuntime => ({
    ...runtime,
    dataDir,
    ...(template ? { template } : {}),
    async reopen(meanwhile) {
      // PGlite is single-process: the old handle must be closed before the directory is reopened.
      await runtime.close()
      await meanwhile?.()
      return wrap(await openRuntime(config, createLogger({ level: 'silent' })))
    },
    async dispose() {
      await runtime.close()
      await cleanup()
    },
  })
  const runtime = await openRuntime(config, createLogger({ level: 'silent' }))
  // A copy of a loaded directory is loaded already.
  if (!template) await loadData(runtime)
  // As serveApp does: query workers start in the background, ready before most tests query.
  runtime.query.warm()
  return wrap(runtime)
}

type TestRuntimeOptions = Parameters<typeof openTestRuntime>[0]

/** The configuration of a test runtime, as `npm start` would read it from the environment. */
function testConfig(dataDir: string, options: TestRuntimeOptions, databaseUrl?: string) {
  return loadConfig({
    DATA_DIR: dataDir,
    FIXTURE_SCALE: String(options.scale ?? 0.2),
    LOG_LEVEL: 'silent',
    DEV_SIGN_IN: 'true',
    // The webhook tests deliver to a receiver on 127.0.0.1.
    WEBHOOK_ALLOW_PRIVATE: 'true',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...options.env,
  })
}

/**
 * The test run's loaded directory for these options, loaded by the first file that needs it;
 * undefined outside a Vitest run with templates. PGlite keeps its database in the directory; on
 * PostgreSQL the loaded database is a template database beside it (named in TEMPLATE_DATABASE),
 * which each file's database is created from.
 */
async function loadedTemplate(options: TestRuntimeOptions): Promise<string | undefined> {
  if (options.dataDir) return undefined
  let root: string | undefined
  try {
    root = inject('runtimeTemplates')
  } catch {
    return undefined
  }
  if (!root) return undefined
  const postgresUrl = options.backend === 'postgres' ? postgresUrlOf(options) : undefined
  // Settings that only change how a runtime serves are the opening file's own: files that differ
  // in them alone share one loaded template.
  const env = loadingSettings(options.env ?? {})
  const key = { scale: options.scale ?? 0.2, env, postgresUrl }
  return runtimeTemplates(root).templateFor(key, async (directory) => {
    const database = postgresUrl
      ? await createTestPostgresDatabase(postgresUrl, { prefix: 'template' })
      : undefined
    if (database) await recordTemplateDatabase(root, directory, database.name)
    const runtime = await openRuntime(
      testConfig(directory, { ...options, env }, database?.url),
      createLogger({ level: 'silent' }),
    )
    try {
      await loadData(runtime)
    } finally {
      await runtime.close()
    }
  })
}

/**
 * Settings that change how a runtime serves (addresses, sign-in, limits on what callers may
 * spend, the release rules of aggregate answers), never what loading the fixtures writes.
 */
const SERVING_ONLY = new Set([
  'HOST',
  'PORT',
  'PUBLIC_URL',
  'DEV_SIGN_IN',
  'OIDC_ISSUER',
  'OIDC_CLIENT_ID',
  'OIDC_CLIENT_SECRET',
  'OIDC_AUDIENCE',
  'QUERY_TIMEOUT_SECONDS',
  'PROCESS_TIMEOUT_SECONDS',
  'RATE_LIMIT_PER_MINUTE',
  'SIGN_IN_ATTEMPTS_PER_MINUTE',
  'SDC_DOMINANCE_P',
])

/** The settings of `env` that may change what loading the fixtures writes. */
function loadingSettings(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !SERVING_ONLY.has(name)))
}

function postgresUrlOf(options: { postgresUrl?: string }): string {
  if (!options.postgresUrl) throw new Error('The postgres backend needs the test PostgreSQL URL')
  return options.postgresUrl
}

/** The runtime's app, as `serveApp` composes it, for `app.request` in tests. */
export function createTestApp(runtime: Runtime) {
  // Every answer a test receives is checked against the API's own OpenAPI document.
  return checkingAnswers(createApp(appDepsOf(runtime)), answerCheckerFor(runtime))
}

/**
 * The checker of answers against the document a runtime serves, made once per address in a test
 * worker (the document and its compiled schemas take a few hundred milliseconds).
 */
function answerCheckerFor(runtime: Runtime) {
  const serverUrl = runtime.config.PUBLIC_URL ?? ''
  let checker = answerCheckers.get(serverUrl)
  if (!checker) {
    checker = answerChecker(openApiDocument(serverUrl))
    answerCheckers.set(serverUrl, checker)
  }
  return checker
}

const answerCheckers = new Map<string, ReturnType<typeof answerChecker>>()

/** Headers that make a request as the named fixture user (session cookie plus CSRF token). */
export async function signInAs(
  /** The app in process, or any server over HTTP: something that answers a path. */
  app: { request(path: string, init?: RequestInit): Response | Promise<Response> },
  username: string,
): Promise<Record<string, string>> {
  const res = await app.request('/api/auth/dev/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: username }),
  })
  if (res.status !== 200)
    throw new Error(`Signing in as ${username} failed: ${res.status} ${await res.text()}`)
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const body = (await res.json()) as { data: { csrfToken: string } }
  return { cookie, 'x-csrf-token': body.data.csrfToken }
}
