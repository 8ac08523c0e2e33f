import { Validator } from '@seriousme/openapi-schema-validator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { routesOf, templateOf } from '../routing/index.js'
import { createTestApp, openTestRuntime, type TestRuntime } from '../testing/index.js'
import type { createApp } from './app.js'
import { API_MODULES, type OpenApiDocument } from './openapi.js'

/**
 * Every place in a request schema where a string has no maxLength (unless it is one of a list of
 * values), a list no maxItems, or a map no maxProperties, named by its path in the schema.
 */
function unbounded(schema: unknown, at: string): string[] {
  if (Array.isArray(schema)) return schema.flatMap((item, i) => unbounded(item, `${at}.${i}`))
  if (typeof schema !== 'object' || schema === null) return []
  const node = schema as Record<string, unknown>
  const types = [node.type].flat()
  const found: string[] = []
  if (types.includes('string') && !('enum' in node || 'const' in node) && !('maxLength' in node))
    found.push(`${at}: a string without maxLength`)
  if (types.includes('array') && !('maxItems' in node)) found.push(`${at}: a list without maxItems`)
  const values = node.additionalProperties
  // `{}` is a loose object (an OpenLineage event), checked by its own validator and size limit.
  if (typeof values === 'object' && values !== null && Object.keys(values).length > 0)
    if (!('maxProperties' in node)) found.push(`${at}: a map without maxProperties`)
  for (const [key, value] of Object.entries(node))
    if (key !== 'default' && key !== 'examples') found.push(...unbounded(value, `${at}.${key}`))
  return found
}

describe('the OpenAPI document', () => {
  let runtime: TestRuntime
  let app: ReturnType<typeof createApp>
  let doc: OpenApiDocument

  beforeAll(async () => {
    runtime = await openTestRuntime({ backend: 'pglite' })
    app = createTestApp(runtime)
    // Anonymous: harvesters and script authors read it before they have an account.
    const res = await app.request('/api/openapi.json')
    expect(res.status).toBe(200)
    doc = (await res.json()) as OpenApiDocument
  })
  afterAll(() => runtime.dispose())

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator()
    const result = await validator.validate(doc as unknown as Parameters<Validator['validate']>[0])
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(validator.version).toBe('3.1')
  })

  it('documents every route the app serves, and nothing it does not', () => {
    const served = new Set(
      app.routes
        .filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/'))
        .map((r) => `${r.method.toLowerCase()} ${templateOf(r.path)}`),
    )
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => `${method} ${path}`),
      ),
    )
    expect(served.size).toBeGreaterThanOrEqual(routesOf(API_MODULES).length)
    expect([...served].filter((route) => !documented.has(route))).toEqual([])
    expect([...documented].filter((route) => !served.has(route))).toEqual([])
  })

  it('describes request inputs from the schemas that validate them', () => {
    const search = doc.paths['/api/search']?.get as {
      parameters: { name: string; in: string; schema: { default?: unknown; enum?: string[] } }[]
    }
    const names = search.parameters.map((p) => p.name)
    expect(names).toEqual(
      expect.arrayContaining(['q', 'agency', 'sample', 'sort', 'page', 'pageSize']),
    )
    expect(search.parameters.find((p) => p.name === 'sort')?.schema.enum).toEqual([
      'relevance',
      'updated',
      'popular',
    ])
    const patch = doc.paths['/api/datasets/{id}']?.patch as {
      requestBody: { content: { 'application/json': { schema: { properties: object } } } }
      responses: Record<string, unknown>
    }
    expect(Object.keys(patch.requestBody.content['application/json'].schema.properties)).toEqual(
      expect.arrayContaining(['title', 'description', 'tags', 'columns']),
    )
    // Every path parameter says what it stands for.
    const undescribed = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.values(methods).flatMap((op) =>
        (op as { parameters: { name: string; in: string; description?: string }[] }).parameters
          .filter((p) => p.in === 'path' && !p.description)
          .map((p) => `${path} {${p.name}}`),
      ),
    )
    expect(undescribed).toEqual([])
    // A steward-only route says who gets refused.
    expect(Object.keys(patch.responses)).toEqual(
      expect.arrayContaining(['400', '401', '403', '404']),
    )
  })

  it('bounds every string and list a request may send', () => {
    const found = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).flatMap(([method, op]) => {
        const { parameters, requestBody } = op as {
          parameters: { name: string; in: string; schema: unknown }[]
          requestBody?: { content: Record<string, { schema: unknown }> }
        }
        return [
          ...parameters.flatMap((p) => unbounded(p.schema, `${method} ${path} ${p.in} ${p.name}`)),
          ...Object.values(requestBody?.content ?? {}).flatMap((body) =>
            unbounded(body.schema, `${method} ${path} body`),
          ),
        ]
      }),
    )
    expect(found).toEqual([])
    // The walk finds what it looks for.
    expect(
      unbounded(
        { type: 'object', properties: { tags: { type: 'array', items: { type: 'string' } } } },
        'x',
      ),
    ).toEqual([
      'x.properties.tags: a list without maxItems',
      'x.properties.tags.items: a string without maxLength',
    ])
  })

  it('serves a readable reference page listing every operation', async () => {
    const res = await app.request('/api/docs')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
    const html = await res.text()
    for (const { path } of routesOf(API_MODULES))
      expect(html).toContain(`<code>${templateOf(path)}</code>`)
    // Descriptions are escaped, never injected as markup.
    expect(html).not.toMatch(/<script/i)
  })
})
