import type { IncomingMessage } from 'node:http'
import type { Context } from 'hono'
import ipaddr from 'ipaddr.js'

/**
 * The address a request came from: the connection's own, or with `trustedProxies` reverse
 * proxies in front (TRUST_PROXY), the entry that many from the end of X-Forwarded-For, which the
 * nearest proxy appends and nobody outside can forge (entries before it are the client's say).
 * Undefined for a request with no connection at all (one made in process, as tests do). IPv6
 * addresses count by their /64.
 */
export function clientAddress(c: Context, trustedProxies: number): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
  if (!incoming) return undefined
  const own = incoming.socket?.remoteAddress ?? 'unknown'
  if (trustedProxies === 0) return counted(own)
  const forwarded = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
  // Fewer entries than proxies: the request did not come through them all; trust the socket.
  // An address is at most 45 characters (IPv6): a longer entry is cut, not stored whole.
  return counted(forwarded.at(-trustedProxies)?.slice(0, 64) ?? own)
}

/**
 * The address as limits count it: IPv4 as it is (an IPv4-mapped IPv6 address too), IPv6 by its
 * /64, which one client holds whole and could otherwise rotate through; anything else as given.
 */
function counted(address: string): string {
  if (!ipaddr.isValid(address)) return address
  const parsed = ipaddr.process(address)
  if (parsed.kind() === 'ipv4') return parsed.toString()
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4)
  return `${parts.map((part) => part.toString(16)).join(':')}::/64`
}
