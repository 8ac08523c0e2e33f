import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

/** The portal's budget for JavaScript a first visit downloads before anything can be used. */
export const INITIAL_JS_BUDGET_BYTES = 250 * 1024

interface ManifestChunk {
  file: string
  isEntry?: boolean
  imports?: string[]
  dynamicImports?: string[]
  css?: string[]
}

export interface ChunkSize {
  file: string
  bytes: number
  gzipBytes: number
}

export interface BundleReport {
  /** What the entry and its static imports weigh: what a browser fetches before the first page. */
  initialJs: ChunkSize[]
  initialJsGzipBytes: number
  initialCssGzipBytes: number
  /** Every chunk loaded later, on the route or part that needs it. */
  lazyJs: ChunkSize[]
}

/**
 * Reads the built portal's Vite manifest and weighs, gzipped as a server would send them, the
 * chunks a first visit needs (the entry and everything it imports statically) and the rest.
 */
export async function measureBundle(distDir: string): Promise<BundleReport> {
  const manifest = JSON.parse(
    await readFile(join(distDir, '.vite', 'manifest.json'), 'utf8'),
  ) as Record<string, ManifestChunk>
  const size = async (file: string): Promise<ChunkSize> => {
    const bytes = await readFile(join(distDir, file))
    return { file, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length }
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
  const lazyJs = (await Promise.all(lazyFiles.map(size))).sort((a, b) => b.gzipBytes - a.gzipBytes)
  const sum = (chunks: ChunkSize[]) => chunks.reduce((total, c) => total + c.gzipBytes, 0)
  return {
    initialJs,
    initialJsGzipBytes: sum(initialJs),
    initialCssGzipBytes: sum(initialCss),
    lazyJs,
  }
}
