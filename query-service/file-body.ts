import { type FileHandle, open } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { AnswerTooLargeError, type CopyEnd } from './answer-file.js'
import { observeStream } from './observed-stream.js'

/**
 * A file that is already written (a projection, a sample, a sample kept in another format), read
 * out as it is: refused before a byte is sent when it is larger than `maxBytes`. It is read from
 * a handle opened first, so a file removed or replaced meanwhile is still sent whole as it was
 * (an open file stays readable); the handle is closed however the reading ends. `rows` is asked
 * only once the body has been read to the end.
 */
export async function fileBody(
  file: string | FileHandle,
  maxBytes: number,
  rows: () => Promise<number>,
): Promise<{ body: ReadableStream<Uint8Array>; done: Promise<CopyEnd> }> {
  const handle = typeof file === 'string' ? await open(file, 'r') : file
  try {
    const { size } = await handle.stat()
    if (size > maxBytes) throw new AnswerTooLargeError(maxBytes)
  } catch (error) {
    await handle.close()
    throw error
  }
  let resolveDone: (end: CopyEnd) => void = () => {}
  const done = new Promise<CopyEnd>((resolve) => {
    resolveDone = resolve
  })
  const body = observeStream(
    Readable.toWeb(handle.createReadStream()) as ReadableStream<Uint8Array>,
    async (end) => {
      const counted = end.completed ? await rows().catch(() => 0) : 0
      resolveDone({ rows: counted, bytes: end.bytes, completed: end.completed, error: end.error })
    },
  )
  return { body, done }
}
