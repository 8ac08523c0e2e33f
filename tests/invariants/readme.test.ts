import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CONFIG_KEYS } from '../../core/index.js'
import { withRouteTable } from './readme-routes.js'

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')

describe('README', () => {
  it('documents every configuration key with its default and help', () => {
    const documented = new Map(
      [...readme.matchAll(/^\|\s*`([A-Z_]+)`\s*\|\s*(.+?)\s*\|\s*(.+?)\s*\|$/gm)].map((m) => [
        m[1],
        { value: m[2], help: m[3] },
      ]),
    )
    for (const [name, key] of Object.entries(CONFIG_KEYS)) {
      expect(documented.get(name), name).toEqual({
        value: key.default === undefined ? 'unset' : `\`${key.default}\``,
        help: key.help,
      })
    }
    expect([...documented.keys()].sort()).toEqual(Object.keys(CONFIG_KEYS).sort())
  })

  it('gives the two quickstart commands that CI runs', () => {
    expect(readme).toContain('npm ci && npm start')
    expect(readme).toMatch(/^npm test /m)
    expect(readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8')).toContain('npm test')
  })

  it('lists every route as its declaration says it (npm run docs writes the table)', () => {
    expect(readme).toEqual(withRouteTable(readme))
  })
})
