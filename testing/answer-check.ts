import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import type { OpenApiDocument } from '../server/index.js'

interface Operation {
  'x-access'?: string
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>
}

/** The document's operations by path, each path template made a pattern once. */
function operationsOf(doc: OpenApiDocument) {
  return Object.entries(doc.paths).map(([template, methods]) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`),
    methods: methods as Record<string, Operation>,
  }))
}

/** One operation of the document, found by the request's method and path. */
function operationOf(operations: ReturnType<typeof operationsOf>, method: string, path: string) {
  for (const { template, pattern, methods } of operations) {
    if (!pattern.test(path)) continue
    const op = methods[method.toLowerCase()]
    if (op) return { template, op }
  }
  return undefined
}

/**
 * Checks every answer of a declared operation against the OpenAPI document: its status must be
 * one the document lists for it, its media type one listed for that status, and a JSON body must
 * validate against the declared schema. What is wrong comes back in words naming the route.
 */
export function answerChecker(doc: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats.default(ajv)
  ajv.addSchema({ $id: 'api', components: doc.components })
  const operations = operationsOf(doc)
  const compiled = new Map<string, ValidateFunction>()
  const validatorOf = (key: string, schema: unknown) => {
    const known = compiled.get(key)
    if (known) return known
    const text = JSON.stringify(schema).replaceAll('"#/components/', '"api#/components/')
    const validate = ajv.compile(JSON.parse(text))
    compiled.set(key, validate)
    return validate
  }
  return async function check(request: Request, response: Response): Promise<string | undefined> {
    const url = new URL(request.url)
    if (!url.pathname.startsWith('/api/')) return undefined
    const found = operationOf(operations, request.method, url.pathname)
    // Only declared routes are checked: undeclared paths answer 404 and are tested as such.
    if (!found?.op['x-access']) return undefined
    const route = `${request.method} ${found.template}`
    const declared = found.op.responses[String(response.status)]
    if (!declared) return `${route} answered ${response.status}, which its document does not list`
    const media = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? ''
    if (response.status === 204 || (response.status >= 300 && response.status < 400))
      return undefined
    const content = declared.content ?? {}
    if (!(media in content))
      return `${route} answered ${response.status} as ${media || 'no media type'}; its document lists ${Object.keys(content).join(', ') || 'no body'}`
    if (media !== 'application/json') return undefined
    // Only JSON is read (a copy of it); a file streams on untouched.
    const body: unknown = await response.clone().json()
    const validate = validatorOf(`${route} ${response.status}`, content[media]?.schema ?? {})
    if (validate(body)) return undefined
    const errors = (validate.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '(answer)'} ${e.message}`)
    return `${route} answered ${response.status} with JSON its document does not describe: ${errors.join('; ')}`
  }
}

/** The app, made to check every answer it gives against its OpenAPI document (or a checker of it). */
export function checkingAnswers<
  A extends { fetch: (request: Request, ...rest: never[]) => Response | Promise<Response> },
>(app: A, against: OpenApiDocument | ReturnType<typeof answerChecker>): A {
  const check = typeof against === 'function' ? against : answerChecker(against)
  const fetch = app.fetch.bind(app)
  app.fetch = (async (request: Request, ...rest: never[]) => {
    const response = await fetch(request, ...rest)
    const wrong = await check(request, response)
    if (wrong) throw new Error(`The answer does not match the OpenAPI document: ${wrong}`)
    return response
  }) as A['fetch']
  return app
}
