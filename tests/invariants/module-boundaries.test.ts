import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
interface Import {
  from: string
  to: string
  typeOnly: boolean
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (name === 'node_modules' || name === 'dist') return []
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(name) ? [path] : []
  })
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g

function resolveSpecifier(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined
  const base = resolve(dirname(file), specifier)
  const candidates = [
    base,
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.js$/, '.tsx'),
    join(base, 'index.ts'),
  ]
  return candidates.find((c) => {
    try {
      return statSync(c).isFile()
    } catch {
      return false
    }
  })
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8')
  const found: Import[] = []
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[2] ?? match[3]
    if (!specifier) continue
    const to = resolveSpecifier(file, specifier)
    if (specifier.startsWith('.') && !to)
      throw new Error(`${relative(ROOT, file)} imports '${specifier}', which does not exist`)
    if (to) found.push({ from: file, to, typeOnly: Boolean(match[1]) })
  }
  return found
}

const ARROWS = allowedArrows()
const MODULES = [...ARROWS.keys()]

const moduleOf = (file: string) => relative(ROOT, file).split(sep)[0] ?? ''
/** A test kit (`*-test-kit.ts`) holds setup several test files share: it is test code too. */
const isTestKit = (file: string) => /-test-kit\.tsx?$/.test(file)
const isTest = (file: string) => /\.test\.tsx?$/.test(file) || isTestKit(file)
const files = MODULES.flatMap((m) => sourceFiles(join(ROOT, m)))
const imports = files.flatMap(importsOf)

/** The allowed arrows, read from the module table of the README so the two never disagree. */
function allowedArrows(): Map<string, Set<string>> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('## Modules'))
  const arrows = new Map<string, Set<string>>()
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim())
    const name = /^`([a-z-]+)`$/.exec(cells[1] ?? '')?.[1]
    if (!name || !existsSync(join(ROOT, name))) continue
    arrows.set(
      name,
      new Set([...(cells[3] ?? '').matchAll(/`([a-z-]+)`/g)].map((m) => m[1] as string)),
    )
  }
  return arrows
}

describe('module boundaries', () => {
  it('finds the source files and the README module table', () => {
    expect(files.length).toBeGreaterThan(40)
    expect(MODULES).toEqual([
      'text',
      'keys',
      'core',
      'routing',
      'reference',
      'identity',
      'audit',
      'fixtures',
      'disclosure',
      'lineage',
      'catalog',
      'notifications',
      'access',
      'trusted-centre',
      'query-service',
      'kpi',
      'server',
      'testing',
      'bench',
      'tests',
      'portal',
    ])
  })

  it('crosses into another module only through its index.ts', () => {
    const reaching = imports
      .filter((i) => moduleOf(i.from) !== moduleOf(i.to))
      .filter((i) => relative(ROOT, i.to) !== join(moduleOf(i.to), 'index.ts'))
      .map((i) => `${relative(ROOT, i.from)} -> ${relative(ROOT, i.to)}`)
    expect(reaching).toEqual([])
  })

  it('never imports its own index.ts from inside the module', () => {
    const inward = imports
      .filter(
        (i) =>
          moduleOf(i.from) === moduleOf(i.to) && i.to === join(ROOT, moduleOf(i.to), 'index.ts'),
      )
      .map((i) => relative(ROOT, i.from))
    expect(inward).toEqual([])
  })

  it('follows the arrows of the README table (tests may also use fixtures and testing)', () => {
    const arrows = ARROWS
    const wrong = imports
      .filter((i) => moduleOf(i.from) !== moduleOf(i.to))
      .filter((i) => !(isTest(i.from) && ['fixtures', 'testing'].includes(moduleOf(i.to))))
      .filter((i) => !arrows.get(moduleOf(i.from))?.has(moduleOf(i.to)))
      .map((i) => `${relative(ROOT, i.from)} -> ${moduleOf(i.to)}`)
    expect(wrong).toEqual([])
  })

  it('keeps test kits to tests: no product file imports one', () => {
    const product = imports
      .filter((i) => isTestKit(i.to) && !isTest(i.from))
      .map((i) => `${relative(ROOT, i.from)} -> ${relative(ROOT, i.to)}`)
    expect(product).toEqual([])
  })

  it('lets the portal see the server only as types', () => {
    const runtime = imports
      .filter(
        (i) => moduleOf(i.from) === 'portal' && moduleOf(i.to) === 'server' && !isTest(i.from),
      )
      .filter((i) => !i.typeOnly)
      .map((i) => relative(ROOT, i.from))
    expect(runtime).toEqual([])
  })

  it('keeps portal features apart: app/ composes them', () => {
    const featureOf = (file: string) =>
      /portal\/src\/features\/([^/]+)\//.exec(relative(ROOT, file))?.[1]
    const crossing = imports
      .filter((i) => featureOf(i.from) && featureOf(i.to) && featureOf(i.from) !== featureOf(i.to))
      .map((i) => `${relative(ROOT, i.from)} -> ${relative(ROOT, i.to)}`)
    expect(crossing).toEqual([])
  })

  it('has no import cycles between files', () => {
    const graph = new Map<string, string[]>()
    for (const i of imports.filter((x) => !isTest(x.from)))
      graph.set(i.from, [...(graph.get(i.from) ?? []), i.to])
    const state = new Map<string, 'visiting' | 'done'>()
    const cycles: string[] = []
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return
      if (state.get(file) === 'visiting') {
        cycles.push(
          [...path.slice(path.indexOf(file)), file].map((f) => relative(ROOT, f)).join(' -> '),
        )
        return
      }
      state.set(file, 'visiting')
      for (const next of graph.get(file) ?? []) visit(next, [...path, file])
      state.set(file, 'done')
    }
    for (const file of graph.keys()) visit(file, [])
    expect(cycles).toEqual([])
  })
})
