import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib'
import { type ServerType, serve } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chooseCoding } from './content-coding.js'
import { staticPortal } from './static-portal.js'

const SCRIPT = Buffer.from(
  `export const rows = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => ({ row: i, name: `planning area ${i % 55}` })))}\n`,
)
const PAGE = Buffer.from(
  `<!doctype html><html lang="en"><head><title>Government Data Portal</title><script type="module" src="/assets/index-AbCd1234.js"></script></head><body><div id="root"></div>${' '.repeat(600)}</body></html>`,
)

/** A build as Vite and its precompress step write it: each text file beside its .br and .gz. */
async function writeBuild(dir: string) {
  await mkdir(join(dir, 'assets'), { recursive: true })
  for (const [name, content] of [
    ['index.html', PAGE],
    ['assets/index-AbCd1234.js', SCRIPT],
  ] as const) {
    await writeFile(join(dir, name), content)
    await writeFile(join(dir, `${name}.br`), brotliCompressSync(content))
    await writeFile(join(dir, `${name}.gz`), gzipSync(content, { level: 9 }))
  }
  // Too small to be worth compressing: the build writes no copy of it.
  await writeFile(join(dir, 'assets/tones-Xy12Zw34.js'), 'export const t=1\n')
}

/** A GET through a real socket, its body as the bytes that came (Node's fetch would decode them). */
function get(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string>; body: Buffer }>(
    (resolve, reject) => {
      httpRequest(url, { headers }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers as Record<string, string>,
            body: Buffer.concat(chunks),
          }),
        )
        res.on('error', reject)
      })
        .on('error', reject)
        .end()
    },
  )
}

describe('the portal served from its build', () => {
  let dir: string
  let server: ServerType
  let url: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'static-portal-'))
    await writeBuild(dir)
    const app = staticPortal(dir)
    server = await new Promise<ServerType>((resolve) => {
      const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
        resolve(started),
      )
    })
    const address = server.address()
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  })
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
    await rm(dir, { recursive: true, force: true })
  })

  it('sends a script Brotli-compressed to a browser that accepts it, cached for a year', async () => {
    const res = await get(`${url}/assets/index-AbCd1234.js`, {
      'Accept-Encoding': 'gzip, deflate, br, zstd',
    })
    expect(res.status).toBe(200)
    expect(res.headers['content-encoding']).toBe('br')
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(res.headers.vary).toBe('Accept-Encoding')
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(Number(res.headers['content-length'])).toBe(res.body.length)
    expect(res.body.length).toBeLessThan(SCRIPT.length / 4)
    expect(brotliDecompressSync(res.body).equals(SCRIPT)).toBe(true)
  })

  it('sends gzip to a browser without Brotli, and the file as it is to one that accepts neither', async () => {
    const gzipped = await get(`${url}/assets/index-AbCd1234.js`, { 'Accept-Encoding': 'gzip' })
    expect(gzipped.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gzipped.body).equals(SCRIPT)).toBe(true)
    for (const accept of [undefined, 'identity', 'br;q=0, gzip;q=0']) {
      const plain = await get(
        `${url}/assets/index-AbCd1234.js`,
        accept ? { 'Accept-Encoding': accept } : {},
      )
      expect(plain.headers['content-encoding']).toBeUndefined()
      expect(plain.headers.vary).toBe('Accept-Encoding')
      expect(Number(plain.headers['content-length'])).toBe(SCRIPT.length)
      expect(plain.body.equals(SCRIPT)).toBe(true)
    }
  })

  it('sends a file the build did not compress as it is, without Vary', async () => {
    const res = await get(`${url}/assets/tones-Xy12Zw34.js`, { 'Accept-Encoding': 'br, gzip' })
    expect(res.status).toBe(200)
    expect(res.headers['content-encoding']).toBeUndefined()
    expect(res.headers.vary).toBeUndefined()
    expect(res.body.toString()).toBe('export const t=1\n')
  })

  it('answers any page of the app with index.html, compressed and revalidated each time', async () => {
    for (const path of ['/', '/datasets/person-address-pa', '/index.html']) {
      const res = await get(`${url}${path}`, { 'Accept-Encoding': 'gzip, deflate, br' })
      expect(res.status).toBe(200)
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
      expect(res.headers['content-encoding']).toBe('br')
      expect(res.headers['cache-control']).toBe('no-cache')
      expect(brotliDecompressSync(res.body).equals(PAGE)).toBe(true)
    }
    const first = await get(`${url}/datasets/x`, { 'Accept-Encoding': 'br' })
    const again = await get(`${url}/datasets/x`, {
      'Accept-Encoding': 'br',
      'If-None-Match': first.headers.etag ?? '',
    })
    expect(again.status).toBe(304)
    expect(again.body.length).toBe(0)
  })

  it('answers 404 for an asset that is not in this build, and never reads outside it', async () => {
    const missing = await get(`${url}/assets/index-OldBuild.js`, { 'Accept-Encoding': 'br' })
    expect(missing.status).toBe(404)
    expect(missing.body.toString()).toBe('No such file in this build')
    const outside = await get(`${url}/assets/..%2f..%2f..%2fetc%2fpasswd`)
    expect(outside.status).toBe(404)
  })

  it('answers HEAD with the headers of the compressed file and no body', async () => {
    const res = await fetch(`${url}/assets/index-AbCd1234.js`, {
      method: 'HEAD',
      headers: { 'Accept-Encoding': 'br' },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-encoding')).toBe('br')
    expect(Number(res.headers.get('content-length'))).toBe(brotliCompressSync(SCRIPT).length)
  })
})

describe('choosing a content coding', () => {
  const both = ['identity', 'br', 'gzip'] as const
  it('prefers Brotli, follows q-values, and falls back to the file as it is', () => {
    expect(chooseCoding('gzip, deflate, br, zstd', both)).toBe('br')
    expect(chooseCoding('br;q=0.5, gzip', both)).toBe('gzip')
    expect(chooseCoding('BR', both)).toBe('br')
    expect(chooseCoding('*', both)).toBe('br')
    expect(chooseCoding('*, br;q=0', both)).toBe('gzip')
    expect(chooseCoding('gzip', ['identity', 'br'])).toBe('identity')
    expect(chooseCoding('deflate', both)).toBe('identity')
    expect(chooseCoding(null, both)).toBe('identity')
  })
})
