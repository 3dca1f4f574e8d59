import { isRecord } from './payload-shape.ts';
import { StreamError, type StreamContext } from './stream-contract.ts';

/** What a stream does with its socket's news. */
export interface SocketHandlers {
  /** The socket is open: subscribe if the platform wants it, then tell the listener. */
  opened(socket: WebSocket): void;
  /** One text message, in order. */
  message(text: string): void;
}

function closeReason(event: CloseEvent): string {
  return event.code === 1006 ? 'the connection failed or was cut' : `closed with ${event.code}${event.reason === '' ? '' : ` (${event.reason})`}`;
}

/**
 * Runs one stream WebSocket to its end: resolves once `ctx.signal` aborts it, rejects
 * with a transient StreamError when the platform closes it, it fails, or it sends
 * nothing for the stream's silence timeout.
 */
export function runWebSocket(socket: WebSocket, stream: { displayName: string; silenceTimeoutMs: number }, ctx: StreamContext, handlers: SocketHandlers): Promise<void> {
  return new Promise((resolve, reject) => {
    let silence: NodeJS.Timeout | undefined;
    const finish = (error?: StreamError) => {
      clearTimeout(silence);
      ctx.signal.removeEventListener('abort', onAbort);
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      if (socket.readyState !== WebSocket.CLOSED) socket.close();
      if (error === undefined) resolve();
      else reject(error);
    };
    const listen = () => {
      clearTimeout(silence);
      silence = setTimeout(() => finish(new StreamError('transient', `${stream.displayName} sent nothing for ${stream.silenceTimeoutMs / 1000} s`)), stream.silenceTimeoutMs);
    };
    const onAbort = () => finish();
    ctx.signal.addEventListener('abort', onAbort);
    listen();
    socket.onopen = () => {
      listen();
      handlers.opened(socket);
    };
    socket.onmessage = (message) => {
      listen();
      if (typeof message.data !== 'string') {
        ctx.log.warn({ stream: stream.displayName }, 'a binary message was skipped (compression is not asked for)');
        return;
      }
      handlers.message(message.data);
    };
    socket.onclose = (event) => finish(new StreamError('transient', `${stream.displayName} ${closeReason(event)}`));
    if (ctx.signal.aborted) finish();
  });
}

/** A text message that must be one JSON object; `unreadable` words the complaint for the stream. */
export function readJsonObject(text: string, unreadable: (problem: string) => StreamError): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw unreadable('not JSON');
  }
  if (!isRecord(body)) throw unreadable('not a JSON object');
  return body;
}
