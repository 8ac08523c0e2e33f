/** How a streamed body ended: read to the end, or not (client gone, or an error). */
export interface StreamEnd {
  completed: boolean
  bytes: number
  error?: unknown
}

/** A reader that took nothing for too long; the answer is ended and its resources freed. */
export class StalledReaderError extends Error {
  constructor(ms: number) {
    super(`The client read nothing for ${ms / 1000} s: the answer was ended`)
  }
}

/**
 * The same bytes, counted, with `onEnd` called exactly once however the stream ends: read to the
 * end, failed, or cancelled by the reader. Errors still reach the reader. With `stallMs`, a
 * reader that asks for nothing more for that long (a client that stopped reading but holds the
 * connection) ends it: the inner stream is cancelled, freeing what it holds (a pool slot, a
 * worker, a temporary file).
 */
export function observeStream(
  inner: ReadableStream<Uint8Array>,
  onEnd: (end: StreamEnd) => void | Promise<void>,
  options: { stallMs?: number } = {},
): ReadableStream<Uint8Array> {
  const reader = inner.getReader()
  let bytes = 0
  let ended = false
  let stall: NodeJS.Timeout | undefined
  const end = async (result: Omit<StreamEnd, 'bytes'>) => {
    clearTimeout(stall)
    if (ended) return
    ended = true
    await onEnd({ ...result, bytes })
  }
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      clearTimeout(stall)
      try {
        const { done, value } = await reader.read()
        if (done) {
          await end({ completed: true })
          controller.close()
          return
        }
        bytes += value.byteLength
        controller.enqueue(value)
        const stallMs = options.stallMs
        if (stallMs !== undefined)
          stall = setTimeout(() => {
            const error = new StalledReaderError(stallMs)
            controller.error(error)
            void reader.cancel(error).catch(() => undefined)
            void end({ completed: false, error })
          }, stallMs)
      } catch (error) {
        await end({ completed: false, error })
        controller.error(error)
      }
    },
    async cancel(reason) {
      await reader.cancel(reason).catch(() => undefined)
      await end({ completed: false })
    },
  })
}
