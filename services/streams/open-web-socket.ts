import { WebSocket, type Dispatcher } from 'undici';
import { StreamError } from '../../connectors/stream-contract.ts';
import { shortReason } from '../runtime/error-reason.ts';
import { assertPublicUrl, PrivateAddressError } from '../sources/http/private-address.ts';

/**
 * Opens a stream's WebSocket under the private-address rule: the URL is checked as
 * written and as its host resolves (for a message naming the setting), and the
 * connection goes through the process's guarded agent, which checks the addresses again
 * as it connects (DNS rebinding). The client is undici's WebSocket, the implementation
 * Node ships as its global one: Node's bundled copy cannot take this agent.
 */
export function webSocketOpener(agent: Dispatcher, allowPrivateUrls: boolean, setting: string): (url: string, headers?: Record<string, string>) => Promise<WebSocket> {
  return async (url, headers) => {
    try {
      await assertPublicUrl(url.replace(/^ws(s?):/i, 'http$1:'), allowPrivateUrls);
    } catch (error) {
      if (error instanceof PrivateAddressError) throw new StreamError('config', `${setting} refused: the URL ${error.message}`);
      const reason = error instanceof Error ? shortReason(error) : String(error);
      throw new StreamError('transient', `cannot resolve the host of ${setting} (${reason})`, { cause: error });
    }
    return new WebSocket(url, { dispatcher: agent, ...(headers === undefined ? {} : { headers }) });
  };
}
