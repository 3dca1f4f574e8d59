/**
 * Every block of the IANA IPv4 and IPv6 Special-Purpose Address Registries
 * (iana.org/assignments/iana-ipv4-special-registry and iana-ipv6-special-registry,
 * as of 2025), plus the multicast blocks and the deprecated IPv6 site-local and
 * IPv4-translated (SIIT, RFC 2765) blocks, which are not public unicast either.
 *
 * All of them are refused, even the few the registry marks "globally reachable"
 * (AS112, AMT, 192.0.0.9/10): no review platform is served from them, and a guard that
 * refuses a whole registry is easier to check than one that picks entries from it.
 *
 * Blocks that carry an IPv4 address inside an IPv6 one are listed apart: those
 * whose IPv4 address reaches the public internet are judged by that address.
 */

export type AddressBlock = { network: string; prefix: number; name: string };

export const SPECIAL_IPV4: ReadonlyArray<AddressBlock> = [
  { network: '0.0.0.0', prefix: 8, name: '"this network" (RFC 791)' },
  { network: '10.0.0.0', prefix: 8, name: 'private use (RFC 1918)' },
  { network: '100.64.0.0', prefix: 10, name: 'shared address space / carrier-grade NAT (RFC 6598)' },
  { network: '127.0.0.0', prefix: 8, name: 'loopback (RFC 1122)' },
  { network: '169.254.0.0', prefix: 16, name: 'link local (RFC 3927)' },
  { network: '172.16.0.0', prefix: 12, name: 'private use (RFC 1918)' },
  { network: '192.0.0.0', prefix: 24, name: 'IETF protocol assignments (RFC 6890), incl. DS-Lite, NAT64 discovery, PCP/TURN anycast' },
  { network: '192.0.2.0', prefix: 24, name: 'documentation TEST-NET-1 (RFC 5737)' },
  { network: '192.31.196.0', prefix: 24, name: 'AS112-v4 (RFC 7535)' },
  { network: '192.52.193.0', prefix: 24, name: 'AMT (RFC 7450)' },
  { network: '192.88.99.0', prefix: 24, name: 'deprecated 6to4 relay anycast (RFC 7526)' },
  { network: '192.168.0.0', prefix: 16, name: 'private use (RFC 1918)' },
  { network: '192.175.48.0', prefix: 24, name: 'direct delegation AS112 service (RFC 7534)' },
  { network: '198.18.0.0', prefix: 15, name: 'benchmarking (RFC 2544)' },
  { network: '198.51.100.0', prefix: 24, name: 'documentation TEST-NET-2 (RFC 5737)' },
  { network: '203.0.113.0', prefix: 24, name: 'documentation TEST-NET-3 (RFC 5737)' },
  { network: '224.0.0.0', prefix: 4, name: 'multicast (RFC 5771)' },
  { network: '240.0.0.0', prefix: 4, name: 'reserved, incl. limited broadcast 255.255.255.255 (RFC 1112, RFC 919)' },
];

export const SPECIAL_IPV6: ReadonlyArray<AddressBlock> = [
  // ::/128 unspecified, ::1/128 loopback, and the deprecated IPv4-compatible ::a.b.c.d (RFC 4291).
  { network: '::', prefix: 96, name: 'unspecified, loopback and IPv4-compatible (RFC 4291)' },
  { network: '::ffff:0:0:0', prefix: 96, name: 'IPv4-translated (RFC 2765), never routed on the internet' },
  { network: '64:ff9b:1::', prefix: 48, name: 'local-use IPv4/IPv6 translation (RFC 8215)' },
  { network: '100::', prefix: 64, name: 'discard-only (RFC 6666)' },
  { network: '100:0:0:1::', prefix: 64, name: 'dummy IPv6 prefix (RFC 9780)' },
  // 2001::/23 holds Teredo (2001::/32), PCP/TURN/DNS-SD anycast, benchmarking, AMT,
  // AS112-v6, ORCHID, ORCHIDv2 and drone remote ID (RFC 2928 and successors).
  { network: '2001::', prefix: 23, name: 'IETF protocol assignments, incl. Teredo (RFC 2928, RFC 4380)' },
  { network: '2001:db8::', prefix: 32, name: 'documentation (RFC 3849)' },
  { network: '2620:4f:8000::', prefix: 48, name: 'direct delegation AS112 service (RFC 7534)' },
  { network: '3fff::', prefix: 20, name: 'documentation (RFC 9637)' },
  { network: '5f00::', prefix: 16, name: 'segment routing SIDs (RFC 9602)' },
  { network: 'fc00::', prefix: 7, name: 'unique local (RFC 4193)' },
  { network: 'fe80::', prefix: 10, name: 'link-local unicast (RFC 4291)' },
  { network: 'fec0::', prefix: 10, name: 'deprecated site-local (RFC 3879)' },
  { network: 'ff00::', prefix: 8, name: 'multicast (RFC 4291)' },
];

/**
 * IPv6 blocks whose last or middle bits are an IPv4 address the packet ends up at.
 * Each is judged by that IPv4 address: `::ffff:8.8.8.8` is public, `::ffff:127.0.0.1` is not.
 * (IPv4-compatible, IPv4-translated, local-use NAT64 and Teredo are refused whole above.)
 */
export type Ipv4Embedding = { network: string; prefix: number; name: string; ipv4At: (words: ReadonlyArray<number>) => [number, number] };

export const IPV4_EMBEDDINGS: ReadonlyArray<Ipv4Embedding> = [
  { network: '::ffff:0:0', prefix: 96, name: 'IPv4-mapped (RFC 4291)', ipv4At: (w) => [w[6] ?? 0, w[7] ?? 0] },
  { network: '64:ff9b::', prefix: 96, name: 'IPv4/IPv6 translation, NAT64 (RFC 6052)', ipv4At: (w) => [w[6] ?? 0, w[7] ?? 0] },
  { network: '2002::', prefix: 16, name: '6to4 (RFC 3056)', ipv4At: (w) => [w[1] ?? 0, w[2] ?? 0] },
];
