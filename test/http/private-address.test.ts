import { describe, expect, test } from 'vitest';
import { assertPublicUrl, isPrivateAddress, literalHostProblem, PrivateAddressError, type ResolveAll } from '../../services/sources/http/private-address.ts';
import { SPECIAL_IPV4, SPECIAL_IPV6 } from '../../services/sources/http/special-purpose-addresses.ts';

// An independent reading of the tables: first and last address of every block, by bit arithmetic.
function ipv4ToNumber(ip: string): number {
  return ip.split('.').reduce((value, part) => value * 256 + Number(part), 0);
}
function numberToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}
function ipv4Range(network: string, prefix: number): [string, string] {
  const first = ipv4ToNumber(network);
  return [numberToIpv4(first), numberToIpv4(first + 2 ** (32 - prefix) - 1)];
}
function ipv6ToBigInt(ip: string): bigint {
  const [head = '', tail = ''] = ip.split('::');
  const words = (part: string) => (part === '' ? [] : part.split(':'));
  const all = [...words(head), ...new Array(8 - words(head).length - words(tail).length).fill('0'), ...words(tail)];
  return all.reduce((value, word) => (value << 16n) | BigInt(parseInt(word, 16)), 0n);
}
function bigIntToIpv6(value: bigint): string {
  return [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => ((value >> shift) & 0xffffn).toString(16)).join(':');
}
function ipv6Range(network: string, prefix: number): [string, string] {
  const first = ipv6ToBigInt(network);
  return [bigIntToIpv6(first), bigIntToIpv6(first + (1n << BigInt(128 - prefix)) - 1n)];
}
function hexWords(ipv4: string): string {
  const value = ipv4ToNumber(ipv4);
  return `${Math.floor(value / 65536).toString(16)}:${(value % 65536).toString(16)}`;
}

describe('isPrivateAddress covers the IANA special-purpose registries', () => {
  const ipv4Rows = SPECIAL_IPV4.flatMap((block) => ipv4Range(block.network, block.prefix).map((address) => [address, block.name]));
  const ipv6Rows = SPECIAL_IPV6.flatMap((block) => ipv6Range(block.network, block.prefix).map((address) => [address, block.name]));
  // Every special IPv4 address stays refused in every IPv6 form that can carry it to the host.
  const embeddedRows = SPECIAL_IPV4.flatMap((block) =>
    ipv4Range(block.network, block.prefix).flatMap((ipv4) => [
      [`::ffff:${ipv4}`, `IPv4-mapped ${block.name}`],
      [`[::ffff:${hexWords(ipv4)}]`, `IPv4-mapped ${block.name}`],
      [`::ffff:0:${ipv4}`, `IPv4-translated ${block.name}`],
      [`::${ipv4}`, `IPv4-compatible ${block.name}`],
      [`64:ff9b::${ipv4}`, `NAT64 ${block.name}`],
      [`64:ff9b:1::${hexWords(ipv4)}`, `local NAT64 ${block.name}`],
      [`2002:${hexWords(ipv4)}::1`, `6to4 ${block.name}`],
    ]),
  );

  test.each([...ipv4Rows, ...ipv6Rows, ...embeddedRows])('%s is private (%s)', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  test.each([
    ['[::ffff:0:7f00:1]', 'IPv4-translated loopback, bracketed as in a URL'],
    ['::ffff:0:a00:1', 'IPv4-translated 10.0.0.1'],
    ['::ffff:0:0:0', 'IPv4-translated 0.0.0.0'],
    ['::ffff:0:808:808', 'IPv4-translated public address: the prefix is never routed'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'Teredo carrying 127.0.0.1 (client address is inverted)'],
    ['2001:2::1', 'benchmarking'],
    ['2001:20::1', 'ORCHIDv2'],
    ['3fff:123::1', 'documentation (RFC 9637)'],
    ['5f00::1', 'segment routing'],
    ['fec0::1', 'site-local'],
    ['FE80::1', 'link-local in capitals'],
  ])('%s is private (%s)', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  test.each([
    ['8.8.8.8', 'public IPv4'],
    ['11.0.0.0', 'just after 10.0.0.0/8'],
    ['9.255.255.255', 'just before 10.0.0.0/8'],
    ['100.63.255.255', 'just before carrier-grade NAT'],
    ['100.128.0.0', 'just after carrier-grade NAT'],
    ['172.15.255.255', 'just before 172.16.0.0/12'],
    ['172.32.0.0', 'just after 172.16.0.0/12'],
    ['192.0.1.1', 'between 192.0.0.0/24 and TEST-NET-1'],
    ['198.17.255.255', 'just before benchmarking'],
    ['198.20.0.0', 'just after benchmarking'],
    ['223.255.255.255', 'just before multicast'],
    ['::ffff:8.8.8.8', 'IPv4-mapped public'],
    ['::ffff:808:808', 'IPv4-mapped public in hex'],
    ['64:ff9b::8.8.8.8', 'NAT64 public'],
    ['2002:808:808::1', '6to4 public'],
    ['2001:200::1', 'first address after 2001::/23'],
    ['2001:db9::1', 'just after documentation'],
    ['2606:4700:4700::1111', 'public IPv6'],
    ['2a00:1450:4007:80e::200e', 'public IPv6'],
  ])('%s is public (%s)', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});


describe('isPrivateAddress', () => {
  test.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.10',
    '169.254.169.254',
    '100.64.0.1',
    '100.127.255.254',
    '0.0.0.0',
    '0.1.2.3',
    '224.0.0.251',
    '255.255.255.255',
    '192.0.2.10',
    '198.18.0.1',
    '::',
    '::1',
    '[::1]',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::127.0.0.1',
    'fc00::1',
    'fd12:3456:789a::1',
    'fe80::1',
    'fe80::1%eth0',
    'ff02::1',
    '2001:db8::1',
    '64:ff9b::10.0.0.1',
    '64:ff9b::7f00:1',
    '2002:7f00:1::1',
    '2002:c0a8:0101::1',
  ])('%s is private', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });

  test.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '193.0.14.129', '2606:4700:4700::1111', '2a00:1450:4007:80e::200e', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8', '2002:0808:0808::1'])(
    '%s is public',
    (ip) => {
      expect(isPrivateAddress(ip)).toBe(false);
    },
  );

  test('a host name is not an address', () => {
    expect(isPrivateAddress('example.com')).toBe(false);
  });
});

describe('literalHostProblem', () => {
  test.each([
    ['http://127.0.0.1:8080/x', 'points at 127.0.0.1, a private address; set EARSHOT_ALLOW_PRIVATE_URLS=true to allow it'],
    ['https://10.0.0.5/', 'points at 10.0.0.5, a private address; set EARSHOT_ALLOW_PRIVATE_URLS=true to allow it'],
    ['http://[::1]/', 'points at ::1, a private address; set EARSHOT_ALLOW_PRIVATE_URLS=true to allow it'],
    ['http://[::ffff:0:7f00:1]/', 'points at ::ffff:0:7f00:1, a private address; set EARSHOT_ALLOW_PRIVATE_URLS=true to allow it'],
    ['http://[64:ff9b::a00:1]:8080/', 'points at 64:ff9b::a00:1, a private address; set EARSHOT_ALLOW_PRIVATE_URLS=true to allow it'],
    ['http://localhost:3000/', 'points at localhost, this machine; set EARSHOT_ALLOW_PRIVATE_URLS=true to allow it'],
    ['http://api.localhost/', 'points at api.localhost, this machine; set EARSHOT_ALLOW_PRIVATE_URLS=true to allow it'],
    // Other spellings of 127.0.0.1 that URL parsing normalises.
    ['http://2130706433/', 'points at 127.0.0.1, a private address; set EARSHOT_ALLOW_PRIVATE_URLS=true to allow it'],
    ['http://0x7f.1/', 'points at 127.0.0.1, a private address; set EARSHOT_ALLOW_PRIVATE_URLS=true to allow it'],
    ['file:///etc/passwd', 'must be an http or https URL, not file:'],
    ['gopher://example.com/', 'must be an http or https URL, not gopher:'],
    ['not a url', 'is not a valid URL'],
  ])('%s → %s', (url, problem) => {
    expect(literalHostProblem(url)).toBe(problem);
  });

  test('public hosts, and private ones when allowed, have no problem', () => {
    expect(literalHostProblem('https://places.googleapis.com/v1/places/x?key=abc')).toBeNull();
    expect(literalHostProblem('http://127.0.0.1:8080/', true)).toBeNull();
    expect(literalHostProblem('ftp://127.0.0.1/', true)).toBe('must be an http or https URL, not ftp:');
  });

  test('never repeats the query string', () => {
    expect(literalHostProblem('http://10.0.0.1/?key=very-secret')).not.toContain('very-secret');
  });
});

describe('assertPublicUrl', () => {
  const resolvingTo = (address: string): ResolveAll => async () => [{ address: '93.184.215.14', family: 4 }, { address, family: address.includes(':') ? 6 : 4 }];

  test('refuses a host name that resolves to a private address', async () => {
    await expect(assertPublicUrl('https://sneaky.example/', false, resolvingTo('127.0.0.1'))).rejects.toThrow(
      new PrivateAddressError('host sneaky.example resolves to a private address (127.0.0.1); set EARSHOT_ALLOW_PRIVATE_URLS=true to allow it'),
    );
    await expect(assertPublicUrl('https://sneaky.example/', false, resolvingTo('fd00::2'))).rejects.toBeInstanceOf(PrivateAddressError);
  });

  test('refuses literal private hosts and localhost without asking DNS', async () => {
    const noDns: ResolveAll = async () => {
      throw new Error('DNS must not be asked');
    };
    await expect(assertPublicUrl('http://localhost/', false, noDns)).rejects.toBeInstanceOf(PrivateAddressError);
    await expect(assertPublicUrl('http://10.9.8.7/', false, noDns)).rejects.toBeInstanceOf(PrivateAddressError);
    await expect(assertPublicUrl('ftp://example.com/', false, noDns)).rejects.toBeInstanceOf(PrivateAddressError);
  });

  test('accepts public hosts, and anything http(s) when private URLs are allowed', async () => {
    await expect(assertPublicUrl('https://public.example/', false, async () => [{ address: '93.184.215.14', family: 4 }])).resolves.toBeUndefined();
    await expect(assertPublicUrl('https://sneaky.example/', true, resolvingTo('127.0.0.1'))).resolves.toBeUndefined();
  });
});
