import type { IncomingMessage } from 'node:http'
import type { Context } from 'hono'

/**
 * The address a request came from: the connection's own, or with `trustedProxies` reverse
 * proxies in front (TRUST_PROXY), the entry that many from the end of X-Forwarded-For, which the
 * nearest proxy appends and nobody outside can forge (entries before it are the client's say).
 * Undefined for a request with no connection at all (one made in process, as tests do).
 */
export function clientAddress(c: Context, trustedProxies: number): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
  if (!incoming) return undefined
  const own = incoming.socket?.remoteAddress ?? 'unknown'
  if (trustedProxies === 0) return own
  const forwarded = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
  // Fewer entries than proxies: the request did not come through them all; trust the socket.
  // An address is at most 45 characters (IPv6): a longer entry is cut, not stored whole.
  return forwarded.at(-trustedProxies)?.slice(0, 64) ?? own
}
