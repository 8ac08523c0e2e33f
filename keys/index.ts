/**
 * @module keys
 * Secrets and what is made with them: secret keys read from configuration (at least 32 random
 * bytes), secret tokens stored only as hashes, and keyed pseudonyms (HMAC under keys derived per
 * scope: the Trusted Centres, each sample, each grantee's project), in TypeScript and in DuckDB SQL.
 * Imports nothing of ours.
 */

export {
  bindHmacKey,
  derivePseudonymKeys,
  grantPseudonymScope,
  hmacHex,
  hmacSql,
  keyFingerprint,
  type PseudonymKeys,
  type PseudonymScope,
  pseudonymOf,
  pseudonymSql,
  samplePseudonymScope,
} from './pseudonyms.js'
export { parseSecretKey, SECRET_KEY_BYTES } from './secret-key.js'
export { hashSecret, newSecretToken, secretsEqual } from './secret-token.js'
