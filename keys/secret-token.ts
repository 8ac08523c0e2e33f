import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * A new bearer secret with a recognisable prefix (e.g. `gdp_…` for API tokens) and 256 bits of
 * randomness. Only its hash is ever stored.
 */
export function newSecretToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`
}

/** The SHA-256 of a secret, as stored; a database leak does not reveal the secrets themselves. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}

/** Compares two secrets in constant time. */
export function secretsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}
