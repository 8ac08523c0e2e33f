import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { INITIAL_JS_BUDGET_BYTES, measureBundle } from '../../bench/index.js'

const dist = join(import.meta.dirname, '..', '..', 'portal', 'dist')

describe('the built portal', () => {
  it('keeps the JavaScript of a first visit within its budget and splits pages into chunks', async () => {
    if (!existsSync(join(dist, '.vite', 'manifest.json'))) {
      throw new Error('The portal is not built: run `npm run build:portal` (npm test does) first')
    }
    const report = await measureBundle(dist)
    expect(report.initialJsGzipBytes).toBeGreaterThan(0)
    expect(report.initialJsGzipBytes).toBeLessThanOrEqual(INITIAL_JS_BUDGET_BYTES)
    // Route-level splitting: the heavy pages are not in what the first visit downloads.
    const initialNames = report.initialJs.map((c) => c.file).join(' ')
    for (const page of ['workbench-page', 'lineage-explorer', 'kpi-page', 'request-page']) {
      expect(initialNames).not.toContain(page)
      expect(report.lazyJs.some((c) => c.file.includes(page))).toBe(true)
    }
  })
})
