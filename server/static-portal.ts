import { createReadStream, existsSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { join, normalize, sep } from 'node:path'
import { Readable } from 'node:stream'
import { Hono } from 'hono'
import { getMimeType } from 'hono/utils/mime'
import type { RouteEnv } from '../identity/index.js'
import { type ContentCoding, chooseCoding } from './content-coding.js'

/** Vite puts a content hash in every asset's name, so an asset never changes. */
const IMMUTABLE = 'public, max-age=31536000, immutable'
/** The page itself is checked every time: it names the assets of the current build. */
const REVALIDATE = 'no-cache'
/** What the build wrote beside a file, compressed, per content coding (portal/vite.config.ts). */
const SUFFIX: Record<Exclude<ContentCoding, 'identity'>, string> = { br: '.br', gzip: '.gz' }

/**
 * Serves the built portal: its files, and `index.html` for any other path so that client-side
 * routes (e.g. /datasets/<slug>) load on refresh. Each file goes out as the build precompressed
 * it, Brotli or gzip as the browser accepts (`Vary: Accept-Encoding`), the hashed assets cached
 * for a year and the page revalidated each time (an ETag answers 304 when unchanged).
 */
export function staticPortal(directory: string) {
  const app = new Hono<RouteEnv>()
  const index = join(directory, 'index.html')
  if (!existsSync(index)) {
    return app.get('*', (c) =>
      c.text(
        'The portal is not built yet: run `npm run build:portal` (npm start does it for you).',
        503,
      ),
    )
  }
  const root = normalize(directory + sep)
  return app.on(['GET', 'HEAD'], '*', async (c) => {
    const file = await fileOf(root, c.req.path)
    if (file)
      return send(c.req.raw, file, c.req.path.startsWith('/assets/') ? IMMUTABLE : REVALIDATE)
    // A hashed asset that is not there is an old build's: an HTML page in its place would only
    // fail later, as a script of the wrong type.
    if (c.req.path.startsWith('/assets/')) return c.text('No such file in this build', 404)
    return send(c.req.raw, index, REVALIDATE)
  })
}

/** The file a path names inside the build, if there is one (never outside it). */
async function fileOf(root: string, path: string): Promise<string | undefined> {
  let decoded: string
  try {
    decoded = decodeURIComponent(path)
  } catch {
    return undefined
  }
  if (decoded.includes('\0')) return undefined
  const file = normalize(join(root, decoded))
  if (!file.startsWith(root)) return undefined
  const found = await stat(file).catch(() => undefined)
  return found?.isFile() ? file : undefined
}

/** One file, in the best coding the request accepts that the build made for it. */
async function send(request: Request, file: string, cacheControl: string): Promise<Response> {
  const type = getMimeType(file) ?? 'application/octet-stream'
  const variants = await variantsOf(file)
  const coding = chooseCoding(
    request.headers.get('accept-encoding'),
    variants.map((v) => v.coding),
  )
  const chosen = variants.find((v) => v.coding === coding) ?? variants[0]
  if (!chosen) return new Response('No such file in this build', { status: 404 })
  const etag = `"${chosen.size.toString(36)}-${Math.floor(chosen.mtimeMs).toString(36)}${coding === 'identity' ? '' : `-${coding}`}"`
  const headers = new Headers({
    'Content-Type': type,
    'Cache-Control': cacheControl,
    ETag: etag,
    'Last-Modified': new Date(chosen.mtimeMs).toUTCString(),
  })
  // Caches keep one copy per coding whenever there is more than one to choose from.
  if (variants.length > 1) headers.set('Vary', 'Accept-Encoding')
  if (coding !== 'identity') headers.set('Content-Encoding', coding)
  if (request.headers.get('if-none-match') === etag)
    return new Response(null, { status: 304, headers })
  headers.set('Content-Length', String(chosen.size))
  if (request.method === 'HEAD') return new Response(null, { status: 200, headers })
  const body = Readable.toWeb(createReadStream(chosen.path)) as ReadableStream<Uint8Array>
  return new Response(body, { status: 200, headers })
}

interface Variant {
  coding: ContentCoding
  path: string
  size: number
  mtimeMs: number
}

/** The file as it is, then each compressed copy the build wrote beside it. */
async function variantsOf(file: string): Promise<Variant[]> {
  const candidates: [ContentCoding, string][] = [
    ['identity', file],
    ['br', file + SUFFIX.br],
    ['gzip', file + SUFFIX.gzip],
  ]
  const found = await Promise.all(
    candidates.map(async ([coding, path]) => {
      const s = await stat(path).catch(() => undefined)
      return s?.isFile() ? { coding, path, size: s.size, mtimeMs: s.mtimeMs } : undefined
    }),
  )
  return found.filter((v): v is Variant => v !== undefined)
}
