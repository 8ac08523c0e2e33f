import { existsSync } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { INITIAL_JS_BUDGET_BYTES, measureBundle } from '../../bench/index.js'

const dist = join(import.meta.dirname, '..', '..', 'portal', 'dist')

describe('the built portal', () => {
  it('keeps the JavaScript a first visit transfers within its budget and splits pages into chunks', async () => {
    if (!existsSync(join(dist, '.vite', 'manifest.json'))) {
      throw new Error('The portal is not built: run `npm run build:portal` (npm test does) first')
    }
    const report = await measureBundle(dist)
    // Measured as the server sends it to a browser: every initial file precompressed, Brotli.
    expect(report.initialJs.map((c) => c.encoding)).toEqual(report.initialJs.map(() => 'br'))
    expect(report.initialCss.map((c) => c.encoding)).toEqual(report.initialCss.map(() => 'br'))
    expect(report.initialJsSentBytes).toBeGreaterThan(0)
    expect(report.initialJsSentBytes).toBeLessThan(report.initialJsBytes / 2)
    expect(report.initialJsSentBytes).toBeLessThanOrEqual(INITIAL_JS_BUDGET_BYTES)
    // Route-level splitting: the heavy pages are not in what the first visit downloads.
    const initialNames = report.initialJs.map((c) => c.file).join(' ')
    for (const page of ['workbench-page', 'lineage-explorer', 'kpi-page', 'request-page']) {
      expect(initialNames).not.toContain(page)
      expect(report.lazyJs.some((c) => c.file.includes(page))).toBe(true)
    }
  })

  it('has a Brotli and a gzip copy of every script, style sheet and page the build wrote', async () => {
    const files = await readdir(dist, { recursive: true })
    // A file of a few hundred bytes compresses to no less: the build keeps no copy of it.
    const large = await Promise.all(
      files
        .filter((f) => /\.(?:js|css|html)$/.test(f))
        .map(async (f) => ((await stat(join(dist, f))).size > 512 ? f : undefined)),
    )
    const text = large.filter((f) => f !== undefined)
    expect(text.length).toBeGreaterThan(10)
    const present = new Set(files)
    expect(text.filter((f) => !present.has(`${f}.br`) || !present.has(`${f}.gz`))).toEqual([])
  })
})
