import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { IPV4_EMBEDDINGS, SPECIAL_IPV4, SPECIAL_IPV6 } from './special-purpose-addresses.ts';

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

function buildBlockList(): net.BlockList {
  const list = new net.BlockList();
  for (const block of SPECIAL_IPV4) list.addSubnet(block.network, block.prefix, 'ipv4');
  for (const block of SPECIAL_IPV6) list.addSubnet(block.network, block.prefix, 'ipv6');
  return list;
}

// Built once and never changed after: lookup tables, not state.
const BLOCKED = buildBlockList();
const EMBEDDINGS = IPV4_EMBEDDINGS.map((embedding) => {
  const list = new net.BlockList();
  list.addSubnet(embedding.network, embedding.prefix, 'ipv6');
  return { list, ipv4At: embedding.ipv4At };
});

/**
 * True for any address that is not a public unicast internet address: every block of the
 * IANA special-purpose registries (services/sources/http/special-purpose-addresses.ts), and IPv6
 * forms that carry such an IPv4 address. Non-addresses are false.
 */
export function isPrivateAddress(ip: string): boolean {
  const address = stripBrackets(ip).replace(/%.*$/, '');
  const family = net.isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family !== 6) return false;
  if (BLOCKED.check(address, 'ipv6')) return true;
  const embedding = EMBEDDINGS.find((candidate) => candidate.list.check(address, 'ipv6'));
  if (embedding === undefined) return false;
  const [high, low] = embedding.ipv4At(ipv6Words(address));
  return BLOCKED.check(wordsToIpv4(high, low), 'ipv4');
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
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
