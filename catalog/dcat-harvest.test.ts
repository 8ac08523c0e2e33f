import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ServerType, serve } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRateLimiter, quoteLiteral, readRows, withConnection } from '../core/index.js'
import { appDepsOf, createApp, useTestPlatform } from '../testing/index.js'
import { ALL_SHAPES, validate, violations } from './dcat-shacl-test-kit.js'

// A harvester's view of the portal, without a session: the DCAT feed read page by page, every
// downloadURL followed to a file of the type it advertises, nothing else downloadable.

const platform = useTestPlatform({ backend: 'pglite', signIn: ['officer.moe'] })
const servers: ServerType[] = []
let scratch: string
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dcat-harvest-'))
})
// Registered after the platform's: the servers close before its runtime is disposed of.
afterAll(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve))
  await rm(scratch, { recursive: true, force: true })
})

type Node = Record<string, unknown>
const idOf = (value: unknown) => (value as { '@id': string })['@id']
const literalOf = (value: unknown) => (value as { '@value': string })['@value']
/** A URL of the feed as a path of the app in process. */
const pathOf = (url: string) => {
  const { pathname, search } = new URL(url)
  return pathname + search
}
const get = (path: string, headers?: Record<string, string>) =>
  platform.app.request(path, headers ? { headers } : {})

/** Every page of the feed, following hydra:next from the first. */
async function harvest(pageSize: number) {
  const pages: Node[] = []
  let next: string | undefined = `/api/dcat/catalog.jsonld?pageSize=${pageSize}`
  while (next) {
    const res = await get(next)
    expect(res.status, next).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/ld\+json/)
    const page = (await res.json()) as Node
    pages.push(page)
    const view = page['hydra:view'] as Node
    next = view['hydra:next'] ? pathOf(idOf(view['hydra:next'])) : undefined
    expect(pages.length).toBeLessThan(50)
  }
  return pages
}

/** The rows a Parquet file holds, read by DuckDB from a copy of the bytes. */
async function parquetRows(bytes: Uint8Array, name: string): Promise<number> {
  const file = join(scratch, name)
  await writeFile(file, bytes)
  const [row] = await withConnection(
    () => platform.runtime.duckdb.connect(),
    (conn) =>
      readRows<{ n: string }>(
        conn,
        `SELECT count(*)::VARCHAR AS n FROM read_parquet(${quoteLiteral(file)})`,
      ),
  )
  return Number(row?.n)
}

describe('a harvester without a session', () => {
  it('reads the feed page by page, and every page conforms to every DCAT-AP shape', async () => {
    const pages = await harvest(2)
    const datasets = pages.flatMap((p) => p['dcat:dataset'] as Node[])
    const view = pages[0]?.['hydra:view'] as Node | undefined
    const total = Number(literalOf(view?.['hydra:totalItems']))
    expect(datasets.length).toBe(total)
    expect(pages.length).toBe(Math.ceil(total / 2))
    expect(new Set(datasets.map((d) => d['@id'])).size).toBe(total)
    // The fixtures' Official (Open), Non-Sensitive datasets, and only those.
    const slugs = datasets.map((d) => idOf(d['dcat:landingPage']).split('/').at(-1)).sort()
    expect(slugs).toContain('postal-geocode-reference')
    expect(slugs).not.toContain('person-address-pa')
    expect(slugs).not.toContain('digital-services-satisfaction-survey')
    for (const d of datasets) expect(d['dcat:contactPoint'], String(d['@id'])).toBeDefined()
    for (const page of pages) expect(violations(await validate(page, ALL_SHAPES))).toEqual([])
    // Past the last page: 404, not an empty catalogue.
    expect((await get(`/api/dcat/catalog.jsonld?page=${pages.length + 1}&pageSize=2`)).status).toBe(
      404,
    )
  }, 240_000)

  it('gets every downloadURL with 200 and a file of the advertised type, size and checksum', async () => {
    const [page] = await harvest(1_000)
    const distributions = ((page?.['dcat:dataset'] as Node[]) ?? []).flatMap(
      (d) => (d['dcat:distribution'] as Node[] | undefined) ?? [],
    )
    expect(distributions.length).toBeGreaterThanOrEqual(2)
    for (const dist of distributions) {
      const url = idOf(dist['dcat:downloadURL'])
      const res = await get(pathOf(url))
      expect(res.status, url).toBe(200)
      const bytes = new Uint8Array(await res.arrayBuffer())
      const media = idOf(dist['dcat:mediaType']).replace(/^.*\/media-types\//, '')
      expect(res.headers.get('content-type')?.split(';')[0], url).toBe(media)
      expect(res.headers.get('content-disposition'), url).toMatch(/^attachment; filename=/)
      if (media === 'application/vnd.apache.parquet') {
        const text = new TextDecoder('latin1')
        expect(text.decode(bytes.subarray(0, 4)), url).toBe('PAR1')
        expect(text.decode(bytes.subarray(-4)), url).toBe('PAR1')
        expect(String(bytes.length), url).toBe(literalOf(dist['dcat:byteSize']))
        const checksum = dist['spdx:checksum'] as Node
        expect(idOf(checksum['spdx:algorithm'])).toBe(
          'https://spdx.org/rdf/terms#checksumAlgorithm_sha256',
        )
        expect(createHash('sha256').update(bytes).digest('hex'), url).toBe(
          literalOf(checksum['spdx:checksumValue']),
        )
        const rows = /of ([\d,]+) rows?/.exec(literalOf(dist['dct:description']))?.[1]
        expect(
          await parquetRows(bytes, `${createHash('sha1').update(url).digest('hex')}.parquet`),
        ).toBe(Number(rows?.replaceAll(',', '')))
      } else {
        expect(media).toBe('text/csv')
        const lines = new TextDecoder('utf-8', { fatal: true }).decode(bytes).trimEnd().split('\n')
        const rows = /of ([\d,]+) rows?/.exec(literalOf(dist['dct:description']))?.[1]
        // A header row, then one line a row (the fixtures' cells hold no line breaks).
        expect(lines.length, url).toBe(Number(rows?.replaceAll(',', '')) + 1)
      }
    }
  }, 240_000)

  it('gets 404 for any other dataset, exactly as for one that does not exist', async () => {
    const answer = async (path: string) => {
      const res = await get(path)
      const body = (await res.json()) as { error: { code: string; message: string } }
      return { status: res.status, code: body.error.code, message: body.error.message }
    }
    const missing = await answer('/api/open-data/no-such-dataset/v1.parquet')
    expect(missing.status).toBe(404)
    for (const slug of ['person-address-pa', 'digital-services-satisfaction-survey'])
      expect(await answer(`/api/open-data/${slug}/v1.parquet`)).toEqual({
        ...missing,
        message: missing.message.replace('no-such-dataset', slug),
      })
    // Even for someone signed in: this route serves open data only.
    const signedIn = await get(
      '/api/open-data/person-address-pa/v1.csv',
      platform.as['officer.moe'],
    )
    expect(signedIn.status).toBe(404)
    // A version never published, and a file name that names no file.
    expect((await get('/api/open-data/postal-geocode-reference/v99.parquet')).status).toBe(404)
    expect((await get('/api/open-data/postal-geocode-reference/data.parquet')).status).toBe(404)
  })

  it('is audited as an anonymous download and counted', async () => {
    const res = await get('/api/open-data/postal-geocode-reference/v1.csv')
    expect(res.status).toBe(200)
    const requestId = res.headers.get('x-request-id')
    await res.arrayBuffer()
    const entryOf = () =>
      platform.runtime.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'dataset.download')
        .where('request_id', '=', requestId)
        .executeTakeFirst()
    // Recorded once the body has been read to its end.
    await expect.poll(entryOf, { timeout: 10_000 }).toBeDefined()
    const row = await entryOf()
    if (!row) throw new Error('No audit entry of the download')
    expect(row).toMatchObject({ actor: 'anonymous', actor_id: null, outcome: 'succeeded' })
    expect(row.details).toMatchObject({
      basis: 'open-data',
      format: 'csv',
      signedIn: false,
      // A request made in process has no address.
      clientAddress: null,
    })
  })

  it('runs at most a share of the query service at once: signed-in people still download', async () => {
    // Answers left unread hold every place anonymous downloads have on this server (each gave
    // its pool slot back once its file was found; the answers still hold theirs).
    const held: Response[] = []
    // As many as query-service/open-data-extract.ts's MAX_OPEN_DOWNLOADS.
    for (let i = 0; i < 32; i++)
      held.push(await get('/api/open-data/postal-geocode-reference/v1.parquet'))
    expect(held.every((r) => r.status === 200)).toBe(true)
    const oneMore = await get('/api/open-data/postal-geocode-reference/v1.parquet')
    expect(oneMore.status).toBe(503)
    expect(Number(oneMore.headers.get('retry-after'))).toBeGreaterThan(0)
    const signedIn = await get(
      '/api/datasets/postal-geocode-reference/versions/1/extract?format=parquet',
      platform.as['officer.moe'],
    )
    expect(signedIn.status).toBe(200)
    await signedIn.arrayBuffer()
    for (const res of held) await res.body?.cancel()
    await expect
      .poll(async () => (await get('/api/open-data/postal-geocode-reference/v1.parquet')).status)
      .toBe(200)
  })
})

describe('downloads without a session, per client address', () => {
  /** The app served on a port of its own, its limiter at a minute of its own. */
  const serveAt = async (minute: string, perMinute: number) => {
    const limiter = createRateLimiter(platform.runtime.db, {
      perMinute,
      now: () => new Date(minute),
    })
    const app = createApp({
      ...appDepsOf(platform.runtime),
      openDataLimiter: limiter,
      trustedProxies: 1,
    })
    const server = await new Promise<ServerType>((resolve) => {
      const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
        resolve(started),
      )
    })
    servers.push(server)
    const address = server.address()
    const port = typeof address === 'object' && address ? address.port : 0
    return (path: string, from: string) =>
      fetch(`http://127.0.0.1:${port}${path}`, { headers: { 'x-forwarded-for': from } })
  }

  it('is 30 a minute by default', () => {
    expect(platform.runtime.config.OPEN_DATA_DOWNLOADS_PER_MINUTE).toBe(30)
  })

  it('answers past the limit with 429 and Retry-After, one address at a time', async () => {
    const call = await serveAt('2030-01-01T10:00:30Z', 3)
    const path = '/api/open-data/postal-geocode-reference/v1.parquet'
    for (let i = 0; i < 3; i++) {
      const res = await call(path, '203.0.113.7')
      expect(res.status).toBe(200)
      await res.arrayBuffer()
    }
    const refused = await call(path, '203.0.113.7')
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('30')
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited')
    // Another address has its own minute.
    const other = await call(path, '198.51.100.9')
    expect(other.status).toBe(200)
    await other.arrayBuffer()
    // The audit entry names the address the download came from.
    await expect
      .poll(() =>
        platform.runtime.db
          .selectFrom('audit_log')
          .select('details')
          .where('action', '=', 'dataset.download')
          .execute()
          .then((rows) => rows.map((r) => r.details.clientAddress)),
      )
      .toContain('198.51.100.9')
  }, 120_000)
})
