import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { gzipSync } from 'node:zlib'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { signInAs, type TestRuntime } from '../testing/index.js'
import { MB, useServedPlatform } from './bounded-input-test-kit.js'

// Bodies too large to read, refused before they are read whole, and the larger bound of the one
// route that needs it (a lineage batch), compressed or not.

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

const served = useServedPlatform()

describe('bounded input over real HTTP: bodies too large to read', () => {
  it.each([
    { how: 'with its Content-Length', withLength: true },
    { how: 'chunked, without a length', withLength: false },
  ])(
    'answers a 200 MB anonymous sign-in $how with 413 within a second, writing nothing',
    async ({ withLength }) => {
      const before = await rowCounts(served.runtime)
      const answer = await sendHuge(served.server.url, '/api/auth/dev/sign-in', {
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
      expect(await rowCounts(served.runtime)).toEqual(before)
      // The server is none the worse: it answers at once, and signs people in.
      expect((await served.http.request('/api/health')).status).toBe(200)
      await signInAs(served.http, 'officer.moh')
    },
  )

  it('refuses a signed-in 60 MB query before reading it whole, let alone parsing it', async () => {
    const officer = await signInAs(served.http, 'officer.moh')
    const history = async () =>
      Number(
        (
          await served.runtime.db
            .selectFrom('query_history')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    const before = await history()
    for (const withLength of [true, false]) {
      const answer = await sendHuge(served.server.url, '/api/query', {
        bytes: 60 * MB,
        withLength,
        headers: officer,
      })
      expect(answer.status).toBe(413)
      expect(answer.ms).toBeLessThan(1_000)
    }
    expect(await history()).toBe(before)
  })
})

describe('bounded input over real HTTP: what each route reads', () => {
  it('reads more only where a route needs it: a lineage batch up to 16 MB', async () => {
    const steward = await signInAs(served.http, 'steward.dos')
    const created = await served.http.request('/api/tokens', {
      method: 'POST',
      headers: { ...steward, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'producer', scopes: ['read', 'write'], expiresInDays: 1 }),
    })
    const token = ((await created.json()) as { data: { token: string } }).data.token
    // Stewards write only into namespaces registered to their agency.
    const registered = await served.http.request('/api/v1/lineage/namespaces', {
      method: 'POST',
      headers: { ...(await signInAs(served.http, 'admin')), 'content-type': 'application/json' },
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
      served.http.request('/api/v1/lineage/batch', {
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
    const request = await served.http.request('/api/requests', {
      method: 'POST',
      headers: { ...steward, 'content-type': 'application/json' },
      body: JSON.stringify({ justification: 'x'.repeat(2 * MB) }),
    })
    expect(request.status).toBe(413)
    // A gzip body is bounded once decompressed too: 50 MB of zeros is 50 KB compressed.
    const bomb = await served.http.request('/api/v1/lineage/batch', {
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
      const variant = await served.http.request('/api/v1/lineage', {
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
    const binary = await served.http.request('/api/v1/lineage', {
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
    const anonymous = await served.http.request('/api/v1/lineage/batch', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(Array.from({ length: 3 }, (_, i) => event(i, MB))),
    })
    expect(anonymous.status).toBe(413)
  })
})
