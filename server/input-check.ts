import { gunzipSync } from 'node:zlib'
import type { Context, MiddlewareHandler } from 'hono'
import { matchedRoutes } from 'hono/route'
import { InvalidInputError } from '../core/index.js'
import type { RouteEnv } from '../identity/index.js'
import { contentEncodingOf } from '../routing/index.js'
import { type BodyLimitOf, tooLargeError } from './body-limits.js'

/** What is wrong with one part of a request: `field` names it, e.g. `body.justification`. */
interface Flaw {
  field: string
  flaw: string
}

const NUL = 'holds a NUL character (\\u0000), which no text may hold: remove it'
const LONE_SURROGATE = 'holds a lone UTF-16 surrogate, which is no character: send whole characters'
const NOT_UTF8 = 'is not valid UTF-8: send text encoded as UTF-8'
const BAD_ESCAPE = 'has invalid percent-encoding: encode text as UTF-8, each byte as %XX'
// In a u-flag pattern a surrogate pair is one character: only a lone surrogate is Cs.
const SURROGATE = /\p{Cs}/u
const FORM = 'application/x-www-form-urlencoded'
const JSON_TYPE = /^application\/([\w.-]+\+)?json$/

// ignoreBOM keeps a byte-order mark, so the text is exactly what a route would read.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const lossyUtf8 = new TextDecoder('utf-8', { ignoreBOM: true })

/** Why no field may hold this text (PostgreSQL refuses both), or undefined when it may. */
function flawIn(text: string): string | undefined {
  if (text.includes('\u0000')) return NUL
  if (SURROGATE.test(text)) return LONE_SURROGATE
  return undefined
}

/**
 * Refuses, with 400 naming the field, a request whose path segments, query parameters or body
 * hold a NUL character, a lone surrogate, bytes that are not UTF-8 or broken percent-encoding:
 * text no route can store (PostgreSQL refuses it) and none has a use for. Runs before any route
 * code, the URL before even the caller is worked out. A body is read once, through Hono's cache,
 * and handed on: routes read it as usual. Every body must be UTF-8 (the API reads no binary); a
 * gzip-compressed one is checked decompressed, refused with 413 past the route's body limit once
 * decompressed; any other Content-Encoding is refused.
 */
export function checkUrl(): MiddlewareHandler<RouteEnv> {
  return async function checkUrl(c, next) {
    const url = new URL(c.req.url)
    const found = flawInPath(c, url.pathname) ?? flawInPairs(url.search.slice(1), 'query')
    if (found) throw new InvalidInputError(`${found.field}: ${found.flaw}`)
    await next()
  }
}

/** The body half of the check (see checkUrl), once the caller and their body limit are known. */
export function checkBody(limitOf: BodyLimitOf): MiddlewareHandler<RouteEnv> {
  return async function checkBody(c, next) {
    const found = c.req.raw.body ? await flawInBody(c, limitOf) : undefined
    if (found) throw new InvalidInputError(`${found.field}: ${found.flaw}`)
    await next()
  }
}

/** Percent-decoded text (a query's `+` as a space), or undefined when it cannot be decoded. */
function decoded(text: string, plusIsSpace: boolean): string | undefined {
  try {
    return decodeURIComponent(plusIsSpace ? text.replaceAll('+', ' ') : text)
  } catch {
    return undefined
  }
}

/** Text as a message may quote it: escaped, cut short. */
const shown = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)

const fieldOf = (parent: string, key: string) =>
  /^[A-Za-z_$][\w$-]*$/.test(key) ? `${parent}.${key}` : `${parent}[${shown(key)}]`

function flawInPath(c: Context, pathname: string): Flaw | undefined {
  for (const [index, segment] of pathname.split('/').entries()) {
    const text = decoded(segment, false)
    const flaw = text === undefined ? BAD_ESCAPE : flawIn(text)
    if (flaw) return { field: pathFieldOf(c, index, segment), flaw }
  }
  return undefined
}

/** The route's own name for a path segment (`path.id` for `/api/datasets/:id`), if it has one. */
function pathFieldOf(c: Context, index: number, segment: string): string {
  const route = matchedRoutes(c).findLast((r) => r.method !== 'ALL' && !r.path.includes('*'))
  const name = /^:(\w+)/.exec(route?.path.split('/')[index] ?? '')?.[1]
  return name ? `path.${name}` : `path segment ${shown(segment)}`
}

/** `a=1&b=2` as a query string or a form body sends it. */
function flawInPairs(encoded: string, root: 'query' | 'body'): Flaw | undefined {
  for (const pair of encoded.split('&')) {
    if (pair === '') continue
    const at = pair.indexOf('=')
    const rawName = at < 0 ? pair : pair.slice(0, at)
    const name = decoded(rawName, true)
    const nameFlaw = name === undefined ? BAD_ESCAPE : flawIn(name)
    if (name === undefined || nameFlaw)
      return { field: `${root}[${shown(rawName)}]`, flaw: `its name ${nameFlaw ?? BAD_ESCAPE}` }
    const value = decoded(at < 0 ? '' : pair.slice(at + 1), true)
    const flaw = value === undefined ? BAD_ESCAPE : flawIn(value)
    if (flaw) return { field: fieldOf(root, name), flaw }
  }
  return undefined
}

/** A value met while walking a JSON body: its parent and its key there, for naming it. */
interface Visit {
  value: unknown
  parent?: Visit
  key?: string | number
  depth: number
}

/**
 * Levels of arrays and objects a JSON body may nest: far more than any request (an OpenLineage
 * schema facet of structs in structs included), far fewer than make JSON.stringify overflow the
 * stack when a route stores the value.
 */
const MAX_JSON_DEPTH = 100

/** `body.columns[0].name`: a path made when a flaw is found, not for every value walked. */
function fieldAt(visit: Visit, root: string): string {
  const keys: (string | number)[] = []
  for (let at: Visit | undefined = visit; at?.key !== undefined; at = at.parent) keys.push(at.key)
  keys.reverse()
  const parts = keys.map((key) => (typeof key === 'number' ? `[${key}]` : fieldOf('', key)))
  // However deep the body nests, the message stays short.
  const shownParts = parts.length > 24 ? [...parts.slice(0, 8), '…', ...parts.slice(-12)] : parts
  return `${root}${shownParts.join('')}`
}

/**
 * Every string and key of a JSON value, without recursion: strings and keys are checked where
 * they stand, and only arrays and objects wait on the stack (a body of a million numbers holds
 * no million visits).
 */
function flawInJson(
  value: unknown,
  root: string,
  flawOf: (text: string) => string | undefined,
): Flaw | undefined {
  if (typeof value === 'string') {
    const flaw = flawOf(value)
    return flaw ? { field: root, flaw } : undefined
  }
  const stack: Visit[] = [{ value, depth: 0 }]
  for (let visit = stack.pop(); visit; visit = stack.pop()) {
    if (visit.depth > MAX_JSON_DEPTH)
      return {
        field: fieldAt(visit, root),
        flaw: `nests deeper than ${MAX_JSON_DEPTH} levels of arrays and objects: flatten it`,
      }
    const parent = visit
    const nested: Visit[] = []
    const check = (key: string | number, child: unknown): Flaw | undefined => {
      const at = () => fieldAt({ value: child, parent, key, depth: parent.depth + 1 }, root)
      const keyFlaw = typeof key === 'string' ? flawOf(key) : undefined
      if (keyFlaw) return { field: at(), flaw: `its name ${keyFlaw}` }
      if (typeof child === 'string') {
        const flaw = flawOf(child)
        return flaw ? { field: at(), flaw } : undefined
      }
      if (child !== null && typeof child === 'object')
        nested.push({ value: child, parent, key, depth: parent.depth + 1 })
      return undefined
    }
    const v = visit.value
    if (Array.isArray(v)) {
      for (let index = 0; index < v.length; index++) {
        const found = check(index, v[index])
        if (found) return found
      }
    } else if (v !== null && typeof v === 'object') {
      for (const key of Object.keys(v)) {
        const found = check(key, (v as Record<string, unknown>)[key])
        if (found) return found
      }
    }
    for (let i = nested.length - 1; i >= 0; i--) stack.push(nested[i] as Visit)
  }
  return undefined
}

async function flawInBody(c: Context, limitOf: BodyLimitOf): Promise<Flaw | undefined> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  // Text by its type (or, untyped, possibly so): it must be UTF-8. Other bodies are checked
  // only when they turn out to be UTF-8 JSON, which some routes parse whatever the type says.
  const textual = type === '' || type.startsWith('text/') || JSON_TYPE.test(type) || type === FORM
  const sent = new Uint8Array(await c.req.arrayBuffer())
  // Hono caches the bytes for c.req.json() and friends; a route reading the stream gets them too.
  c.req.raw = new Request(c.req.raw, { body: sent })
  const encoding = contentEncodingOf(c.req.header('content-encoding'))
  if (encoding === undefined)
    return {
      field: 'body',
      flaw: 'has a Content-Encoding the API does not read: send it plain, or compressed with gzip',
    }
  const compressed = encoding === 'gzip'
  let bytes: Uint8Array = sent
  if (compressed) {
    const limit = limitOf(c.req.method, c.req.path, c.get('caller') !== undefined)
    try {
      bytes = gunzipSync(sent, { maxOutputLength: limit.bytes })
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLargeError(limit)
      return {
        field: 'body',
        flaw: 'is not gzip, as its Content-Encoding says: compress it with gzip or leave the header out',
      }
    }
  }
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch {
    return { field: textual ? whereNotUtf8(bytes) : 'body', flaw: NOT_UTF8 }
  }
  // Hono keeps promises there (its types say values): c.req.json() parses this text, once.
  if (!compressed) (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text)
  if (type === FORM) return flawInPairs(text, 'body')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    // Not JSON: the route will say so; text that is not JSON is refused whole for a NUL.
    return textual && text.includes('\u0000') ? { field: 'body', flaw: NUL } : undefined
  }
  return flawInJson(value, 'body', flawIn)
}

/** The first JSON field whose bytes are not UTF-8 (seen as U+FFFD once decoded), else `body`. */
function whereNotUtf8(bytes: Uint8Array): string {
  try {
    const value: unknown = JSON.parse(lossyUtf8.decode(bytes))
    const found = flawInJson(value, 'body', (text) =>
      text.includes('\uFFFD') ? NOT_UTF8 : undefined,
    )
    return found?.field ?? 'body'
  } catch {
    return 'body'
  }
}
