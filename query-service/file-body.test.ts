import { mkdtemp, open, rm, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AnswerTooLargeError } from './answer-file.js'
import { fileBody } from './file-body.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'file-body-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('fileBody', () => {
  it('reads a file out whole, its rows asked only once it was read to the end', async () => {
    const path = join(dir, 'whole.csv')
    await writeFile(path, 'a\n1\n2\n')
    let asked = 0
    const { body, done } = await fileBody(path, 100, async () => ++asked * 2)
    expect(asked).toBe(0)
    expect(await new Response(body).text()).toBe('a\n1\n2\n')
    expect(await done).toEqual({ rows: 2, bytes: 6, completed: true })
  })

  it('refuses a file past the byte limit before a byte is sent, and closes it', async () => {
    const path = join(dir, 'large.csv')
    await writeFile(path, 'x'.repeat(101))
    const handle = await open(path, 'r')
    await expect(fileBody(handle, 100, async () => 0)).rejects.toThrow(AnswerTooLargeError)
    await expect(handle.stat()).rejects.toThrow(/closed/)
  })

  it('still sends the whole of a file removed once opened', async () => {
    const path = join(dir, 'removed.csv')
    await writeFile(path, 'y'.repeat(200_000))
    const { body, done } = await fileBody(path, 1e6, async () => 1)
    await unlink(path)
    expect((await new Response(body).arrayBuffer()).byteLength).toBe(200_000)
    expect(await done).toEqual({ rows: 1, bytes: 200_000, completed: true })
  })

  it('tells a download its reader left early, counting no rows', async () => {
    const path = join(dir, 'left.csv')
    await writeFile(path, 'z'.repeat(200_000))
    const { body, done } = await fileBody(path, 1e6, async () => 1)
    const reader = body.getReader()
    expect((await reader.read()).value?.byteLength).toBeGreaterThan(0)
    await reader.cancel()
    expect(await done).toMatchObject({ rows: 0, completed: false })
  })
})
