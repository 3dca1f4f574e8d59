import dns from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { Agent } from 'undici';
import { isPrivateAddress, PrivateAddressError, privateAddressMessage } from './private-address.ts';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** `dns.lookup` with `all: true`, in callback form: what the agent resolves host names with. */
export type LookupAllCallback = (
  hostname: string,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const lookupWithSystem: LookupAllCallback = (hostname, callback) => dns.lookup(hostname, { all: true, verbatim: true }, callback);

export interface GuardedAgentOptions {
  /** Replaces the system resolver, e.g. to make a test host name resolve to 127.0.0.1. */
  lookup?: LookupAllCallback;
  connectTimeoutMs?: number;
}

/**
 * An undici Agent that checks the addresses a host name resolves to at the moment
 * of connecting. Checking only before the request would let a host answer with a
 * public address first and a private one for the connection (DNS rebinding).
 * Literal IP hosts never reach `lookup`; the HTTP client checks those itself.
 * Share one per process and close it on shutdown.
 */
export function createGuardedAgent(allowPrivate: boolean, options: GuardedAgentOptions = {}): Agent {
  const resolveAll = options.lookup ?? lookupWithSystem;
  const guardedLookup = (hostname: string, lookupOptions: LookupOptions, callback: LookupCallback): void => {
    resolveAll(hostname, (error, resolved) => {
      if (error) return callback(error, []);
      const addresses = resolved.filter((entry) => !lookupOptions.family || entry.family === lookupOptions.family);
      const privateAddress = allowPrivate ? undefined : addresses.find((entry) => isPrivateAddress(entry.address));
      if (privateAddress) return callback(new PrivateAddressError(privateAddressMessage(hostname, privateAddress.address)), []);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
      if (lookupOptions.all) return callback(null, addresses);
      callback(null, first.address, first.family);
    });
  };
  return new Agent({ connect: { lookup: guardedLookup, timeout: options.connectTimeoutMs ?? 10_000 } });
}
