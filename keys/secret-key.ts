/** Bytes of randomness a secret key (the pseudonym secret, the audit key) must hold at least. */
export const SECRET_KEY_BYTES = 32

/**
 * A secret key as configured: base64 (e.g. `openssl rand -base64 32`) or hex, holding at least
 * 32 bytes that look random. Undefined when the text is neither, too short, or plainly not random
 * (a repeated word such as `passwordpassword…`, runs of one byte such as `0000…`): whoever guesses
 * the pseudonym secret can trace every pseudonym back to an identifier, and whoever guesses the
 * audit key can rewrite the audit trail unseen.
 */
export function parseSecretKey(text: string): Buffer | undefined {
  const trimmed = text.trim()
  const bytes = /^(?:[0-9a-f]{2})+$/i.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)
      ? Buffer.from(
          trimmed,
          trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64',
        )
      : undefined
  if (!bytes || bytes.length < SECRET_KEY_BYTES) return undefined
  // 32 random bytes hold about 30 distinct values; a short unit repeated over most of the text is a
  // word, not a key. (A random key may well begin with a short repeat such as `aaa`: 1 in 4,096.)
  const repeat = /^(.{1,16}?)\1{2,}/.exec(trimmed)?.[0].length ?? 0
  return new Set(bytes).size < 16 || repeat * 2 >= trimmed.length ? undefined : bytes
}
