import { describe, expect, test } from 'vitest';
import { assertPublicUrl, isPrivateAddress, literalHostProblem, PrivateAddressError, type ResolveAll } from '../../services/http/private-address.ts';

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
