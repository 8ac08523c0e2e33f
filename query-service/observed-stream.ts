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
 * worker, a temporary file). `signal` ends it the same way, from the server's side.
 */
export function observeStream(
  inner: ReadableStream<Uint8Array>,
  onEnd: (end: StreamEnd) => void | Promise<void>,
  options: { stallMs?: number; signal?: AbortSignal } = {},
): ReadableStream<Uint8Array> {
  const reader = inner.getReader()
  let bytes = 0
  let ended = false
  let stall: NodeJS.Timeout | undefined
  let controlled: ReadableStreamDefaultController<Uint8Array> | undefined
  const end = async (result: Omit<StreamEnd, 'bytes'>) => {
    clearTimeout(stall)
    options.signal?.removeEventListener('abort', onAbort)
    if (ended) return
    ended = true
    await onEnd({ ...result, bytes })
  }
  /** Ends the answer for the reader, and what feeds it. */
  const abandon = (error: Error) => {
    if (ended) return
    controlled?.error(error)
    void reader.cancel(error).catch(() => undefined)
    void end({ completed: false, error })
  }
  function onAbort() {
    abandon(options.signal?.reason instanceof Error ? options.signal.reason : new Error('ended'))
  }
  options.signal?.addEventListener('abort', onAbort)
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controlled = controller
    },
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
          stall = setTimeout(() => abandon(new StalledReaderError(stallMs)), stallMs)
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
