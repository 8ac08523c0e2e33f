import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../core/index.js'
import { auditKeyOf, pseudonymSecretOf, secretPath } from './secret-keys.js'

const KINDS = [
  {
    name: 'the pseudonym secret',
    setting: 'PSEUDONYM_KEY',
    file: 'pseudonym-key',
    secretOf: pseudonymSecretOf,
    ifReplaced: 'a new key changes every pseudonym',
  },
  {
    name: 'the audit key',
    setting: 'AUDIT_KEY',
    file: 'audit-key',
    secretOf: auditKeyOf,
    ifReplaced: 'entries written with the old key no longer verify',
  },
] as const

describe.each(KINDS)('$name', ({ setting, file: fileName, secretOf, ifReplaced }) => {
  let dataDir: string
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pseudonym-secret-'))
  })
  afterEach(() => rm(dataDir, { recursive: true, force: true }))

  const development = () => loadConfig({ DATA_DIR: dataDir, DEV_SIGN_IN: 'true' })

  it('is generated on first start in development, kept in a file only its owner can read', async () => {
    const secret = await secretOf(development())
    expect(secret).toHaveLength(32)
    const file = secretPath(dataDir, fileName)
    expect(file).toBe(join(dataDir, 'secrets', fileName))
    expect((await stat(join(dataDir, 'secrets'))).mode & 0o777).toBe(0o700)
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect(await readFile(file, 'utf8')).toBe(`${secret.toString('base64')}\n`)
  })

  it('is the same key on every later start', async () => {
    const first = await secretOf(development())
    const second = await secretOf(development())
    expect(second.equals(first)).toBe(true)
  })

  it('is one key for replicas starting at once on an empty data directory', async () => {
    const secrets = await Promise.all(Array.from({ length: 8 }, () => secretOf(development())))
    const file = Buffer.from(
      (await readFile(secretPath(dataDir, fileName), 'utf8')).trim(),
      'base64',
    )
    for (const secret of secrets) expect(secret.equals(file)).toBe(true)
  })

  it('waits for a key file another replica is still writing', async () => {
    await mkdir(join(dataDir, 'secrets'), { mode: 0o700 })
    const file = secretPath(dataDir, fileName)
    await writeFile(file, '', { mode: 0o600 })
    const key = randomBytes(32).toString('base64')
    setTimeout(() => void writeFile(file, key), 150)
    expect((await secretOf(development())).toString('base64')).toBe(key)
  })

  it('names a key file that stays empty or invalid, without showing what it holds', async () => {
    await mkdir(join(dataDir, 'secrets'), { mode: 0o700 })
    const file = secretPath(dataDir, fileName)
    await writeFile(file, 'not-a-key', { mode: 0o600 })
    const error = await secretOf(development()).then(
      () => undefined,
      (e: unknown) => e as Error,
    )
    expect(error?.message).toBe(
      `${file} holds no valid key (at least 32 bytes as base64 or hex). Restore it from a backup, or set ${setting}; ${ifReplaced}.`,
    )
    expect(await readFile(file, 'utf8')).toBe('not-a-key')
  })

  it('is the configured key when one is set, and then no file is written', async () => {
    const key = randomBytes(32)
    for (const devSignIn of ['true', 'false']) {
      const config = loadConfig({
        DATA_DIR: dataDir,
        DEV_SIGN_IN: devSignIn,
        PSEUDONYM_KEY: key.toString('base64'),
        AUDIT_KEY: key.toString('base64'),
      })
      expect((await secretOf(config)).equals(key)).toBe(true)
    }
    expect(await readdir(dataDir)).toEqual([])
  })

  it('is refused by the configuration outside development mode when none is set', async () => {
    expect(() => loadConfig({ DATA_DIR: dataDir })).toThrow(
      `${setting}: required outside development mode (DEV_SIGN_IN=true); generate one with openssl rand -base64 32`,
    )
    await expect(
      secretOf({
        DATA_DIR: dataDir,
        DEV_SIGN_IN: false,
        PSEUDONYM_KEY: undefined,
        AUDIT_KEY: undefined,
      }),
    ).rejects.toThrow(`${setting} is required outside development mode (DEV_SIGN_IN=true)`)
    expect(await readdir(dataDir)).toEqual([])
  })
})
