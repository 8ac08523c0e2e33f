import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApiDocument } from '../../server/index.js'

const ROOT = join(import.meta.dirname, '..', '..')
const GENERATOR = join(
  ROOT,
  'tools',
  'openapi-client',
  'node_modules',
  '.bin',
  'openapi-typescript',
)
const TSC = join(ROOT, 'node_modules', '.bin', 'tsc')

/** What a script author writes against the generated client: every answer has a type. */
// (`${'import'}` so that the boundary test does not read this text as an import of ours.)
const USAGE = `
${'import'} type { paths } from './client.js'
type Answer<P extends keyof paths, M extends 'get' | 'post', S extends number> =
  paths[P][M] extends { responses: Record<S, { content: { 'application/json': infer J } }> } ? J : never
type Kpi = Answer<'/api/kpis/{number}', 'get', 200>
export const number: number = ({} as Kpi).data.number
export const wording: string = ({} as Kpi).data.wording
type Health = Answer<'/api/health', 'get', 200>
export const up: 'ok' = ({} as Health).data.status
type Refusal = Answer<'/api/kpis/recompute', 'post', 403>
export const code: string = ({} as Refusal).error.code
// @ts-expect-error an answer's fields are typed, not unknown
export const wrong: boolean = ({} as Kpi).data.wording
`

describe('a client generated from the OpenAPI document by openapi-typescript', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'openapi-client-'))
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it('compiles, with a type for every answer', async () => {
    expect(
      existsSync(GENERATOR),
      'tools/openapi-client is not installed: npm ci installs it (postinstall), or run npm ci --prefix tools/openapi-client',
    ).toBe(true)
    await writeFile(join(dir, 'openapi.json'), JSON.stringify(openApiDocument('http://localhost')))
    execFileSync(GENERATOR, [join(dir, 'openapi.json'), '-o', join(dir, 'client.ts')], {
      stdio: 'pipe',
    })
    await writeFile(join(dir, 'usage.ts'), USAGE)
    const compile = () =>
      execFileSync(
        TSC,
        [
          '--noEmit',
          '--strict',
          '--module',
          'nodenext',
          '--target',
          'es2023',
          '--skipLibCheck',
          join(dir, 'usage.ts'),
        ],
        { cwd: dir, stdio: 'pipe', encoding: 'utf8' },
      )
    expect(compile).not.toThrow()
  })
})
