import { lookup } from 'node:dns/promises';
import net from 'node:net';

/**
 * The guard for user-supplied URLs (a connector's `baseUrl`, a redirect target):
 * Earshot must not become a way to reach the machine it runs on or the network
 * behind it, unless the operator says so with EARSHOT_ALLOW_PRIVATE_URLS=true.
 */

export const ALLOW_PRIVATE_HINT = 'set EARSHOT_ALLOW_PRIVATE_URLS=true to allow it';

/** A URL Earshot refuses to fetch: not http(s), or pointing at a private or local address. */
export class PrivateAddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrivateAddressError';
  }
}

/** Resolves a host name to every address it has, as `dns.lookup(host, { all: true })` does. */
export type ResolveAll = (hostname: string) => Promise<ReadonlyArray<{ address: string; family: number }>>;

const resolveWithSystem: ResolveAll = (hostname) => lookup(hostname, { all: true, verbatim: true });

// Not reachable as public internet hosts: this host, private networks, link-local,
// carrier-grade NAT, documentation/benchmark/reserved blocks, multicast, broadcast.
const BLOCKED_IPV4: ReadonlyArray<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

// ::/96 holds the unspecified address, loopback and the deprecated IPv4-compatible form.
// IPv4-mapped (::ffff:0:0/96) is checked against the IPv4 list by BlockList itself.
const BLOCKED_IPV6: ReadonlyArray<[string, number]> = [
  ['::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 32],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
];

function buildBlockList(): net.BlockList {
  const list = new net.BlockList();
  for (const [network, prefix] of BLOCKED_IPV4) list.addSubnet(network, prefix, 'ipv4');
  for (const [network, prefix] of BLOCKED_IPV6) list.addSubnet(network, prefix, 'ipv6');
  return list;
}

// Built once and never changed after: a lookup table, not state.
const BLOCKED = buildBlockList();

/** True for any address that is not a public unicast internet address. Non-addresses are false. */
export function isPrivateAddress(ip: string): boolean {
  const address = stripBrackets(ip).replace(/%.*$/, '');
  const family = net.isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family !== 6) return false;
  if (BLOCKED.check(address, 'ipv6')) return true;
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address inside: judge that one.
  const embedded = embeddedIpv4(address);
  return embedded !== null && BLOCKED.check(embedded, 'ipv4');
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function embeddedIpv4(ipv6: string): string | null {
  const words = ipv6Words(ipv6);
  if (words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((word) => word === 0)) {
    return wordsToIpv4(words[6] ?? 0, words[7] ?? 0);
  }
  if (words[0] === 0x2002) return wordsToIpv4(words[1] ?? 0, words[2] ?? 0);
  return null;
}

function wordsToIpv4(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** The eight 16-bit words of a valid IPv6 address (a trailing dotted quad allowed). */
function ipv6Words(ipv6: string): number[] {
  let text = ipv6;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted[1].split('.').map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((word) => parseInt(word, 16)));
  const headWords = parse(head);
  const tailWords = tail === undefined ? [] : parse(tail);
  const zeros = new Array<number>(8 - headWords.length - tailWords.length).fill(0);
  return [...headWords, ...zeros, ...tailWords];
}

function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  // RFC 6761: every *.localhost name is loopback, whatever DNS says.
  return name === 'localhost' || name.endsWith('.localhost');
}

/**
 * What is wrong with fetching `url`, judged from its text alone (no DNS), or null:
 * for validating input as it is typed. Phrased to follow the field's name
 * ("baseUrl points at 10.0.0.5, a private address; …"). A host name can still resolve to a private
 * address; `assertPublicUrl` and the guarded agent catch that.
 */
export function literalHostProblem(url: string, allowPrivate = false): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a valid URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return `must be an http or https URL, not ${parsed.protocol}`;
  }
  if (allowPrivate) return null;
  const host = stripBrackets(parsed.hostname);
  if (isLocalhostName(host)) return `points at ${host}, this machine; ${ALLOW_PRIVATE_HINT}`;
  if (isPrivateAddress(host)) return `points at ${host}, a private address; ${ALLOW_PRIVATE_HINT}`;
  return null;
}

/**
 * Refuses a URL that is not http(s), or whose host is, or resolves to, a private
 * address. DNS failures are not a verdict on the URL and propagate as they are.
 */
export async function assertPublicUrl(url: string, allowPrivate: boolean, resolveAll: ResolveAll = resolveWithSystem): Promise<void> {
  const problem = literalHostProblem(url, allowPrivate);
  if (problem !== null) throw new PrivateAddressError(problem);
  if (allowPrivate) return;
  const host = stripBrackets(new URL(url).hostname);
  if (net.isIP(host) !== 0) return;
  const privateAddress = (await resolveAll(host)).find((entry) => isPrivateAddress(entry.address));
  if (privateAddress) throw new PrivateAddressError(privateAddressMessage(host, privateAddress.address));
}

export function privateAddressMessage(hostname: string, address: string): string {
  return `host ${hostname} resolves to a private address (${address}); ${ALLOW_PRIVATE_HINT}`;
}
