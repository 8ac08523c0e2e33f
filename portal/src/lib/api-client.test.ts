import { describe, expect, it } from 'vitest'
import { ApiError, worthRetrying } from './api-client.js'

describe('which failed queries are tried again', () => {
  it('never an answer the server meant: a refusal or a missing thing says the same next time', () => {
    for (const status of [400, 401, 403, 404, 409, 413, 429])
      expect(worthRetrying(0, new ApiError(status, 'forbidden', 'You may not'))).toBe(false)
  })

  it('a server failure or a lost connection, twice at most', () => {
    const failures = [new ApiError(503, 'unavailable', 'busy'), new TypeError('Failed to fetch')]
    for (const error of failures) {
      expect([0, 1, 2].map((n) => worthRetrying(n, error))).toEqual([true, true, false])
    }
  })
})
