import { describe, expect, it } from 'vitest'
import { observeStream, StalledReaderError, type StreamEnd } from './observed-stream.js'

/** An endless stream of 1 KB pieces that says when it is cancelled. */
function endless() {
  const state = { cancelled: false }
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(new Uint8Array(1024))
    },
    cancel() {
      state.cancelled = true
    },
  })
  return { stream, state }
}

describe('observed streams', () => {
  it('counts what was read and tells how it ended', async () => {
    const ends: StreamEnd[] = []
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(3))
        controller.enqueue(new Uint8Array(4))
        controller.close()
      },
    })
    const text = await new Response(
      observeStream(source, (end) => void ends.push(end)),
    ).arrayBuffer()
    expect(text.byteLength).toBe(7)
    expect(ends).toEqual([{ completed: true, bytes: 7 }])
  })

  it('ends the answer, and frees what it holds, when its reader stops asking for more', async () => {
    const { stream, state } = endless()
    const ends: StreamEnd[] = []
    const observed = observeStream(stream, (end) => void ends.push(end), { stallMs: 100 })
    const reader = observed.getReader()
    await reader.read()
    await reader.read()
    // The client keeps the connection but reads nothing more.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(state.cancelled).toBe(true)
    // What was read, and the one piece queued ahead of the reader.
    expect(ends).toEqual([{ completed: false, bytes: 3072, error: expect.any(StalledReaderError) }])
    await expect(reader.read()).rejects.toThrow('The client read nothing for 0.1 s')
  })

  it('lets a reader that keeps reading take as long as it needs', async () => {
    const { stream, state } = endless()
    const reader = observeStream(stream, () => {}, { stallMs: 100 }).getReader()
    for (let i = 0; i < 6; i++) {
      await reader.read()
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(state.cancelled).toBe(false)
    await reader.cancel()
    expect(state.cancelled).toBe(true)
  })
})
