import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { delimiter, dirname, extname, join, relative, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/**
 * The worker's entry beside this file. Some test runners (the portal's jsdom) give modules a
 * root-relative URL; then it is found under the working directory, the project's root.
 */
const WORKER_FILE = ((here) =>
  [here, join(process.cwd(), relative(sep, here))]
    .map((path) => join(dirname(path), `query-worker${extname(path)}`))
    .find((path) => existsSync(path)) ?? join(dirname(here), `query-worker${extname(here)}`))(
  fileURLToPath(import.meta.url),
)

/** The command that starts a worker: under prlimit where there is one, through tsx for .ts. */
export function workerCommand(caps: { memoryCapBytes: number; fileCapBytes: number }): {
  file: string
  args: string[]
  capped: boolean
} {
  const node = [
    // V8's own heap stays well inside the OS cap, so running out of it is an orderly crash.
    '--max-old-space-size=256',
    ...(WORKER_FILE.endsWith('.ts')
      ? ['--import', pathToFileURL(createRequire(WORKER_FILE).resolve('tsx')).href]
      : []),
    WORKER_FILE,
  ]
  const prlimit = findExecutable('prlimit')
  if (!prlimit) return { file: process.execPath, args: node, capped: false }
  return {
    file: prlimit,
    args: [
      `--data=${Math.round(caps.memoryCapBytes)}`,
      `--fsize=${Math.round(caps.fileCapBytes)}`,
      '--',
      process.execPath,
      ...node,
    ],
    capped: true,
  }
}

function findExecutable(name: string): string | undefined {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, name))
    .find((path) => existsSync(path))
}
