import { randomBytes } from 'node:crypto'
import { DuckDBInstance } from '@duckdb/node-api'
import { describe, expect, it } from 'vitest'
import {
  bindHmacKey,
  derivePseudonymKeys,
  grantPseudonymScope,
  hmacHex,
  hmacSql,
  keyFingerprint,
} from './pseudonyms.js'
import { parseSecretKey } from './secret-key.js'

describe('pseudonyms', () => {
  const secret = randomBytes(32)
  const keys = derivePseudonymKeys(secret)

  it('accepts a secret of at least 32 bytes as base64 or hex, nothing weaker', () => {
    expect(parseSecretKey(secret.toString('base64'))).toEqual(secret)
    expect(parseSecretKey(secret.toString('hex'))).toEqual(secret)
    expect(parseSecretKey(secret.toString('base64url'))).toEqual(secret)
    expect(parseSecretKey(randomBytes(31).toString('base64'))).toBeUndefined()
    expect(parseSecretKey('a-readable-pseudonym-phrase')).toBeUndefined()
    expect(parseSecretKey('correct horse battery staple and more words')).toBeUndefined()
    // Long enough, but plainly not random.
    for (const weak of [
      '0'.repeat(64),
      'ab'.repeat(32),
      'passwordpasswordpasswordpasswordpasswordpass',
      'changemechangemechangemechangemechangemeAAAA',
      Buffer.alloc(32, 7).toString('base64'),
    ])
      expect(parseSecretKey(weak), weak).toBeUndefined()
    // Random keys are never refused, even one that happens to begin with a short repeat.
    expect(parseSecretKey(`aaaa${randomBytes(32).toString('base64').slice(4)}`)).toBeDefined()
    for (let i = 0; i < 200; i++)
      expect(parseSecretKey(randomBytes(32).toString('base64'))).toBeDefined()
  })

  it('gives every scope a key of its own, stable for the same secret', () => {
    const scopes = ['person', 'sample', 'project:a', 'project:b', 'grant:g_1'] as const
    const hex = scopes.map((s) => keys.keyOf(s).toString('hex'))
    expect(new Set(hex).size).toBe(scopes.length)
    expect(derivePseudonymKeys(secret).keyOf('project:a')).toEqual(keys.keyOf('project:a'))
    expect(derivePseudonymKeys(randomBytes(32)).keyOf('project:a')).not.toEqual(
      keys.keyOf('project:a'),
    )
    expect(keys.keyOf('person').includes(secret)).toBe(false)
    expect(keyFingerprint(keys.keyOf('sample'))).toMatch(/^[0-9a-f]{12}$/)
  })

  it('names a grantee’s project the same whatever its case and spacing, and a grant without one by itself', () => {
    const grant = { id: 'g_1', granteeId: 'u_1' }
    expect(grantPseudonymScope({ ...grant, project: '  Polyclinic   Capacity ' })).toBe(
      'project:u_1/polyclinic capacity',
    )
    expect(grantPseudonymScope({ ...grant, project: undefined })).toBe('grant:g_1')
    expect(grantPseudonymScope({ ...grant, project: '   ' })).toBe('grant:g_1')
    // The same name written by someone else is their project, not this one.
    expect(
      grantPseudonymScope({ id: 'g_2', granteeId: 'u_2', project: 'Polyclinic capacity' }),
    ).toBe('project:u_2/polyclinic capacity')
  })

  it('computes HMAC-SHA-256 in DuckDB exactly as Node does, without the key in the SQL', async () => {
    const connection = await (await DuckDBInstance.create(':memory:')).connect()
    const key = keys.keyOf('project:a')
    await bindHmacKey(connection, 'project_key', key)
    const text = hmacSql('project_key', 'v')
    expect(text).not.toContain(key.toString('hex'))
    const reader = await connection.runAndReadAll(
      `SELECT v, ${text} FROM (VALUES ('S1234567D'), ('ünïcode'), (''), (NULL)) t(v)`,
    )
    for (const [value, mac] of reader.getRows())
      expect(mac).toBe(value === null ? null : hmacHex(key, String(value)))
    connection.closeSync()
  })
})
