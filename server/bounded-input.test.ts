import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { connect } from 'node:net'
import { gzipSync } from 'node:zlib'
import { type ServerType, serve } from '@hono/node-server'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRateLimiter, loadConfig } from '../core/index.js'
import { openTestRuntime, signInAs, type TestRuntime } from '../testing/index.js'
import { createApp } from './app.js'
import { openApiDocument } from './openapi.js'
import { appDepsOf } from './runtime.js'
import { type RunningServer, serveApp } from './serve-app.js'

interface Answer {
  status: number
  headers: IncomingHttpHeaders
  body: string
  /** Milliseconds from the first byte sent to the answer's headers. */
  ms: number
}

/**
 * Sends a POST of `bytes` bytes over a real socket, with a Content-Length or (without one)
 * chunked, writing as fast as the socket takes it and stopping once the server answers.
 */
function sendHuge(
  base: string,
  path: string,
  options: { bytes: number; withLength: boolean; headers?: Record<string, string> },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const req = httpRequest(`${base}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.withLength ? { 'content-length': String(options.bytes) } : {}),
        ...options.headers,
      },
    })
    let answered = false
    req.on('response', (res) => {
      answered = true
      const ms = performance.now() - started
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        req.destroy()
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
          ms,
        })
      })
    })
    // Once answered, the server may close the connection under the rest of the body.
    req.on('error', (error) => {
      if (!answered) reject(error)
    })
    // As the attack sent it: a sign-in whose name is the whole body.
    const head = Buffer.from('{"user":"')
    const chunk = Buffer.alloc(64 * 1024, 'x')
    let sent = 0
    const pump = () => {
      while (!answered && sent < options.bytes) {
        const piece =
          sent === 0 ? head : chunk.subarray(0, Math.min(chunk.length, options.bytes - sent))
        sent += piece.length
        if (!req.write(piece)) {
          req.once('drain', pump)
          return
        }
      }
      if (!answered) req.end()
    }
    pump()
  })
}

/** Row counts of every table: what "nothing written" is checked against. */
async function rowCounts(runtime: TestRuntime): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }>`select table_name as name
    from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'
    order by table_name`.execute(runtime.db)
  const counts: Record<string, number> = {}
  for (const { name } of tables.rows) {
    const result = await sql<{ n: string }>`select count(*) as n from ${sql.table(name)}`.execute(
      runtime.db,
    )
    counts[name] = Number(result.rows[0]?.n)
  }
  return counts
}

const MB = 1_000_000

describe('bounded input over real HTTP', () => {
  let runtime: TestRuntime
  let server: RunningServer
  /** The served app, through fetch: what a client on the network sees. */
  let http: { request(path: string, init?: RequestInit): Promise<Response> }

  beforeAll(async () => {
    runtime = await openTestRuntime({
      backend: 'pglite',
      scale: 0.05,
      // The sign-in limit has tests of its own below, on their own addresses and minutes.
      env: { SIGN_IN_ATTEMPTS_PER_MINUTE: '1000' },
    })
    server = await serveApp(runtime, 0)
    http = { request: (path, init) => fetch(`${server.url}${path}`, init) }
  })
  afterAll(async () => {
    await server?.close()
    await runtime?.dispose()
  })

  it.each([
    { how: 'with its Content-Length', withLength: true },
    { how: 'chunked, without a length', withLength: false },
  ])(
    'answers a 200 MB anonymous sign-in $how with 413 within a second, writing nothing',
    async ({ withLength }) => {
      const before = await rowCounts(runtime)
      const answer = await sendHuge(server.url, '/api/auth/dev/sign-in', {
        bytes: 200 * MB,
        withLength,
      })
      expect(answer.status).toBe(413)
      expect(answer.ms).toBeLessThan(1_000)
      expect(answer.headers.connection).toBe('close')
      expect(JSON.parse(answer.body)).toEqual({
        ok: false,
        error: {
          code: 'too_large',
          message:
            'The request body is larger than the 1 MB this route reads: send less in one request, e.g. split it into several',
        },
      })
      expect(await rowCounts(runtime)).toEqual(before)
      // The server is none the worse: it answers at once, and signs people in.
      expect((await http.request('/api/health')).status).toBe(200)
      await signInAs(http, 'officer.moh')
    },
  )

  it('refuses a signed-in 60 MB query before reading it whole, let alone parsing it', async () => {
    const officer = await signInAs(http, 'officer.moh')
    const history = async () =>
      Number(
        (
          await runtime.db
            .selectFrom('query_history')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    const before = await history()
    for (const withLength of [true, false]) {
      const answer = await sendHuge(server.url, '/api/query', {
        bytes: 60 * MB,
        withLength,
        headers: officer,
      })
      expect(answer.status).toBe(413)
      expect(answer.ms).toBeLessThan(1_000)
    }
    expect(await history()).toBe(before)
  })

  it('reads more only where a route needs it: a lineage batch up to 16 MB', async () => {
    const steward = await signInAs(http, 'steward.dos')
    const created = await http.request('/api/tokens', {
      method: 'POST',
      headers: { ...steward, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'producer', scopes: ['read', 'write'], expiresInDays: 1 }),
    })
    const token = ((await created.json()) as { data: { token: string } }).data.token
    // Stewards write only into namespaces registered to their agency.
    const registered = await http.request('/api/v1/lineage/namespaces', {
      method: 'POST',
      headers: { ...(await signInAs(http, 'admin')), 'content-type': 'application/json' },
      body: JSON.stringify({ namespace: 'bounded-input-test', agency: 'DOS' }),
    })
    expect(registered.status).toBeLessThan(300)
    const event = (i: number, padding: number) => ({
      eventType: 'COMPLETE',
      eventTime: '2026-11-22T05:00:00.000Z',
      run: {
        runId: `41fb5137-f0fd-4ee5-ba5c-56f8571d1b${String(i).padStart(2, '0')}`,
        facets: {
          padding: {
            _producer: 'https://example.gov.sg/producer',
            _schemaURL: 'https://example.gov.sg/Padding.json',
            text: 'x'.repeat(padding),
          },
        },
      },
      job: { namespace: 'bounded-input-test', name: `job-${i}` },
      inputs: [],
      outputs: [],
      producer: 'https://example.gov.sg/producer',
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    })
    const batch = (events: number, padding: number) =>
      http.request('/api/v1/lineage/batch', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(Array.from({ length: events }, (_, i) => event(i, padding))),
      })
    // 3 MB: past the API's own limit, well within the batch's.
    const accepted = await batch(3, MB)
    expect(accepted.status).toBe(200)
    expect(await accepted.json()).toMatchObject({ summary: { received: 3 } })
    const tooMany = await batch(17, MB)
    expect(tooMany.status).toBe(413)
    expect(((await tooMany.json()) as { error: { message: string } }).error.message).toBe(
      'The request body is larger than the 16 MB this route reads: send fewer events per batch',
    )
    // Any other route reads 1 MB at most.
    const request = await http.request('/api/requests', {
      method: 'POST',
      headers: { ...steward, 'content-type': 'application/json' },
      body: JSON.stringify({ justification: 'x'.repeat(2 * MB) }),
    })
    expect(request.status).toBe(413)
    // A gzip body is bounded once decompressed too: 50 MB of zeros is 50 KB compressed.
    const bomb = await http.request('/api/v1/lineage/batch', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      body: gzipSync(Buffer.alloc(50 * MB, ' ')),
    })
    expect(bomb.status).toBe(413)
    // No other spelling of an encoding gets past that bound, nor bytes that are not UTF-8 sent
    // as something other than text.
    for (const encoding of ['gzipped', 'x-gzip', 'gzip, identity', 'deflate', 'br']) {
      const variant = await http.request('/api/v1/lineage', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/octet-stream',
          'content-encoding': encoding,
        },
        body: gzipSync(Buffer.alloc(8 * MB, ' ')),
      })
      expect(variant.status, encoding).toBe(400)
    }
    const binary = await http.request('/api/v1/lineage', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      body: Buffer.concat([
        Buffer.from(JSON.stringify(event(90, 0)).slice(0, -1)),
        Buffer.from([0xff]),
      ]),
    })
    expect(binary.status).toBe(400)
    expect(((await binary.json()) as { error: { message: string } }).error.message).toMatch(
      /^body: is not valid UTF-8/,
    )
    // Nobody anonymous makes the server read more than the API's own limit, there either.
    const anonymous = await http.request('/api/v1/lineage/batch', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(Array.from({ length: 3 }, (_, i) => event(i, MB))),
    })
    expect(anonymous.status).toBe(413)
  })
})

/** A JSON Schema as the OpenAPI document gives request bodies (what the sweep below reads). */
interface Schema {
  type?: string | string[]
  properties?: Record<string, Schema>
  additionalProperties?: Schema | boolean
  items?: Schema
  anyOf?: Schema[]
  oneOf?: Schema[]
  allOf?: Schema[]
  enum?: unknown[]
  const?: unknown
}
type JsonPath = (string | number)[]

/** Where a body may hold a string: every leaf a schema types as a string, one per path. */
function stringLeaves(schema: Schema, path: JsonPath = [], depth = 0): JsonPath[] {
  if (depth > 8) return []
  const leaves: JsonPath[] = []
  for (const option of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])])
    leaves.push(...stringLeaves(option, path, depth + 1))
  const types = [schema.type ?? []].flat()
  if (
    types.includes('string') ||
    schema.enum?.some((v) => typeof v === 'string') ||
    typeof schema.const === 'string'
  )
    leaves.push(path)
  for (const [key, property] of Object.entries(schema.properties ?? {}))
    leaves.push(...stringLeaves(property, [...path, key], depth + 1))
  if (typeof schema.additionalProperties === 'object')
    leaves.push(...stringLeaves(schema.additionalProperties, [...path, 'key'], depth + 1))
  if (schema.items) leaves.push(...stringLeaves(schema.items, [...path, 0], depth + 1))
  const seen = new Set<string>()
  return leaves.filter(
    (leaf) => !seen.has(JSON.stringify(leaf)) && !!seen.add(JSON.stringify(leaf)),
  )
}

/** A JSON value holding `value` at `path` and nothing else. */
function valueAt(path: JsonPath, value: unknown): unknown {
  return path.reduceRight<unknown>(
    (inner, key) => (typeof key === 'number' ? [inner] : { [key]: inner }),
    value,
  )
}

/** How the input check names a JSON path, e.g. `body.columns[0].name`. */
const fieldOf = (path: JsonPath) =>
  `body${path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`)).join('')}`

describe('text no route can store, refused with 400 naming the field', () => {
  let runtime: TestRuntime
  let server: RunningServer
  let http: { request(path: string, init?: RequestInit): Promise<Response> }
  let admin: Record<string, string>

  beforeAll(async () => {
    runtime = await openTestRuntime({
      backend: 'pglite',
      scale: 0.05,
      env: { SIGN_IN_ATTEMPTS_PER_MINUTE: '1000' },
    })
    server = await serveApp(runtime, 0)
    http = { request: (path, init) => fetch(`${server.url}${path}`, init) }
    admin = await signInAs(http, 'admin')
  })
  afterAll(async () => {
    await server?.close()
    await runtime?.dispose()
  })

  const send = async (
    method: string,
    path: string,
    body?: string | Uint8Array,
    headers: Record<string, string> = { 'content-type': 'application/json' },
    caller = admin,
  ) => {
    const res = await http.request(path, {
      method,
      headers: { ...caller, ...(body === undefined ? {} : headers) },
      ...(body === undefined ? {} : { body }),
    })
    const text = await res.text()
    return {
      status: res.status,
      message: (JSON.parse(text) as { error?: { message: string } }).error?.message,
    }
  }
  const json = (value: unknown) => JSON.stringify(value)
  const bytes = (...parts: (string | number[])[]) =>
    Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))))

  it.each([
    ['search, in a query parameter', 'GET', '/api/search?q=a%00b', undefined, 'query.q'],
    ['search, broken percent-encoding', 'GET', '/api/search?q=%ZZ', undefined, 'query.q'],
    [
      'search, percent-encoded bytes that are not UTF-8',
      'GET',
      '/api/search?q=%C3%28',
      undefined,
      'query.q',
    ],
    [
      'requests, in a JSON field',
      'POST',
      '/api/requests',
      json({ justification: 'a\u0000b' }),
      'body.justification',
    ],
    [
      'requests, in a nested JSON field',
      'POST',
      '/api/requests',
      json({ project: { columns: ['ok', 'a\u0000'] } }),
      'body.project.columns[1]',
    ],
    [
      'requests, in a JSON field name',
      'POST',
      '/api/requests',
      json({ 'a\u0000': 1 }),
      'body["a\\u0000"]',
    ],
    [
      'requests, a lone surrogate',
      'POST',
      '/api/requests',
      '{"justification":"\\ud800"}',
      'body.justification',
    ],
    [
      'requests, bytes that are not UTF-8',
      'POST',
      '/api/requests',
      bytes('{"purpose":"ok","justification":"', [0xff, 0xfe], '"}'),
      'body.justification',
    ],
    ['requests, path segment', 'GET', '/api/requests/r_%00', undefined, 'path.id'],
    [
      'tokens, in a JSON field',
      'POST',
      '/api/tokens',
      json({ name: 'ci\u0000', scopes: ['read'] }),
      'body.name',
    ],
    ['tokens, in a path segment', 'POST', '/api/tokens/t_%00/revoke', undefined, 'path.id'],
    [
      'dataset edits, in a JSON field',
      'PATCH',
      '/api/datasets/person-address-pa',
      json({ description: 'x\u0000' }),
      'body.description',
    ],
    [
      'dataset edits, in a path segment',
      'PATCH',
      '/api/datasets/person%00',
      json({ description: 'x' }),
      'path.id',
    ],
    [
      'dataset edits, broken percent-encoding in a path segment',
      'PATCH',
      '/api/datasets/%E0%A4%A',
      json({ description: 'x' }),
      'path.id',
    ],
    ['grants, in a query parameter', 'GET', '/api/grants?status=%00', undefined, 'query.status'],
    [
      'grants, revoked with a reason',
      'POST',
      '/api/grants/g_1/revoke',
      json({ reason: 'x\u0000' }),
      'body.reason',
    ],
    [
      'query, its id (alias)',
      'POST',
      '/api/query',
      json({ sql: 'SELECT 1', id: 'q_\u0000alias1' }),
      'body.id',
    ],
    ['query, its SQL', 'POST', '/api/query', json({ sql: 'SELECT \u0000 1' }), 'body.sql'],
    ['query, cancelling by id', 'POST', '/api/query/q_%00abcdefg/cancel', undefined, 'path.id'],
    [
      'glossary, a new term',
      'POST',
      '/api/glossary',
      json({ term: 't\u0000', definition: 'd' }),
      'body.term',
    ],
    [
      'glossary, a term in the path',
      'PATCH',
      '/api/glossary/t%00',
      json({ definition: 'd' }),
      'path.term',
    ],
    // No route has this path: the segment is named as sent.
    ['no route at all', 'GET', '/api/glossary/t%00', undefined, 'path segment "t%00"'],
    [
      'webhooks, a receiver',
      'POST',
      '/api/webhooks',
      json({ agency: 'DOS', url: 'https://hooks.example.gov.sg/\u0000' }),
      'body.url',
    ],
    [
      'lineage, an event',
      'POST',
      '/api/v1/lineage',
      json({ job: { namespace: 'n\u0000', name: 'j' } }),
      'body.job.namespace',
    ],
    ['a form body', 'POST', '/api/requests', 'purpose=ok&justification=a%00', 'body.justification'],
  ])('%s', async (_, method, path, body, field) => {
    const type =
      typeof body === 'string' && body.startsWith('purpose=')
        ? 'application/x-www-form-urlencoded'
        : 'application/json'
    const answer = await send(method, path, body, { 'content-type': type })
    expect(answer.status).toBe(400)
    expect(answer.message).toMatch(new RegExp(`^${field.replace(/[[\]\\.]/g, '\\$&')}: `))
  })

  it('names a flaw deep in a body in a few words, and refuses nesting past 100 levels', async () => {
    const nested = (depth: number, leaf: string) =>
      `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`
    const deep = await send('POST', '/api/requests', nested(50, '"x\\u0000"'))
    expect(deep.status).toBe(400)
    expect(deep.message).toMatch(/^body(\.a){8}…(\.a){12}: holds a NUL character/)
    // Deeper than any request needs, and than a route could store (JSON.stringify overflows).
    const deeper = await send('POST', '/api/v1/lineage', nested(100_000, '"x"'))
    expect(deeper.status).toBe(400)
    expect(deeper.message).toMatch(/^body(\.a){8}…(\.a){12}: nests deeper than 100 levels/)
  })

  it('refuses a development sign-in with a NUL, and audits the attempt', async () => {
    const res = await http.request('/api/auth/dev/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: json({ user: 'adm\u0000in' }),
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      'body.user: holds a NUL character (\\u0000), which no text may hold: remove it',
    )
    const [entry] = await runtime.audit.list({ limit: 1 })
    expect(entry).toMatchObject({
      action: 'auth.sign-in',
      outcome: 'failed',
      actor: 'adm\\u0000in',
      details: { method: 'dev', reason: expect.stringMatching(/^malformed request: body\.user: /) },
    })
    // An unknown user is audited once, as before.
    const before = (await runtime.audit.list({ limit: 1000 })).length
    const unknown = await http.request('/api/auth/dev/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: json({ user: 'mallory' }),
    })
    expect(unknown.status).toBe(400)
    const after = await runtime.audit.list({ limit: 1000 })
    expect(after.length).toBe(before + 1)
    expect(after[0]).toMatchObject({ actor: 'mallory', details: { reason: 'unknown user' } })
  })

  it('refuses a NUL in any string of every operation in the OpenAPI document', async () => {
    const doc = openApiDocument(server.url) as unknown as {
      paths: Record<
        string,
        Record<
          string,
          {
            parameters: { name: string; in: string }[]
            requestBody?: { content: { 'application/json': { schema: Schema } } }
          }
        >
      >
    }
    const wrong: string[] = []
    let tried = 0
    for (const [template, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const pathParams = operation.parameters.filter((p) => p.in === 'path').map((p) => p.name)
        const queryParams = operation.parameters.filter((p) => p.in === 'query').map((p) => p.name)
        const pathWith = (nul?: string) =>
          template.replace(/\{(\w+)\}/g, (_, name: string) => (name === nul ? 'x%00y' : 'x'))
        const cases: { path: string; body?: string; field: string }[] = [
          ...pathParams.map((name) => ({ path: pathWith(name), field: `path.${name}` })),
          ...[...queryParams, 'unlisted'].map((name) => ({
            path: `${pathWith()}?${name}=x%00y`,
            field: `query.${name}`,
          })),
        ]
        const schema = operation.requestBody?.content['application/json'].schema
        if (schema)
          for (const leaf of [...stringLeaves(schema), ['unlisted']])
            cases.push({
              path: pathWith(),
              body: json(valueAt(leaf, 'x\u0000y')),
              field: fieldOf(leaf),
            })
        // Signed in, and anonymous: refused before sign-in is asked for, with the same 400.
        for (const { path, body, field } of cases)
          for (const [who, caller] of [
            ['admin', admin],
            ['anonymous', {}],
          ] as const) {
            tried++
            const answer = await send(method.toUpperCase(), path, body, undefined, caller)
            if (answer.status !== 400 || !answer.message?.startsWith(`${field}: holds a NUL`))
              wrong.push(
                `${who}: ${method} ${path} ${body ?? ''}: ${answer.status} ${answer.message}`,
              )
          }
      }
    }
    expect(wrong).toEqual([])
    expect(tried).toBeGreaterThan(300)
  })

  it('leaves headers to Node, which refuses a NUL in one before any code of ours runs', async () => {
    const url = new URL(server.url)
    const socket = connect(Number(url.port), url.hostname)
    socket.write('GET /api/auth/me HTTP/1.1\r\nHost: x\r\nCookie: portal_session=a\u0000b\r\n\r\n')
    const reply = await new Promise<string>((resolve) => {
      let text = ''
      socket.on('data', (chunk) => {
        text += chunk.toString()
      })
      socket.on('close', () => resolve(text))
      socket.on('error', () => resolve(text))
    })
    expect(reply).toMatch(/^HTTP\/1\.1 400/)
  })

  it('answers a NUL in a portal address without a server error', async () => {
    for (const path of ['/%00', '/datasets/%00', '/assets/%00.js', '/%ZZ'])
      expect((await http.request(path)).status).toBeLessThan(500)
  })
})

describe('anonymous sign-in attempts, per address', () => {
  let runtime: TestRuntime
  const servers: ServerType[] = []

  beforeAll(async () => {
    runtime = await openTestRuntime({ backend: 'pglite', scale: 0.05 })
  })
  afterAll(async () => {
    for (const server of servers) await new Promise((resolve) => server.close(resolve))
    await runtime?.dispose()
  })

  /** The app as configured (10 a minute), served on a port of its own, at a minute of its own. */
  const serveAt = async (minute: string, trustedProxies: number) => {
    const limiter = createRateLimiter(runtime.db, {
      perMinute: runtime.config.SIGN_IN_ATTEMPTS_PER_MINUTE,
      now: () => new Date(minute),
    })
    const app = createApp({ ...appDepsOf(runtime), signInLimiter: limiter, trustedProxies })
    const server = await new Promise<ServerType>((resolve) => {
      const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
        resolve(started),
      )
    })
    servers.push(server)
    const address = server.address()
    const port = typeof address === 'object' && address ? address.port : 0
    return (path: string, init?: RequestInit) => fetch(`http://127.0.0.1:${port}${path}`, init)
  }
  const signIn = (user: string, forwardedFor?: string) => ({
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
    },
    body: JSON.stringify({ user }),
  })

  it('is 10 a minute by default', () => {
    expect(loadConfig({ DEV_SIGN_IN: 'true' }).SIGN_IN_ATTEMPTS_PER_MINUTE).toBe(10)
    expect(runtime.config.SIGN_IN_ATTEMPTS_PER_MINUTE).toBe(10)
  })

  it('answers the 11th sign-in from one address in a minute with 429, whatever it claims', async () => {
    const call = await serveAt('2030-01-01T10:00:30Z', 0)
    const statuses: number[] = []
    for (let i = 0; i < 10; i++)
      // Right or wrong, each is an attempt; a forwarded address is nobody's word here.
      statuses.push(
        (
          await call(
            '/api/auth/dev/sign-in',
            signIn(i % 2 ? 'officer.moh' : 'nobody', `10.0.0.${i}`),
          )
        ).status,
      )
    expect(statuses).toEqual([400, 200, 400, 200, 400, 200, 400, 200, 400, 200])
    const eleventh = await call('/api/auth/dev/sign-in', signIn('officer.moh', '10.9.9.9'))
    expect(eleventh.status).toBe(429)
    expect(eleventh.headers.get('retry-after')).toBe('30')
    expect(await eleventh.json()).toEqual({
      ok: false,
      error: {
        code: 'rate_limited',
        message:
          'Too many sign-in attempts from your address: at most 10 a minute. Try again in 30 seconds.',
      },
    })
    // OIDC's steps are counted too, each on its own (here it is not configured: 404 until then).
    const starts: number[] = []
    for (let i = 0; i < 11; i++) starts.push((await call('/api/auth/oidc/start')).status)
    expect(starts).toEqual([...Array(10).fill(404), 429])
  })

  it('counts HEAD as the GET it is answered by', async () => {
    const call = await serveAt('2030-01-01T12:00:00Z', 0)
    const statuses: number[] = []
    for (let i = 0; i < 11; i++)
      statuses.push((await call('/api/auth/oidc/start', { method: 'HEAD' })).status)
    expect(statuses.at(-1)).toBe(429)
  })

  it('limits refused Bearer tokens per address, before they are looked at or audited', async () => {
    const call = await serveAt('2030-01-01T13:00:00Z', 0)
    const refusals = async () =>
      Number(
        (
          await runtime.db
            .selectFrom('audit_log')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('outcome', '=', 'denied')
            .executeTakeFirstOrThrow()
        ).n,
      )
    const before = await refusals()
    const statuses: number[] = []
    for (let i = 0; i < 12; i++)
      statuses.push(
        (await call('/api/health', { headers: { authorization: `Bearer guess-${i}` } })).status,
      )
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429])
    expect((await refusals()) - before).toBeLessThanOrEqual(10)
    // Others, and callers without a token, are not held up.
    expect((await call('/api/health')).status).toBe(200)
  })

  it('counts by the address the trusted proxy saw, when there is one', async () => {
    const call = await serveAt('2030-01-01T11:00:00Z', 1)
    for (let i = 0; i < 10; i++)
      expect(
        (await call('/api/auth/dev/sign-in', signIn('officer.moh', `1.1.1.${i}, 198.51.100.7`)))
          .status,
      ).toBe(200)
    // What the client put before the proxy's entry changes nothing.
    expect(
      (await call('/api/auth/dev/sign-in', signIn('officer.moh', '1.2.3.4, 198.51.100.7'))).status,
    ).toBe(429)
    // Another client behind the same proxy has a count of its own.
    expect(
      (await call('/api/auth/dev/sign-in', signIn('officer.moh', '198.51.100.8'))).status,
    ).toBe(200)
  })
})
