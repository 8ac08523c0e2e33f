import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Config } from '../core/index.js'
import { parseSecretKey, SECRET_KEY_BYTES } from '../keys/index.js'

/** A secret the platform keys something with, and what a new one would change. */
interface SecretKind {
  setting: 'PSEUDONYM_KEY' | 'AUDIT_KEY'
  /** The file development mode keeps it in, under DATA_DIR/secrets. */
  file: string
  /** What a replaced key breaks, for the message when the file is unreadable. */
  ifReplaced: string
}

const PSEUDONYM: SecretKind = {
  setting: 'PSEUDONYM_KEY',
  file: 'pseudonym-key',
  ifReplaced: 'a new key changes every pseudonym',
}
const AUDIT: SecretKind = {
  setting: 'AUDIT_KEY',
  file: 'audit-key',
  ifReplaced: 'entries written with the old key no longer verify',
}

type SecretConfig = Pick<Config, 'PSEUDONYM_KEY' | 'AUDIT_KEY' | 'DEV_SIGN_IN' | 'DATA_DIR'>

/** Where development mode keeps a secret it generated, inside the data directory. */
export const secretPath = (dataDir: string, kind: 'pseudonym-key' | 'audit-key') =>
  join(dataDir, 'secrets', kind)

/** The secret every pseudonym is keyed with (see secretOf). */
export const pseudonymSecretOf = (config: SecretConfig) => secretOf(PSEUDONYM, config)

/** The key of the audit trail's hash chain and checkpoints (see secretOf). */
export const auditKeyOf = (config: SecretConfig) => secretOf(AUDIT, config)

// Another replica may have created the file and not yet written the key: how long to wait for it.
const READ_ATTEMPTS = 20
const READ_INTERVAL_MS = 100

/**
 * A secret key: its setting when set; otherwise (development mode only) the one kept in
 * `DATA_DIR/secrets/<file>`, generated on first start. The file is created exclusively, so
 * replicas starting together on one data directory share the key that one of them wrote. The
 * key is never logged.
 */
async function secretOf(kind: SecretKind, config: SecretConfig): Promise<Buffer> {
  const configured = config[kind.setting]
  if (configured !== undefined) {
    const secret = parseSecretKey(configured)
    if (!secret) throw new Error(`${kind.setting} is not a valid secret key`)
    return secret
  }
  // loadConfig refuses this already; kept so no other caller can fall back to a file silently.
  if (!config.DEV_SIGN_IN)
    throw new Error(`${kind.setting} is required outside development mode (DEV_SIGN_IN=true)`)
  const file = join(config.DATA_DIR, 'secrets', kind.file)
  await mkdir(join(config.DATA_DIR, 'secrets'), { recursive: true, mode: 0o700 })
  const secret = randomBytes(SECRET_KEY_BYTES)
  try {
    await writeFile(file, `${secret.toString('base64')}\n`, { flag: 'wx', mode: 0o600 })
    return secret
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  return readSecretFile(kind, file)
}

/** The key in a file that exists, waiting briefly while it is empty or partly written. */
async function readSecretFile(kind: SecretKind, file: string): Promise<Buffer> {
  for (let attempt = 1; ; attempt++) {
    const secret = parseSecretKey(await readFile(file, 'utf8'))
    if (secret) return secret
    if (attempt === READ_ATTEMPTS) {
      throw new Error(
        `${file} holds no valid key (at least ${SECRET_KEY_BYTES} bytes as base64 or hex). ` +
          `Restore it from a backup, or set ${kind.setting}; ${kind.ifReplaced}.`,
      )
    }
    await new Promise((resolve) => setTimeout(resolve, READ_INTERVAL_MS))
  }
}
