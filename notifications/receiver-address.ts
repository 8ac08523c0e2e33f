import { isIP } from 'node:net'
import ipaddr from 'ipaddr.js'

/** IANA's global unicast space for IPv6: every public receiver's address lies in it. */
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3')

/**
 * The address as a socket would connect to it, or undefined when a socket would not take it as
 * written (`0x7f.1`, `2130706433`, a zone id): refused then, whatever it might mean. IPv6 is first
 * rewritten as a URL host is (embedded IPv4 in hex), because ipaddr.js reads `::a.b.c.d` as
 * `::ffff:a.b.c.d` while the socket connects to the IPv4-compatible `::a.b.c.d` itself.
 */
function parseAsConnected(address: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const family = isIP(address)
  if (family === 0) return undefined
  try {
    const text = family === 6 ? new URL(`http://[${address}]/`).hostname.slice(1, -1) : address
    return ipaddr.process(text) // an IPv4-mapped ::ffff:a.b.c.d becomes a.b.c.d
  } catch {
    return undefined
  }
}

/**
 * Whether the platform may send to this address: an allow-list, so only ordinary public unicast
 * passes. Everything ipaddr.js names otherwise (private, loopback, link-local, unique-local,
 * carrier-grade NAT, reserved and documentation, multicast, broadcast, unspecified, benchmarking,
 * NAT64, 6to4, Teredo and the other IPv6 transition and special ranges) is refused, IPv4 embedded
 * in IPv6 too unless it is plain IPv4-mapped; so is IPv6 outside 2000::/3 (the IPv4-compatible
 * ::/96 among it), which ipaddr.js calls unicast.
 */
export function isPublicAddress(address: string): boolean {
  const ip = parseAsConnected(address)
  if (ip?.range() !== 'unicast') return false
  return ip.kind() === 'ipv4' || ip.match(GLOBAL_UNICAST_V6)
}
