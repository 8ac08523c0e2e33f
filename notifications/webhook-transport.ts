import type { LookupAddress } from 'node:dns'
import { lookup } from 'node:dns/promises'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import { TLSSocket } from 'node:tls'
import { isPublicAddress } from './receiver-address.js'

/** How long a receiver has to answer a delivery. */
export const TIMEOUT_MS = 10_000

/** Resolves a host name to its addresses (node's `dns.lookup`, or a stand-in in tests). */
export type ResolveHost = (host: string) => Promise<readonly { address: string }[]>
const resolveWithDns: ResolveHost = (host) => lookup(host, { all: true })

/**
 * Why a receiver URL is refused, if it is: not https, credentials in it, or an address inside
 * the network the server sits in (so a webhook cannot be used to probe it).
 */
export function unsafeUrl(url: URL, allowPrivate: boolean): string | undefined {
  if (allowPrivate)
    return url.protocol === 'https:' || url.protocol === 'http:' ? undefined : 'must be http(s)'
  if (url.protocol !== 'https:') return 'must be https'
  if (url.username || url.password) return 'must not carry a user name or password'
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) && !isPublicAddress(host)))
    return 'must be a public address, not loopback or a private network'
  return undefined
}

/** A receiver the platform will not send to; the message is the reason, for the server log only. */
export class RefusedDestinationError extends Error {
  override name = 'RefusedDestinationError'
}

/**
 * Asked once the receiver is connected, right before anything of the request is written: false
 * calls the send off (e.g. the webhook was disabled or deleted while its name resolved).
 */
export type BeforeSend = () => Promise<boolean>

/** A send its {@link BeforeSend} called off: nothing of the request was written. */
export class WithdrawnSendError extends Error {
  override name = 'WithdrawnSendError'
}

/**
 * What a receiver's name resolves to now (a public name may point inside since), every address
 * checked unless private receivers are allowed: one inside the network refuses the name. A name
 * that does not resolve is refused too, so that failing to resolve and resolving inside cannot be
 * told apart. The refusal is for the server log only.
 */
async function resolveReceiver(
  host: string,
  allowPrivate: boolean,
  resolve: ResolveHost,
): Promise<{ addresses: LookupAddress[]; refusal?: undefined } | { refusal: string }> {
  let answer: readonly { address: string }[]
  try {
    answer = await resolve(host)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error)
    return { refusal: `${host} does not resolve: ${code}` }
  }
  if (answer.length === 0) return { refusal: `${host} resolves to no address` }
  const inside = allowPrivate ? undefined : answer.find((a) => !isPublicAddress(a.address))
  if (inside) return { refusal: `${host} resolves to a private address (${inside.address})` }
  return { addresses: answer.map(({ address }) => ({ address, family: isIP(address) })) }
}

/**
 * Why a receiver is refused before anything is sent (for the server log only), or undefined.
 * This only spares a doomed connection: what guards the network is {@link receiverLookup}, which
 * checks again exactly the addresses the socket then connects to.
 */
async function unsafeTarget(
  url: URL,
  allowPrivate: boolean,
  resolve: ResolveHost,
): Promise<string | undefined> {
  const refusal = unsafeUrl(url, allowPrivate)
  if (refusal || allowPrivate) return refusal
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (isIP(host)) return undefined // checked by unsafeUrl, and a socket does not look it up
  return (await resolveReceiver(host, false, resolve)).refusal
}

/**
 * The socket's only name resolution: resolves once, checks every address, and hands the socket
 * those addresses alone, so the address checked is the address connected to. (Checking first and
 * letting the socket resolve again would let a name answer a public address to the check and
 * 127.0.0.1 or 169.254.169.254 to the connection.)
 */
function receiverLookup(allowPrivate: boolean, resolve: ResolveHost): LookupFunction {
  return (host, options, callback) => {
    const wanted = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family
    resolveReceiver(host, allowPrivate, resolve).then(
      (checked) => {
        if (checked.refusal !== undefined) {
          callback(new RefusedDestinationError(checked.refusal), [])
          return
        }
        const addresses = checked.addresses.filter((a) => !wanted || a.family === wanted)
        const [first] = addresses
        if (!first) callback(new RefusedDestinationError(`${host}: no IPv${wanted} address`), [])
        else if (options.all) callback(null, addresses)
        else callback(null, first.address, first.family)
      },
      (error: Error) => callback(error, []),
    )
  }
}

/**
 * Posts one delivery and answers the receiver's HTTP status. Nothing of the answer is read past
 * its head, no redirect is followed, and it is abandoned after TIMEOUT_MS. Each send opens its own
 * connection (no pooled socket) and resolves the name only through `lookup`; https still verifies
 * the certificate against the URL's host name, which is also the SNI sent. Nothing is written
 * until the connection is up (TLS included) and `beforeSend` agrees, so a change that lands while
 * the name resolves or the connection opens still stops the send.
 */
function postWebhook(
  url: URL,
  headers: Record<string, string>,
  body: string,
  lookup: LookupFunction,
  beforeSend: BeforeSend = async () => true,
): Promise<number> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      agent: false,
      lookup,
    })
    const timer = setTimeout(
      () => req.destroy(new DOMException(`no answer within ${TIMEOUT_MS} ms`, 'TimeoutError')),
      TIMEOUT_MS,
    )
    req.on('response', (res) => {
      clearTimeout(timer)
      resolve(res.statusCode ?? 0)
      res.destroy() // the body is never read: a receiver cannot make the platform hold its answer
    })
    req.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    // A fresh socket (agent: false) is handed over before it connects; headers and body wait in
    // the request until `end`.
    req.once('socket', (socket) => {
      socket.once(socket instanceof TLSSocket ? 'secureConnect' : 'connect', () => {
        beforeSend().then(
          (go) => {
            if (go) req.end(body)
            else req.destroy(new WithdrawnSendError('called off before sending'))
          },
          (error: Error) => req.destroy(error),
        )
      })
    })
  })
}

/** Posts a delivery and answers the receiver's HTTP status. */
export type SendWebhook = (
  url: URL,
  headers: Record<string, string>,
  body: string,
  beforeSend?: BeforeSend,
) => Promise<number>

/**
 * A sender for one round of deliveries: each send refuses an unsafe receiver first (rejecting
 * with a {@link RefusedDestinationError}), then posts through {@link receiverLookup}, once
 * connected and if `beforeSend` agrees (rejecting with a {@link WithdrawnSendError} if not).
 */
export function createWebhookSender(options: {
  /** Allow plain-http, loopback and private receivers (tests, local demos). */
  allowPrivate: boolean
  /** How receivers' names are resolved, both to check and to connect; DNS by default. */
  resolve?: ResolveHost
}): SendWebhook {
  const { allowPrivate } = options
  const resolve = options.resolve ?? resolveWithDns
  const lookup = receiverLookup(allowPrivate, resolve)
  return async (url, headers, body, beforeSend) => {
    const refusal = await unsafeTarget(url, allowPrivate, resolve)
    if (refusal) throw new RefusedDestinationError(refusal)
    return postWebhook(url, headers, body, lookup, beforeSend)
  }
}
