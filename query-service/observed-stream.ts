/** How a streamed body ended: read to the end, or not (client gone, or an error). */
export interface StreamEnd {
  completed: boolean
  bytes: number
  error?: unknown
}

/**
 * The same bytes, counted, with `onEnd` called exactly once however the stream ends: read to the
 * end, failed, or cancelled by the reader. Errors still reach the reader.
 */
export function observeStream(
  inner: ReadableStream<Uint8Array>,
  onEnd: (end: StreamEnd) => void | Promise<void>,
): ReadableStream<Uint8Array> {
  const reader = inner.getReader()
  let bytes = 0
  let ended = false
  const end = async (result: Omit<StreamEnd, 'bytes'>) => {
    if (ended) return
    ended = true
    await onEnd({ ...result, bytes })
  }
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read()
        if (done) {
          await end({ completed: true })
          controller.close()
          return
        }
        bytes += value.byteLength
        controller.enqueue(value)
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
