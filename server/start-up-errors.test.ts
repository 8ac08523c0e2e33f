import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** Runs `tsx server/main.ts …` as `npm start` would, and collects what it prints. */
function runMain(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'server', 'main.ts'), ...args],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', ...env },
      },
    )
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      stdout += chunk
    })
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('start-up errors', () => {
  it('names every bad variable and stops before touching anything', async () => {
    const result = await runMain(['start'], {
      PORT: 'eighty',
      DATABASE_URL: 'mysql://root:hunter2@db/portal',
      DATA_DIR: '/nonexistent/should-not-be-created',
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      [
        'Invalid configuration:',
        '  - PORT: must be a whole number between 1 and 65535 (got "eighty")',
        '  - DATABASE_URL: must be a URL like postgres://user:password@host:5432/database',
        '  - PSEUDONYM_KEY: required outside development mode (DEV_SIGN_IN=true); generate one with openssl rand -base64 32',
        '  - AUDIT_KEY: required outside development mode (DEV_SIGN_IN=true); generate one with openssl rand -base64 32',
        '',
      ].join('\n'),
    )
    expect(result.stdout).toBe('')
  })

  it('says which PostgreSQL it could not reach, without its password', async () => {
    const key = randomBytes(32).toString('base64')
    const result = await runMain(['start'], {
      DATABASE_URL: 'postgres://portal:hunter2@127.0.0.1:9/portal',
      PSEUDONYM_KEY: key,
      AUDIT_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'silent',
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(
      /^Cannot connect to PostgreSQL at postgres:\/\/portal:\*\*\*@127\.0\.0\.1:9\/portal: .*ECONNREFUSED/,
    )
    expect(result.stderr).not.toContain('hunter2')
    expect(result.stderr).not.toContain(key)
  })

  it('never echoes a pseudonym key it refuses', async () => {
    const weak = 'my-short-pseudonym-key'
    const result = await runMain(['start'], {
      PSEUDONYM_KEY: weak,
      AUDIT_KEY: randomBytes(32).toString('base64'),
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      [
        'Invalid configuration:',
        '  - PSEUDONYM_KEY: must hold at least 32 random bytes as base64 or hex, e.g. openssl rand -base64 32',
        '',
      ].join('\n'),
    )
  })
})
