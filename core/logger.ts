import { type DestinationStream, type Logger, pino } from 'pino'

export type { Logger }

/** Paths whose values never reach a log line. */
const REDACTED = [
  'password',
  '*.password',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  'DATABASE_URL',
  '*.DATABASE_URL',
  'DATABASE_OWNER_URL',
  '*.DATABASE_OWNER_URL',
  'PSEUDONYM_KEY',
  '*.PSEUDONYM_KEY',
  'AUDIT_KEY',
  '*.AUDIT_KEY',
]

/**
 * The root JSON logger; the composition root makes one and hands out children.
 * @example const log = createLogger({ level: config.LOG_LEVEL })
 */
export function createLogger(
  options: { level: string; name?: string },
  destination?: DestinationStream,
): Logger {
  return pino(
    { level: options.level, name: options.name ?? 'portal', redact: { paths: REDACTED } },
    destination,
  )
}
