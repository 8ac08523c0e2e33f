import { zValidator } from '@hono/zod-validator'
import type { ValidationTargets } from 'hono'
import type { ZodType } from 'zod'

/**
 * Validates a part of the request with zod; a failure throws the ZodError, so the server's one
 * error handler answers 400 with the canonical body naming each bad field.
 */
export function validate<Target extends keyof ValidationTargets, Schema extends ZodType>(
  target: Target,
  schema: Schema,
) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw result.error
  })
}

/**
 * The Content-Encoding of a request body as the API reads it: none (`identity`), `gzip`, or
 * undefined for anything else, which no route may read. One rule for the server's input check
 * and the routes that decompress, so no spelling reaches one and not the other.
 */
export function contentEncodingOf(header: string | undefined): 'identity' | 'gzip' | undefined {
  const encoding = (header ?? '').trim().toLowerCase()
  if (encoding === '' || encoding === 'identity') return 'identity'
  return encoding === 'gzip' ? 'gzip' : undefined
}
