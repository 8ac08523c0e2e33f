import { open, rm } from 'node:fs/promises'

const PIECE = 1 << 20
const ROWS = '\u0000rows\u0000'

/**
 * A JSON answer `{ ok: true, data: { …head, rows, …tail } }` around its rows (a JSON array): sent
 * back inline by the worker (a small answer, one piece), or streamed from the file it wrote, so
 * the server never holds a large answer's rows as values or as one string. The directory holding
 * the file is removed once the body ends, however it ends.
 */
export function jsonAnswerBody(
  rows: string | { file: string; directory: string },
  head: Record<string, unknown>,
  tail: Record<string, unknown>,
): ReadableStream<Uint8Array> {
  const [before = '', after = ''] = JSON.stringify({
    ok: true,
    data: { ...head, rows: ROWS, ...tail },
  }).split(JSON.stringify(ROWS))
  const encoder = new TextEncoder()
  if (typeof rows === 'string')
    return new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(before + rows + after))
        controller.close()
      },
    })
  let file: Awaited<ReturnType<typeof open>> | undefined
  let position = 0
  let ended = false
  const end = async () => {
    if (ended) return
    ended = true
    await file?.close().catch(() => undefined)
    await rm(rows.directory, { recursive: true, force: true })
  }
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(before))
    },
    async pull(controller) {
      try {
        file ??= await open(rows.file, 'r')
        // Not zeroed: only the bytes read are sent.
        const piece = Buffer.allocUnsafe(PIECE)
        const { bytesRead } = await file.read(piece, 0, PIECE, position)
        position += bytesRead
        if (bytesRead > 0) {
          controller.enqueue(piece.subarray(0, bytesRead))
          return
        }
        controller.enqueue(encoder.encode(after))
        controller.close()
        await end()
      } catch (error) {
        controller.error(error)
        await end()
      }
    },
    cancel: end,
  })
}
