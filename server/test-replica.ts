import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../fixtures/index.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** A server process as operators run it (`main.ts start`), on a port of its own. */
export interface Replica {
  url: string
  process: ChildProcess
  /** Answers a path like the app in process does, over real HTTP. */
  request(path: string, init?: RequestInit): Promise<Response>
}

export async function startReplica(env: Record<string, string>): Promise<Replica> {
  const port = await freePort()
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'server', 'main.ts'), 'start'],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  )
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 180_000
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`The replica on ${port} exited (${child.exitCode})`)
    const healthy = await fetch(`${url}/api/health`).then(
      (res) => res.ok,
      () => false,
    )
    if (healthy) break
    if (Date.now() > deadline) throw new Error(`The replica on ${port} never became healthy`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  return {
    url,
    process: child,
    request: (path, init) => fetch(`${url}${path}`, init),
  }
}

export async function stopReplica(replica: Replica | undefined): Promise<void> {
  // Ended already: by itself (exit code) or killed (signal).
  if (!replica || replica.process.exitCode !== null || replica.process.signalCode !== null) return
  const exited = once(replica.process, 'exit')
  replica.process.kill('SIGTERM')
  await exited
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
