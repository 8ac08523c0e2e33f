import { readFileSync } from 'node:fs'
import { beforeAll } from 'vitest'
import { type UserHeaders, useTestPlatform } from '../testing/index.js'
import type { LineageEvent } from './events.js'
import { namespacesWritten } from './namespace-ownership.js'

// Real events from Airflow, Spark, Marquez and OpenLineage (Apache-2.0), with expected outcomes.
const EXAMPLES = new URL('./openlineage-examples/', import.meta.url)

/** The example events, each with its category (the outcome expected of it). */
export const manifest = JSON.parse(readFileSync(new URL('manifest.json', EXAMPLES), 'utf8')) as {
  events: { file: string; category: string }[]
}

/** One example event, as its file has it. */
export const example = (file: string) =>
  JSON.parse(readFileSync(new URL(file, EXAMPLES), 'utf8')) as Record<string, unknown>

/**
 * The platform for the lineage API tests, signed in as the administrator, officer.moe and
 * `users`. Stewards write only into namespaces registered to their agency: the examples' go to
 * DOS, and s3://landing-bucket to MOH.
 */
export function useLineageApi<User extends string>(users: readonly User[]) {
  const platform = useTestPlatform({
    backend: 'pglite',
    signIn: ['admin', 'officer.moe', ...users],
  })
  const post = (path: string, body: unknown, headers: UserHeaders) =>
    platform.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    })
  const get = async <T>(path: string, headers = platform.as['officer.moe']) => {
    const res = await platform.app.request(path, { headers })
    return { status: res.status, body: (await res.json()) as T }
  }
  /** A token the user creates for their producers, which send events with it as a machine would. */
  const tokenOf = async (headers: UserHeaders) => {
    const created = await post(
      '/api/tokens',
      { name: 'airflow', scopes: ['read', 'write'], expiresInDays: 30 },
      headers,
    )
    return ((await created.json()) as { data: { token: string } }).data.token
  }

  beforeAll(async () => {
    const examples = new Set(
      manifest.events
        .filter((e) => e.category !== 'invalid')
        .flatMap((e) => namespacesWritten(example(e.file) as unknown as LineageEvent))
        .map((w) => w.namespace),
    )
    const registrations = [
      ...[...examples].map((namespace) => ({ namespace, agency: 'DOS' })),
      { namespace: 's3://landing-bucket', agency: 'MOH' },
    ]
    for (const registration of registrations) {
      const res = await post('/api/v1/lineage/namespaces', registration, platform.as.admin)
      if (res.status !== 201) throw new Error(`Registering failed: ${await res.text()}`)
    }
  })
  return { platform, post, get, tokenOf }
}
