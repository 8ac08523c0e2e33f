import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type Config, PSEUDONYM_SECRET_BYTES, parsePseudonymSecret } from '../core/index.js'

/** Where development mode keeps the pseudonym secret it generated, inside the data directory. */
export const pseudonymSecretPath = (dataDir: string) => join(dataDir, 'secrets', 'pseudonym-key')

// Another replica may have created the file and not yet written the key: how long to wait for it.
const READ_ATTEMPTS = 20
const READ_INTERVAL_MS = 100

/**
 * The secret every pseudonym is keyed with: `PSEUDONYM_KEY` when set; otherwise (development
 * mode only) the one kept in `DATA_DIR/secrets/pseudonym-key`, generated on first start. The
 * file is created exclusively, so replicas starting together on one data directory share the
 * key that one of them wrote. The key is never logged.
 */
export async function pseudonymSecretOf(
  config: Pick<Config, 'PSEUDONYM_KEY' | 'DEV_SIGN_IN' | 'DATA_DIR'>,
): Promise<Buffer> {
  if (config.PSEUDONYM_KEY !== undefined) {
    const secret = parsePseudonymSecret(config.PSEUDONYM_KEY)
    if (!secret) throw new Error('PSEUDONYM_KEY is not a valid pseudonym secret')
    return secret
  }
  // loadConfig refuses this already; kept so no other caller can fall back to a file silently.
  if (!config.DEV_SIGN_IN)
    throw new Error('PSEUDONYM_KEY is required outside development mode (DEV_SIGN_IN=true)')
  const file = pseudonymSecretPath(config.DATA_DIR)
  await mkdir(join(config.DATA_DIR, 'secrets'), { recursive: true, mode: 0o700 })
  const secret = randomBytes(PSEUDONYM_SECRET_BYTES)
  try {
    await writeFile(file, `${secret.toString('base64')}\n`, { flag: 'wx', mode: 0o600 })
    return secret
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  return readSecretFile(file)
}

/** The key in a file that exists, waiting briefly while it is empty or partly written. */
async function readSecretFile(file: string): Promise<Buffer> {
  for (let attempt = 1; ; attempt++) {
    const secret = parsePseudonymSecret(await readFile(file, 'utf8'))
    if (secret) return secret
    if (attempt === READ_ATTEMPTS) {
      throw new Error(
        `${file} holds no valid pseudonym key (at least ${PSEUDONYM_SECRET_BYTES} bytes as base64 or hex). ` +
          'Restore it from a backup, or set PSEUDONYM_KEY; a new key changes every pseudonym.',
      )
    }
    await new Promise((resolve) => setTimeout(resolve, READ_INTERVAL_MS))
  }
}
