import { copyFile, mkdir, open, rename, unlink } from 'node:fs/promises'
import { dirname } from 'node:path'

/** The first line of a text file (without its line break or a byte-order mark). */
export async function readFirstLine(path: string): Promise<string> {
  const handle = await open(path, 'r')
  try {
    const buffer = Buffer.alloc(64 * 1024)
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
    const text = buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
    return text.split(/\r?\n/, 1)[0] ?? ''
  } finally {
    await handle.close()
  }
}

/** Copies a file so that the target appears whole or not at all. */
export async function copyAtomically(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true })
  const partial = `${to}.partial`
  await copyFile(from, partial)
  await rename(partial, to)
}

/**
 * Moves a finished file to its final name in one step (rename is atomic within a file system),
 * so readers see the whole file or none of it.
 */
export async function moveIntoPlace(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true })
  await rename(from, to)
}

export async function removeIfPresent(path: string): Promise<void> {
  await unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error
  })
}

/** Makes sure the directory that will hold `path` exists. */
export async function mkdirFor(path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
}
