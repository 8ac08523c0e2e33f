import { describe, expect, it } from 'vitest'
import { isPublicAddress } from './receiver-address.js'

/** Addresses as a resolver answers them (node writes IPv4 embedded in IPv6 dotted, as here). */
const REFUSED: [string, string][] = [
  ['0.0.0.0', 'this network, 0.0.0.0/8'],
  ['0.1.2.3', 'this network, 0.0.0.0/8'],
  ['10.20.30.40', 'private, 10/8'],
  ['100.64.0.1', 'carrier-grade NAT, 100.64/10'],
  ['100.127.255.254', 'carrier-grade NAT, 100.64/10'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback, 127/8'],
  ['169.254.169.254', 'link-local (cloud metadata)'],
  ['172.16.0.1', 'private, 172.16/12'],
  ['172.31.255.254', 'private, 172.16/12'],
  ['192.0.0.8', 'IETF protocol assignments, 192.0.0.0/24'],
  ['192.0.2.1', 'documentation, TEST-NET-1'],
  ['192.88.99.1', '6to4 relay anycast'],
  ['192.168.1.1', 'private, 192.168/16'],
  ['198.18.0.1', 'benchmarking, 198.18/15'],
  ['198.19.255.254', 'benchmarking, 198.18/15'],
  ['198.51.100.7', 'documentation, TEST-NET-2'],
  ['203.0.113.9', 'documentation, TEST-NET-3'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['240.0.0.1', 'reserved, 240/4'],
  ['255.255.255.255', 'broadcast'],
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
  ['::ffff:7f00:1', 'IPv4-mapped loopback, in hex'],
  ['::ffff:10.0.0.1', 'IPv4-mapped private'],
  ['::ffff:169.254.169.254', 'IPv4-mapped link-local'],
  ['::127.0.0.1', 'IPv4-compatible loopback'],
  ['::7f00:1', 'IPv4-compatible loopback, in hex'],
  ['::8.8.8.8', 'IPv4-compatible, even of a public address'],
  ['::ffff:0:8.8.8.8', 'IPv4-translated (RFC 6145)'],
  ['64:ff9b::127.0.0.1', 'NAT64 (RFC 6052)'],
  ['64:ff9b::8.8.8.8', 'NAT64, even of a public address'],
  ['64:ff9b:1::a00:1', 'local-use NAT64, 64:ff9b:1::/48'],
  ['100::1', 'discard-only, 100::/64'],
  ['2001::1', 'Teredo, 2001::/32'],
  ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
  ['2001:2::1', 'benchmarking, 2001:2::/48'],
  ['2001:db8::1', 'documentation, 2001:db8::/32'],
  ['2001:20::1', 'ORCHIDv2'],
  ['2002:7f00:1::1', '6to4 of loopback, 2002::/16'],
  ['2002:808:808::1', '6to4, even of a public address'],
  ['3fff::1', 'documentation, 3fff::/20'],
  ['fc00::1', 'unique local'],
  ['fd12:3456:789a::1', 'unique local'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local, with a zone'],
  ['fec0::1', 'site-local (deprecated)'],
  ['ff02::1', 'multicast'],
  ['4000::1', 'outside global unicast 2000::/3'],
  // Not written as a socket takes an address: refused whatever it might mean.
  ['0x7f.1', 'hex'],
  ['2130706433', 'a single number'],
  ['0177.0.0.1', 'octal'],
  ['127.1', 'short form'],
  ['134744072', 'a single number, even of a public address (8.8.8.8)'],
  ['8.8.8.8 ', 'trailing space'],
  ['[::1]', 'brackets'],
  ['', 'empty'],
  ['localhost', 'a name'],
]

const ALLOWED: [string, string][] = [
  ['8.8.8.8', 'public IPv4'],
  ['1.1.1.1', 'public IPv4'],
  ['100.63.255.255', 'just below carrier-grade NAT'],
  ['172.32.0.1', 'just past 172.16/12'],
  ['223.255.255.254', 'just below multicast'],
  ['2001:4860:4860::8888', 'public IPv6'],
  ['2606:4700:4700::1111', 'public IPv6'],
  ['::ffff:8.8.8.8', 'IPv4-mapped public'],
  ['::ffff:808:808', 'IPv4-mapped public, in hex'],
]

describe('isPublicAddress', () => {
  it.each(REFUSED)('refuses %s (%s)', (address) => {
    expect(isPublicAddress(address)).toBe(false)
  })

  it.each(ALLOWED)('allows %s (%s)', (address) => {
    expect(isPublicAddress(address)).toBe(true)
  })

  // A receiver URL's host reaches the rule as the URL parser wrote it: odd IPv4 notations are
  // dotted quads by then, and IPv6 is in hex (brackets stripped, as unsafeUrl does).
  it.each([
    ['https://0x7f.1/', '127.0.0.1'],
    ['https://2130706433/', '127.0.0.1'],
    ['https://0177.0.0.1/', '127.0.0.1'],
    ['https://127.1/', '127.0.0.1'],
    ['https://0xa9.0xfe.0xa9.0xfe/', '169.254.169.254'],
    ['https://[::ffff:127.0.0.1]/', '::ffff:7f00:1'],
    ['https://[::127.0.0.1]/', '::7f00:1'],
    ['https://[0:0:0:0:0:0:0:1]/', '::1'],
    ['https://[64:ff9b::10.0.0.1]/', '64:ff9b::a00:1'],
  ])('refuses the host of %s, which arrives as %s', (url, arrives) => {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '')
    expect(host).toBe(arrives)
    expect(isPublicAddress(host)).toBe(false)
  })
})
