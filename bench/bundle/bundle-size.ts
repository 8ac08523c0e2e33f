import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { staticPortal } from '../../server/index.js'

/** The portal's budget for JavaScript a first visit transfers before anything can be used. */
export const INITIAL_JS_BUDGET_BYTES = 250 * 1024

/** What Chromium asks for: the server answers each file in the best coding it has of these. */
export const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br, zstd'

interface ManifestChunk {
  file: string
  isEntry?: boolean
  imports?: string[]
  dynamicImports?: string[]
  css?: string[]
}

export interface ChunkSize {
  file: string
  /** The file as built. */
  bytes: number
  /** The file gzipped at level 9: what it would weigh if compressed on the fly. */
  gzipBytes: number
  /** What the portal's server sends for it to a browser (body bytes, in its Content-Encoding). */
  sentBytes: number
  /** The Content-Encoding it was sent in (`identity` when none). */
  encoding: string
}

export interface BundleReport {
  /** What the entry and its static imports weigh: what a browser fetches before the first page. */
  initialJs: ChunkSize[]
  /** The initial JavaScript as transferred: the budget's measure. */
  initialJsSentBytes: number
  /** The initial JavaScript as built, before any compression. */
  initialJsBytes: number
  initialCss: ChunkSize[]
  initialCssSentBytes: number
  /** Every chunk loaded later, on the route or part that needs it, largest (as sent) first. */
  lazyJs: ChunkSize[]
}

/**
 * Reads the built portal's Vite manifest and weighs the chunks a first visit needs (the entry
 * and everything it imports statically) and the rest, as the portal's own server sends them to
 * a browser (precompressed, server/static-portal.ts): the bytes a first visit transfers.
 */
export async function measureBundle(distDir: string): Promise<BundleReport> {
  const manifest = JSON.parse(
    await readFile(join(distDir, '.vite', 'manifest.json'), 'utf8'),
  ) as Record<string, ManifestChunk>
  const server = staticPortal(distDir)
  const size = async (file: string): Promise<ChunkSize> => {
    const bytes = await readFile(join(distDir, file))
    const res = await server.request(`/${file}`, {
      headers: { 'Accept-Encoding': BROWSER_ACCEPT_ENCODING },
    })
    if (res.status !== 200) throw new Error(`The server answered ${res.status} for /${file}`)
    return {
      file,
      bytes: bytes.length,
      gzipBytes: gzipSync(bytes, { level: 9 }).length,
      sentBytes: (await res.arrayBuffer()).byteLength,
      encoding: res.headers.get('content-encoding') ?? 'identity',
    }
  }
  const entry = Object.entries(manifest).find(([, chunk]) => chunk.isEntry)
  if (!entry) throw new Error(`No entry chunk in ${distDir}/.vite/manifest.json`)
  const initial = new Set<string>()
  const visit = (key: string) => {
    if (initial.has(key)) return
    initial.add(key)
    for (const next of manifest[key]?.imports ?? []) visit(next)
  }
  visit(entry[0])
  const initialJs = await Promise.all([...initial].map((key) => size(manifest[key]?.file ?? key)))
  const css = [...new Set([...initial].flatMap((key) => manifest[key]?.css ?? []))]
  const initialCss = await Promise.all(css.map(size))
  const lazyFiles = [
    ...new Set(
      Object.entries(manifest)
        .filter(([key, chunk]) => !initial.has(key) && chunk.file.endsWith('.js'))
        .map(([, chunk]) => chunk.file),
    ),
  ]
  const lazyJs = (await Promise.all(lazyFiles.map(size))).sort((a, b) => b.sentBytes - a.sentBytes)
  const sum = (chunks: ChunkSize[], of: (c: ChunkSize) => number) =>
    chunks.reduce((total, c) => total + of(c), 0)
  return {
    initialJs,
    initialJsSentBytes: sum(initialJs, (c) => c.sentBytes),
    initialJsBytes: sum(initialJs, (c) => c.bytes),
    initialCss,
    initialCssSentBytes: sum(initialCss, (c) => c.sentBytes),
    lazyJs,
  }
}
