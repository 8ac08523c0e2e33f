import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { openSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from './free-port.js'

// Resolved when a replica starts: this module is also loaded in the portal's jsdom tests (through
// server/index.ts), where import.meta.url is not a file URL.
const root = () => fileURLToPath(new URL('..', import.meta.url))

/** A server process as operators run it (`main.ts start`), on a port of its own. */
export interface Replica {
  /** A short name for reports ("a", "b"). */
  name: string
  url: string
  process: ChildProcess
  /** Answers a path like the app in process does, over real HTTP. */
  request(path: string, init?: RequestInit): Promise<Response>
}

/**
 * Starts `server/main.ts start` on 127.0.0.1 with `env` and waits until it answers health (for
 * tests and the load bench). Its stderr is passed through, or both outputs go to `logFile`.
 */
export async function startReplica(
  env: Record<string, string>,
  options: { name?: string; logFile?: string } = {},
): Promise<Replica> {
  const port = await freePort()
  const log = options.logFile ? openSync(options.logFile, 'a') : undefined
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root(), 'server', 'main.ts'), 'start'],
    {
      cwd: root(),
      env: {
        PATH: process.env.PATH ?? '',
        HOST: '127.0.0.1',
        PORT: String(port),
        // Tests sign many people in from 127.0.0.1; the limit has tests of its own.
        SIGN_IN_ATTEMPTS_PER_MINUTE: '0',
        ...env,
      },
      stdio: log === undefined ? ['ignore', 'ignore', 'inherit'] : ['ignore', log, log],
    },
  )
  const name = options.name ?? String(port)
  const url = `http://127.0.0.1:${port}`
  const replica: Replica = {
    name,
    url,
    process: child,
    request: (path, init) => fetch(`${url}${path}`, init),
  }
  const seeLog = options.logFile ? `: see ${options.logFile}` : ''
  const deadline = Date.now() + 180_000
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`Replica ${name} exited (${child.exitCode}) while starting${seeLog}`)
    const healthy = await fetch(`${url}/api/health`).then(
      (res) => res.ok,
      () => false,
    )
    if (healthy) return replica
    if (Date.now() > deadline) {
      await stopReplica(replica)
      throw new Error(`Replica ${name} never became healthy${seeLog}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

/** Stops a replica as an operator would (SIGTERM), and kills it if it has not ended in 15 s. */
export async function stopReplica(replica: Replica | undefined): Promise<void> {
  const child = replica?.process
  // Ended already: by itself (exit code) or killed (signal).
  if (!child || child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
  await exited
  clearTimeout(timer)
}

/** A JSON call as a signed-in person (their cookie and CSRF token). */
export async function call<T>(
  replica: Replica,
  method: string,
  path: string,
  as: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; data: T; message?: string }> {
  const res = await replica.request(path, {
    method,
    headers: { ...as, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const answer = (await res.json()) as { data: T; error?: { message: string } }
  return { status: res.status, data: answer.data, message: answer.error?.message }
}
