import { request, WebSocket, type Dispatcher } from 'undici';
import { StreamError } from '../../connectors/stream-contract.ts';
import { shortReason } from '../runtime/error-reason.ts';
import { assertPublicUrl, PrivateAddressError } from '../sources/http/private-address.ts';

// A document a stream reads before it connects is small: one that takes longer is not coming.
const FETCH_TIMEOUT_MS = 10_000;

/**
 * The private-address rule for a stream's URL: checked as written and as its host
 * resolves (for a message naming the setting); the guarded agent checks the addresses
 * again as it connects (DNS rebinding).
 */
async function refusePrivateUrl(url: string, allowPrivateUrls: boolean, setting: string): Promise<void> {
  try {
    await assertPublicUrl(url.replace(/^ws(s?):/i, 'http$1:'), allowPrivateUrls);
  } catch (error) {
    if (error instanceof PrivateAddressError) throw new StreamError('config', `${setting} refused: the URL ${error.message}`);
    const reason = error instanceof Error ? shortReason(error) : String(error);
    throw new StreamError('transient', `cannot resolve the host of ${setting} (${reason})`, { cause: error });
  }
}

/**
 * Opens a stream's WebSocket under the private-address rule, through the process's
 * guarded agent. The client is undici's WebSocket, the implementation Node ships as its
 * global one: Node's bundled copy cannot take this agent.
 */
export function webSocketOpener(agent: Dispatcher, allowPrivateUrls: boolean, setting: string): (url: string, headers?: Record<string, string>) => Promise<WebSocket> {
  return async (url, headers) => {
    await refusePrivateUrl(url, allowPrivateUrls, setting);
    return new WebSocket(url, { dispatcher: agent, ...(headers === undefined ? {} : { headers }) });
  };
}

/** GETs a JSON document a stream reads before it connects, under the same rule and through the same agent. */
export function jsonFetcher(
  agent: Dispatcher,
  allowPrivateUrls: boolean,
  setting: string,
): (url: string, headers: Record<string, string> | undefined, signal: AbortSignal) => Promise<unknown> {
  return async (url, headers, signal) => {
    await refusePrivateUrl(url, allowPrivateUrls, setting);
    try {
      const response = await request(url, {
        dispatcher: agent,
        headers: { accept: 'application/json', ...headers },
        headersTimeout: FETCH_TIMEOUT_MS,
        bodyTimeout: FETCH_TIMEOUT_MS,
        signal,
      });
      if (response.statusCode !== 200) {
        await response.body.dump();
        throw new StreamError('transient', `${setting}: ${new URL(url).pathname} answered ${response.statusCode}`);
      }
      return await response.body.json();
    } catch (error) {
      if (error instanceof StreamError) throw error;
      throw new StreamError('transient', `${setting}: ${new URL(url).pathname} could not be read (${error instanceof Error ? shortReason(error) : String(error)})`, { cause: error });
    }
  };
}
