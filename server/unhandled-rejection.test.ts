import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../core/index.js'
import { endOnUnhandledRejection } from './unhandled-rejection.js'

describe('a promise that fails with nobody listening', () => {
  it('is logged as fatal, with its error and without secrets, and ends the process', () => {
    const lines: string[] = []
    const log = createLogger(
      { level: 'info' },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk))
          done()
        },
      }),
    )
    const codes: number[] = []
    const failure = Object.assign(new Error('the refresh failed'), { token: 'secret-token' })
    endOnUnhandledRejection(log, (code) => codes.push(code))(failure)
    expect(codes).toEqual([1])
    const [line] = lines.map((l) => JSON.parse(l))
    expect(line).toMatchObject({
      level: 60,
      msg: expect.stringContaining('unhandled rejection'),
      err: { message: 'the refresh failed', stack: expect.stringContaining('Error') },
    })
    expect(lines.join('')).not.toContain('secret-token')
  })
})
