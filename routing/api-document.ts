import { z } from 'zod'
import {
  type Access,
  type Answer,
  type ApiModule,
  errorEnvelope,
  type RouteDef,
} from './define-route.js'

/** What the document says of each kind of access, after the route's own description. */
export const ACCESS_TEXT: Record<Access, string> = {
  public: 'No sign-in needed.',
  'signed-in': 'Any signed-in caller (session cookie or API token).',
  steward: 'Stewards of the owning agency; others get 403.',
  curator: 'Stewards of any agency and administrators; others get 403.',
  requester: 'The person who made the request; others get 403.',
  auditor: 'Auditors only; others get 403.',
  verifier: 'Auditors and administrators; others get 403.',
  admin: 'Administrators only; others get 403.',
}

const REFUSES_OTHERS: readonly Access[] = [
  'steward',
  'curator',
  'requester',
  'auditor',
  'verifier',
  'admin',
]

/** One declared route with its place in the API. */
export interface DeclaredRoute {
  name: string
  tag: string
  route: RouteDef
  /** Hono style, from the API's root: `/api/kpis/:number`. */
  path: string
}

/** Every declared route with its full path. */
export function routesOf(modules: readonly ApiModule[], base = '/api'): DeclaredRoute[] {
  return modules.flatMap((m) =>
    Object.entries(m.routes).map(([name, route]) => ({
      name,
      tag: m.tag,
      route,
      path: `${base}${m.mount === '/' ? '' : m.mount}${route.path === '/' ? '' : route.path}`,
    })),
  )
}

/** Hono's `/:id` as OpenAPI's `/{id}`. */
export const templateOf = (path: string) => path.replace(/:(\w+)/g, '{$1}')

/** `post /api/tokens/{id}/revoke` → `postTokensIdRevoke`: unique, stable, readable in clients. */
function operationIdOf(method: string, template: string): string {
  const words = template
    .replace(/^\/api/, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
  return method + words.map((w) => w[0]?.toUpperCase() + w.slice(1)).join('')
}

/**
 * zod's own JSON Schema (draft 2020-12, OpenAPI 3.1's). Schemas with `.meta({ id })` come back
 * under `$defs`: hoisted into the document's components so their references resolve.
 */
function jsonSchemaOf(
  schema: z.ZodType,
  io: 'input' | 'output',
  components: Record<string, unknown>,
): Record<string, unknown> {
  const { $schema: _, $defs, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' })
  // Named schemas refer to one another too: every reference points into components.
  const hoisted = (value: unknown) =>
    JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/'))
  Object.assign(components, hoisted($defs ?? {}))
  return hoisted(rest)
}

/** The path's parameters, each with its declared schema and description. */
function parametersOf(route: RouteDef, template: string, components: Record<string, unknown>) {
  const { params, query } = route.request ?? {}
  const inPath = [...template.matchAll(/\{(\w+)\}/g)].map(([, name = '']) => {
    const field = params?.shape[name] as z.ZodType | undefined
    return {
      name,
      in: 'path',
      required: true,
      description: field?.description,
      schema: field ? jsonSchemaOf(field, 'input', components) : { type: 'string' },
    }
  })
  const inQuery = Object.entries(query?.shape ?? {}).map(([name, field]) => ({
    name,
    in: 'query',
    required: !(field as z.ZodType).safeParse(undefined).success,
    description: (field as z.ZodType).description,
    schema: jsonSchemaOf(field as z.ZodType, 'input', components),
  }))
  return [...inPath, ...inQuery]
}

/** Every answer the route gives: its declared ones, and those every route of its kind may give. */
function responsesOf(route: RouteDef, components: Record<string, unknown>) {
  const error = (description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  })
  const answer = (a: Answer) => ({
    description: a.description,
    ...(a.headers && {
      headers: Object.fromEntries(
        Object.entries(a.headers).map(([h, d]) => [
          h,
          { description: d, schema: { type: 'string' } },
        ]),
      ),
    }),
    ...((a.json || a.media) && {
      content: {
        ...(a.json && {
          'application/json': { schema: jsonSchemaOf(a.json, 'output', components) },
        }),
        ...Object.fromEntries(
          (a.media ?? []).map((t) => [t, { schema: { type: 'string', format: 'binary' } }]),
        ),
      },
    }),
  })
  // What any route of its kind may answer, from the checks every request passes first.
  const changes = route.method !== 'get'
  const answers: Record<string, unknown> = {
    '400': error('Invalid input; the message names each bad field'),
    '401':
      route.access === 'public'
        ? error('A session or API token was sent and is not valid')
        : error('Sign in, or send a valid API token'),
  }
  if (REFUSES_OTHERS.includes(route.access) || changes)
    answers['403'] = error(
      changes
        ? 'Not allowed for this caller, or a change from a browser session without its X-CSRF-Token'
        : 'Not allowed for this caller',
    )
  if (changes) answers['413'] = error('The request body is larger than the API reads')
  answers['429'] = error(
    'Too many changes, sign-in attempts or refused tokens a minute; retry after Retry-After',
  )
  for (const [status, a] of Object.entries(route.responses))
    answers[status] = typeof a === 'string' ? error(a) : answer(a)
  answers['500'] = error(
    'Unexpected failure; the details are in the server log under the request id',
  )
  answers['503'] ??= error('The metadata database cannot be reached; retry after Retry-After')
  return answers
}

/** What the document says of the API as a whole. */
export interface ApiInfo {
  title: string
  version: string
  description: string
  serverUrl: string
}

/** The OpenAPI 3.1 document of every declared route, from the schemas that validate and type them. */
export function openApiDocument(modules: readonly ApiModule[], info: ApiInfo) {
  const schemas: Record<string, unknown> = {}
  jsonSchemaOf(errorEnvelope, 'output', schemas)
  const paths: Record<string, Record<string, unknown>> = {}
  for (const { path, tag, route } of routesOf(modules)) {
    const template = templateOf(path)
    const body = route.request?.body
    paths[template] ??= {}
    ;(paths[template] as Record<string, unknown>)[route.method] = {
      tags: [tag],
      summary: route.summary,
      description: [route.description, ACCESS_TEXT[route.access]].filter(Boolean).join('\n\n'),
      operationId: operationIdOf(route.method, template),
      'x-access': route.access,
      parameters: parametersOf(route, template, schemas),
      ...(body && {
        requestBody: {
          required: true,
          content: { 'application/json': { schema: jsonSchemaOf(body, 'input', schemas) } },
        },
      }),
      responses: responsesOf(route, schemas),
      security: route.access === 'public' ? [] : [{ session: [] }, { token: [] }],
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version, description: info.description },
    servers: [{ url: info.serverUrl }],
    tags: [...new Set(modules.map((m) => m.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'portal_session' },
        token: {
          type: 'http',
          scheme: 'bearer',
          description: 'A personal API token from /api/tokens',
        },
      },
      schemas,
    },
  }
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>

/** Who may call a route, as the README's table says it. */
const WHO: Record<Access, string> = {
  public: 'anyone',
  'signed-in': 'signed in',
  steward: 'stewards of the owning agency',
  curator: 'stewards, administrators',
  requester: 'the requester',
  auditor: 'auditors',
  verifier: 'auditors, administrators',
  admin: 'administrators',
}

/** The README's route table: one line per declared route, in the order the modules declare them. */
export function routeTable(modules: readonly ApiModule[]): string {
  const rows = routesOf(modules).map(
    ({ path, route }) =>
      `| \`${route.method.toUpperCase()} ${path}\` | ${WHO[route.access]} | ${route.summary} |`,
  )
  return ['| route | who | what it does |', '| --- | --- | --- |', ...rows].join('\n')
}
