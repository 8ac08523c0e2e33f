import { createHash, createHmac, hkdfSync } from 'node:crypto'
import type { DuckDBConnection } from '@duckdb/node-api'
import { SECRET_KEY_BYTES } from './secret-key.js'

/**
 * Who a set of pseudonyms belongs to. Each scope has a key of its own, so pseudonyms of one scope
 * cannot be joined with another's: `person` keys the Trusted Centres' `person_key`, `sample` the
 * direct identifiers of open data, `sample:<dataset>/v<N>` those of one sample (so no two samples,
 * nor two versions' samples, join on them), `project:<grantee>/<name>` those of every grant one person
 * holds for one project (they keep one pseudonym per person across its datasets and versions),
 * `grant:<id>` those of a grant whose request names no project.
 */
export type PseudonymScope =
  | 'person'
  | 'sample'
  | `sample:${string}`
  | `project:${string}`
  | `grant:${string}`

/** The scope of one version's sample. */
export const samplePseudonymScope = (slug: string, version: number): PseudonymScope =>
  `sample:${slug}/v${version}`

/**
 * The scope of a grant's pseudonyms: the project its request names (case and spacing aside) as
 * that grantee's, or the grant itself. A project name is free text that anyone may write, so it
 * never reaches across people: naming someone else's project links nothing with theirs.
 */
export function grantPseudonymScope(grant: {
  id: string
  granteeId: string
  project: string | undefined
}): PseudonymScope {
  const name = grant.project?.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase()
  return name ? `project:${grant.granteeId}/${name}` : `grant:${grant.id}`
}

/**
 * Keys of each pseudonym scope, derived from the one secret with HKDF-SHA-256; the secret itself
 * is never used directly, so no derived key reveals it or another scope's key.
 */
export interface PseudonymKeys {
  keyOf(scope: PseudonymScope): Buffer
}

export function derivePseudonymKeys(secret: Buffer): PseudonymKeys {
  if (secret.length < SECRET_KEY_BYTES)
    throw new Error(`The pseudonym secret needs at least ${SECRET_KEY_BYTES} bytes`)
  const cache = new Map<string, Buffer>()
  return {
    keyOf(scope) {
      let key = cache.get(scope)
      if (!key) {
        key = Buffer.from(hkdfSync('sha256', secret, 'gov-data-portal', `pseudonym:${scope}`, 32))
        cache.set(scope, key)
      }
      return key
    },
  }
}

/** HMAC-SHA-256 of a value under a key, as hex: the reference the SQL form is tested against. */
export function hmacHex(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value, 'utf8').digest('hex')
}

/**
 * A short fingerprint of a key, safe to show or put in a file name (a hash of the key, never the
 * key): files made with one key are told apart from files made with another.
 */
export function keyFingerprint(key: Buffer): string {
  return createHash('sha256').update('fingerprint:').update(key).digest('hex').slice(0, 12)
}

const BLOCK = 64

/**
 * Binds a key as DuckDB variables `<name>_ipad` and `<name>_opad` on this connection (HMAC's
 * inner and outer padded keys), through parameters: the key never appears in SQL text. Pair with
 * {@link hmacSql}.
 */
export async function bindHmacKey(
  connection: DuckDBConnection,
  name: string,
  key: Buffer,
): Promise<void> {
  if (!/^[a-z_]+$/.test(name)) throw new Error(`Bad HMAC variable name '${name}'`)
  const block = Buffer.alloc(BLOCK)
  ;(key.length > BLOCK ? createHash('sha256').update(key).digest() : key).copy(block)
  for (const [suffix, pad] of [
    ['ipad', 0x36],
    ['opad', 0x5c],
  ] as const) {
    const statement = await connection.prepare(`SET VARIABLE ${name}_${suffix} = $1::BLOB`)
    statement.bindBlob(1, Buffer.from(block.map((b) => b ^ pad)))
    await statement.run()
  }
}

/**
 * HMAC-SHA-256 (RFC 2104) of a SQL expression's text, as 64 hex digits, under the key bound by
 * {@link bindHmacKey} with the same name. NULL stays NULL.
 * @example `left(${hmacSql('project_key', '"person_key"')}, 32)`
 */
export function hmacSql(name: string, valueSql: string): string {
  if (!/^[a-z_]+$/.test(name)) throw new Error(`Bad HMAC variable name '${name}'`)
  return `sha256(getvariable('${name}_opad') || unhex(sha256(getvariable('${name}_ipad') || encode((${valueSql})::VARCHAR))))`
}

/**
 * The pseudonym the platform shows for a direct identifier: `masked-` and the first 16 hex
 * digits (64 bits) of its HMAC under the key bound as `name`; NULL stays NULL. Samples and
 * grants' projections write them alike, each with its own scope's key.
 */
export function pseudonymSql(name: string, valueSql: string): string {
  return `('masked-' || left(${hmacSql(name, valueSql)}, 16))`
}

/** The same pseudonym computed in Node, for tracing a file back to the key that made it. */
export const pseudonymOf = (key: Buffer, value: string): string =>
  `masked-${hmacHex(key, value).slice(0, 16)}`
