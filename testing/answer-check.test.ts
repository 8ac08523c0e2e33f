import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineModule, defineRoute, ok, openApiDocument } from '../routing/index.js'
import { checkingAnswers } from './answer-check.js'

const thing = defineRoute({
  method: 'get',
  path: '/:id',
  access: 'public',
  summary: 'A thing',
  request: { params: z.strictObject({ id: z.string().max(10).describe('Its id') }) },
  responses: {
    200: { description: 'The thing', json: ok(z.strictObject({ name: z.string() })) },
    404: 'No such thing',
  },
})
const THINGS = defineModule('/things', 'Things', { thing })
const doc = openApiDocument([THINGS], { title: 't', version: '1', description: 'd', serverUrl: '' })

/** An app that answers whatever a test tells it to, past the declaration's types. */
function appAnswering(answer: (c: { json: (b: unknown, s: number) => Response }) => Response) {
  const app = new Hono().get('/api/things/:id', (c) => answer(c as never))
  return checkingAnswers(app, doc as never)
}

describe('checking answers against the OpenAPI document', () => {
  it('passes an answer the document describes, and a declared error', async () => {
    const good = appAnswering((c) => c.json({ ok: true, data: { name: 'x' } }, 200))
    expect((await good.request('/api/things/1')).status).toBe(200)
    const missing = appAnswering((c) =>
      c.json({ ok: false, error: { code: 'not_found', message: 'No thing 1' } }, 404),
    )
    expect((await missing.request('/api/things/1')).status).toBe(404)
  })

  it('refuses a shape, a status or a media type the document does not list', async () => {
    const shape = appAnswering((c) => c.json({ ok: true, data: { name: 1, extra: true } }, 200))
    await expect(shape.request('/api/things/1')).rejects.toThrow(
      /GET \/api\/things\/\{id\} answered 200 with JSON its document does not describe/,
    )
    const status = appAnswering((c) => c.json({ ok: true, data: { name: 'x' } }, 202))
    await expect(status.request('/api/things/1')).rejects.toThrow(
      /answered 202, which its document does not list/,
    )
    const media = appAnswering(
      () => new Response('name', { headers: { 'content-type': 'text/csv' } }),
    )
    await expect(media.request('/api/things/1')).rejects.toThrow(
      /as text\/csv; its document lists application\/json/,
    )
  })

  it('leaves undeclared paths alone (they answer 404 and are tested as such)', async () => {
    const app = checkingAnswers(
      new Hono().get('/api/other', (c) => c.text('hi', 299 as never)),
      doc as never,
    )
    expect((await app.request('/api/other')).status).toBe(299)
  })
})
