import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from './config.js'
import { ConfigError } from './errors.js'

// Made for each run, never a fixed value: a key printed anywhere is a key everyone knows.
const KEY = randomBytes(32).toString('base64')
const AUDIT_KEY = randomBytes(32).toString('base64')

/** The problems loadConfig names for an environment (none when it is accepted). */
function problemsOf(env: Readonly<Record<string, string | undefined>>): readonly string[] {
  try {
    loadConfig(env)
    return []
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
}

describe('loadConfig', () => {
  it('fills every key from its default in development mode', () => {
    const config = loadConfig({ DEV_SIGN_IN: 'true' })
    expect(config).toEqual({
      PORT: 8080,
      HOST: '127.0.0.1',
      DATA_DIR: resolve('./data'),
      DATABASE_URL: undefined,
      DATABASE_OWNER_URL: undefined,
      DATABASE_POOL_SIZE: 10,
      LOG_LEVEL: 'info',
      DUCKDB_THREADS: 2,
      DUCKDB_MEMORY_LIMIT: '4GB',
      QUERY_TIMEOUT_SECONDS: 30,
      QUERY_MEMORY_LIMIT: '512MB',
      QUERY_THREADS: 1,
      QUERY_MAX_ROWS: 10000,
      QUERY_MAX_STREAM_ROWS: 1000000,
      QUERY_MAX_JSON_BYTES: '16MB',
      QUERY_MAX_STREAM_BYTES: '4GB',
      QUERY_MAX_RUNNING: 4,
      QUERY_MAX_PER_USER: 2,
      QUERY_MAX_WAIT_SECONDS: 5,
      PSEUDONYM_KEY: undefined,
      AUDIT_KEY: undefined,
      AUDIT_CHECKPOINT_DIR: undefined,
      AUDIT_CHECKPOINT_SECONDS: 30,
      PUBLIC_URL: undefined,
      RATE_LIMIT_PER_MINUTE: 120,
      SIGN_IN_ATTEMPTS_PER_MINUTE: 10,
      OPEN_DATA_DOWNLOADS_PER_MINUTE: 30,
      TRUST_PROXY: 0,
      API_BODY_LIMIT_BYTES: '1MB',
      PROCESS_TIMEOUT_SECONDS: 30,
      SESSION_TTL_HOURS: 12,
      DEV_SIGN_IN: true,
      WEBHOOK_ALLOW_PRIVATE: false,
      OIDC_ISSUER: undefined,
      OIDC_CLIENT_ID: undefined,
      OIDC_CLIENT_SECRET: undefined,
      OIDC_AUDIENCE: undefined,
      SAMPLE_K: 5,
      SDC_MIN_COUNT: 10,
      SDC_DOMINANCE_P: 10,
      SEED_FIXTURES: true,
      FIXTURE_SEED: 42,
      FIXTURE_SCALE: 1,
    })
    expect(Object.isFrozen(config)).toBe(true)
  })

  it('parses the values it is given', () => {
    const config = loadConfig({
      PSEUDONYM_KEY: KEY,
      AUDIT_KEY,
      PORT: '9000',
      DATABASE_URL: 'postgresql://app:pw@db.internal:5432/portal',
      FIXTURE_SCALE: '0.2',
      LOG_LEVEL: 'debug',
    })
    expect(config.PORT).toBe(9000)
    expect(config.DATABASE_URL).toBe('postgresql://app:pw@db.internal:5432/portal')
    expect(config.FIXTURE_SCALE).toBe(0.2)
    expect(config.LOG_LEVEL).toBe('debug')
    expect(config.PSEUDONYM_KEY).toBe(KEY)
  })

  it('names every bad variable at once and never echoes a secret', () => {
    let error: unknown
    try {
      loadConfig({
        PORT: '80a',
        DATABASE_URL: 'mysql://root:hunter2@db/x',
        LOG_LEVEL: 'loud',
        FIXTURE_SCALE: '-1',
      })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    const problems = (error as ConfigError).problems
    expect(problems).toEqual([
      'PORT: must be a whole number between 1 and 65535 (got "80a")',
      'DATABASE_URL: must be a URL like postgres://user:password@host:5432/database',
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
      'FIXTURE_SCALE: must be a positive number such as 0.2, 1 or 200 (got "-1")',
      'PSEUDONYM_KEY: required outside development mode (DEV_SIGN_IN=true); generate one with openssl rand -base64 32',
      'AUDIT_KEY: required outside development mode (DEV_SIGN_IN=true); generate one with openssl rand -base64 32',
    ])
    expect((error as Error).message).not.toContain('hunter2')
    expect((error as Error).message.split('\n')[0]).toBe('Invalid configuration:')
  })

  it('needs the client credentials whenever an OIDC issuer is set', () => {
    expect(() =>
      loadConfig({ PSEUDONYM_KEY: KEY, AUDIT_KEY, OIDC_ISSUER: 'https://id.gov.example' }),
    ).toThrow('OIDC_ISSUER: needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET as well')
  })

  it('needs the application role of its own whenever an owner role is set', () => {
    expect(
      problemsOf({ DEV_SIGN_IN: 'true', DATABASE_OWNER_URL: 'postgres://owner:pw@db/portal' }),
    ).toEqual(["DATABASE_OWNER_URL: needs DATABASE_URL as well (the application's own role)"])
  })

  it('refuses a port outside the TCP range', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow('PORT: must be at most 65535 (got "70000")')
    expect(() => loadConfig({ PORT: '0' })).toThrow('PORT: must be at least 1 (got "0")')
  })
})

describe('loadConfig: the pseudonym and audit keys', () => {
  it('refuses to start without a pseudonym key or an audit key outside development mode', () => {
    for (const env of [{}, { PSEUDONYM_KEY: '', AUDIT_KEY: '' }, { DEV_SIGN_IN: 'false' }]) {
      expect(problemsOf(env)).toEqual([
        'PSEUDONYM_KEY: required outside development mode (DEV_SIGN_IN=true); generate one with openssl rand -base64 32',
        'AUDIT_KEY: required outside development mode (DEV_SIGN_IN=true); generate one with openssl rand -base64 32',
      ])
    }
    expect(problemsOf({ PSEUDONYM_KEY: KEY })).toEqual([
      'AUDIT_KEY: required outside development mode (DEV_SIGN_IN=true); generate one with openssl rand -base64 32',
    ])
    expect(problemsOf({ PSEUDONYM_KEY: KEY, AUDIT_KEY: 'not-random-enough' })).toEqual([
      'AUDIT_KEY: must hold at least 32 random bytes as base64 or hex, e.g. openssl rand -base64 32',
    ])
  })

  it('accepts a missing pseudonym key in development mode, where one is generated', () => {
    expect(loadConfig({ DEV_SIGN_IN: 'true' }).PSEUDONYM_KEY).toBeUndefined()
  })

  it('accepts a key of 32 random bytes or more, as base64, base64url or hex', () => {
    const bytes = randomBytes(48)
    for (const key of [
      KEY,
      bytes.toString('base64'),
      bytes.toString('base64url'),
      bytes.toString('hex'),
    ]) {
      expect(loadConfig({ PSEUDONYM_KEY: key, AUDIT_KEY }).PSEUDONYM_KEY).toBe(key)
    }
  })

  it('refuses weak or short pseudonym keys, in development mode too, without echoing them', () => {
    for (const weak of [
      'development-only-secret',
      'correct horse battery staple and more words',
      randomBytes(31).toString('base64'),
      randomBytes(16).toString('hex'),
    ]) {
      for (const env of [
        { PSEUDONYM_KEY: weak, AUDIT_KEY },
        { PSEUDONYM_KEY: weak, DEV_SIGN_IN: 'true' },
      ]) {
        const problems = problemsOf(env)
        expect(problems).toEqual([
          'PSEUDONYM_KEY: must hold at least 32 random bytes as base64 or hex, e.g. openssl rand -base64 32',
        ])
        expect(problems.join('\n')).not.toContain(weak)
      }
    }
  })

  it('never echoes a valid pseudonym key next to other problems', () => {
    const problems = problemsOf({ PSEUDONYM_KEY: KEY, AUDIT_KEY, PORT: 'eighty' })
    expect(problems).toEqual(['PORT: must be a whole number between 1 and 65535 (got "eighty")'])
    expect(problems.join('\n')).not.toContain(KEY)
  })
})
