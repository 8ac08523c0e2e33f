import { describe, expect, it } from 'vitest'
import { databaseUnavailable, isDatabaseUnavailable } from './database-unavailable.js'

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code })

describe('isDatabaseUnavailable', () => {
  it('knows a server shutting down, starting or out of reach', () => {
    expect(isDatabaseUnavailable(pgError('57P01', 'terminating connection'))).toBe(true)
    expect(isDatabaseUnavailable(pgError('57P03', 'the database system is starting up'))).toBe(true)
    expect(isDatabaseUnavailable(pgError('08006'))).toBe(true)
    expect(isDatabaseUnavailable(pgError('ECONNREFUSED'))).toBe(true)
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true)
    expect(isDatabaseUnavailable(new AggregateError([pgError('ECONNREFUSED')]))).toBe(true)
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: pgError('57P01') }))).toBe(true)
  })

  it('leaves statements the database refused alone', () => {
    expect(isDatabaseUnavailable(pgError('23505', 'duplicate key'))).toBe(false)
    expect(isDatabaseUnavailable(pgError('42P01', 'relation does not exist'))).toBe(false)
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false)
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false)
  })

  it('turns the loss into a 503 that says when to retry', () => {
    const error = databaseUnavailable(pgError('57P01'))
    expect(error.code).toBe('unavailable')
    expect(error.retryAfterSeconds).toBeGreaterThan(0)
    expect(error.message).toMatch(/cannot be reached/)
  })
})
