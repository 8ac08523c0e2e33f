import { connect } from 'node:net'
import { beforeAll, describe, expect, it } from 'vitest'
import { signInAs } from '../testing/index.js'
import { useServedPlatform } from './bounded-input-test-kit.js'
import { openApiDocument } from './openapi.js'

// Text no route can store (a NUL, bytes or escapes that are not UTF-8, nesting past 100
// levels), refused with a 400 naming the field, wherever it is sent.

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

const served = useServedPlatform()
let admin: Record<string, string>
beforeAll(async () => {
  admin = await signInAs(served.http, 'admin')
})

const send = async (
  method: string,
  path: string,
  body?: string | Uint8Array,
  headers: Record<string, string> = { 'content-type': 'application/json' },
  caller = admin,
) => {
  const res = await served.http.request(path, {
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

describe('text no route can store, refused with 400 naming the field', () => {
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
})

describe('text no route can store, in deep bodies, sign-in, every operation and beyond the API', () => {
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
    const res = await served.http.request('/api/auth/dev/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: json({ user: 'adm\u0000in' }),
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      'body.user: holds a NUL character (\\u0000), which no text may hold: remove it',
    )
    const [entry] = await served.runtime.audit.list({ limit: 1 })
    expect(entry).toMatchObject({
      action: 'auth.sign-in',
      outcome: 'failed',
      actor: 'adm\\u0000in',
      details: { method: 'dev', reason: expect.stringMatching(/^malformed request: body\.user: /) },
    })
    // An unknown user is audited once, as before.
    const before = (await served.runtime.audit.list({ limit: 1000 })).length
    const unknown = await served.http.request('/api/auth/dev/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: json({ user: 'mallory' }),
    })
    expect(unknown.status).toBe(400)
    const after = await served.runtime.audit.list({ limit: 1000 })
    expect(after.length).toBe(before + 1)
    expect(after[0]).toMatchObject({ actor: 'mallory', details: { reason: 'unknown user' } })
  })

  it('refuses a NUL in any string of every operation in the OpenAPI document', async () => {
    const doc = openApiDocument(served.server.url) as unknown as {
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
    const url = new URL(served.server.url)
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
      expect((await served.http.request(path)).status).toBeLessThan(500)
  })
})
