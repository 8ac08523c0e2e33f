import { zValidator } from '@hono/zod-validator'
import {
  type Context,
  type Env,
  Hono,
  type MiddlewareHandler,
  type TypedResponse,
  type ValidationTargets,
} from 'hono'
import type { ToSchema } from 'hono/types'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { JSONParsed } from 'hono/utils/types'
import type { InferInput } from 'hono/validator'
import { z } from 'zod'

/**
 * Who may call a route. The OpenAPI document, the authorization matrix's expectations and the
 * README's route table all say it from here; the handler still enforces it (assertCan).
 */
export type Access =
  | 'public'
  | 'signed-in'
  | 'steward'
  | 'curator'
  | 'requester'
  | 'auditor'
  | 'verifier'
  | 'admin'

/** A declared answer: JSON by its schema, other media types (files, CSV, HTML) by name, or both. */
export interface Answer {
  description: string
  json?: z.ZodType
  media?: readonly string[]
  headers?: Readonly<Record<string, string>>
}

/**
 * The statuses a route answers. A string declares an error answer (the canonical envelope) and
 * says when it happens; a redirect is declared as `{ description }` alone.
 */
export type Answers = Readonly<Record<number, Answer | string>>

/** One route, declared once: everything the document, the matrix and the README read. */
export interface RouteDef {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete'
  /** Hono style, relative to the module's mount: `/:number`. */
  path: string
  access: Access
  summary: string
  description?: string
  /** Path parameters describe themselves with `.describe()`; the OpenAPI test requires it. */
  request?: { params?: z.ZodObject; query?: z.ZodObject; body?: z.ZodType }
  responses: Answers
  /** Checks that run before the request is validated, e.g. a role check before the body is read. */
  before?: readonly MiddlewareHandler[]
}

/** Declares a route; the `const` keeps its literal path and statuses for the handler's types. */
export const defineRoute = <const R extends RouteDef>(route: R): R => route

/** A module's routes: where the server mounts them, and their tag in the document. */
export interface ApiModule {
  mount: string
  tag: string
  routes: Readonly<Record<string, RouteDef>>
}

export const defineModule = <const P extends string, const R extends Record<string, RouteDef>>(
  mount: P,
  tag: string,
  routes: R,
) => ({ mount, tag, routes })

/** The canonical error body every 4xx and 5xx carries. */
export const errorEnvelope = z
  .strictObject({
    ok: z.literal(false),
    error: z.strictObject({
      code: z.string().describe('Stable, machine-readable error code'),
      message: z.string().describe('What went wrong and what to fix'),
    }),
  })
  .meta({ id: 'Error' })

/** A successful JSON answer: `{ ok: true, data }`. */
export const ok = <T extends z.ZodType>(data: T) => z.strictObject({ ok: z.literal(true), data })

// What the handler reads, as @hono/zod-validator would give it.
type In<S, K extends keyof ValidationTargets> = [S] extends [ValidationTargets[K]]
  ? S
  : InferInput<S, K>
type Part<T extends keyof ValidationTargets, S> = S extends z.ZodType
  ? {
      in: undefined extends z.input<S>
        ? { [K in T]?: In<z.input<S>, K> }
        : { [K in T]: In<z.input<S>, K> }
      out: { [K in T]: z.output<S> }
    }
  : // biome-ignore lint/complexity/noBannedTypes: no input of this kind
    {}
type Req<R extends RouteDef> = NonNullable<R['request']>
export type RouteInput<R extends RouteDef> = Part<'param', Req<R>['params']> &
  Part<'query', Req<R>['query']> &
  Part<'json', Req<R>['body']>

type ErrorJson = z.output<typeof errorEnvelope>
type Status<S> = S & ContentfulStatusCode
type JsonAnswer<A, S> = A extends { json: infer J extends z.ZodType }
  ? TypedResponse<JSONParsed<z.output<J>>, Status<S>, 'json'>
  : never
/** What a handler may hand over: read-only lists and records are as good as mutable ones. */
type Readable<T> = T extends readonly (infer U)[]
  ? readonly Readable<U>[]
  : T extends object
    ? { readonly [K in keyof T]: Readable<T[K]> }
    : T
type HandedJson<A, S> = A extends { json: infer J extends z.ZodType }
  ? TypedResponse<Readable<JSONParsed<z.output<J>>>, Status<S>, 'json'>
  : never
// A file may be streamed (a plain Response) as well as sent whole.
type MediaAnswer<A, S> = A extends { media: readonly string[] }
  ? TypedResponse<unknown, Status<S>, 'body'> | TypedResponse<string, Status<S>, 'text'> | Response
  : never
type AnswerOf<A, S> = A extends string
  ? TypedResponse<ErrorJson, Status<S>, 'json'>
  :
      | HandedJson<A, S>
      | MediaAnswer<A, S>
      | (A extends { json: unknown } | { media: unknown } ? never : Response)

/** The answers a handler may return: one per declared status, typed by its schema. */
export type Allowed<R extends RouteDef> = {
  [S in keyof R['responses'] & number]: AnswerOf<R['responses'][S], S>
}[keyof R['responses'] & number]

/** What the typed client (the portal's `hc`) sees: JSON answers by schema, files as text. */
type ClientAnswer<R extends RouteDef> = {
  [S in keyof R['responses'] & number]: R['responses'][S] extends infer A
    ? A extends string
      ? TypedResponse<ErrorJson, Status<S>, 'json'>
      :
          | JsonAnswer<A, S>
          | (A extends { media: readonly string[] }
              ? TypedResponse<string, Status<S>, 'text'>
              : never)
    : never
}[keyof R['responses'] & number]

type Served<E extends Env, R extends RouteDef> = Hono<
  E,
  ToSchema<R['method'], R['path'], RouteInput<R>, ClientAnswer<R>>,
  '/'
>

/** Throws the ZodError, so the app's one error handler answers 400 naming each bad field. */
const check = (target: keyof ValidationTargets, schema: z.ZodType) =>
  zValidator(target, schema, (result) => {
    if (!result.success) throw result.error
  })

/**
 * The server of declared routes for an app whose requests carry `E`: `serve(route, handler)` is
 * the route as a router of its own, for `.route('/', …)` (Hono's `.route` keeps its types for the
 * portal's typed client). The handler reads validated input by the declaration and may answer only
 * the declared statuses, each with its declared shape.
 */
export function routeServer<E extends Env>() {
  return function serve<const R extends RouteDef>(
    route: R,
    handler: (c: Context<E, R['path'], RouteInput<R>>) => Allowed<R> | Promise<Allowed<R>>,
  ): Served<E, R> {
    const { params, query, body } = route.request ?? {}
    const chain: MiddlewareHandler[] = [
      ...(route.before ?? []),
      ...(params ? [check('param', params)] : []),
      ...(query ? [check('query', query)] : []),
      ...(body ? [check('json', body)] : []),
    ]
    const app = new Hono<E>()
    app.on([route.method.toUpperCase()], [route.path], ...chain, handler as never)
    return app as never
  }
}
