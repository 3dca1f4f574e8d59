import { ConnectorError } from '../../../connectors/contract.ts';
import { PrivateAddressError } from './private-address.ts';

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

/**
 * The typed error for a request that got no complete response. The message uses
 * error codes only: undici's own messages can carry the full URL.
 */
export function networkError(platform: string, label: string, error: unknown, why: { cancelled: boolean; timedOut: boolean }): ConnectorError {
  const refused = findInCauses(error, (entry) => entry instanceof PrivateAddressError);
  if (refused) return new ConnectorError('config', `${platform} ${label} refused: ${refused.message}`, { cause: error });
  if (why.cancelled) return new ConnectorError('transient', `${platform} ${label} was cancelled`, { cause: error });
  const code = findCode(error);
  if (why.timedOut || (code !== null && TIMEOUT_CODES.has(code))) {
    return new ConnectorError('transient', `${platform} ${label} timed out`, { cause: error });
  }
  return new ConnectorError('transient', `${platform} ${label} failed: network error${code === null ? '' : ` (${code})`}`, { cause: error });
}

function findCode(error: unknown): string | null {
  const withCode = findInCauses(error, (entry) => typeof (entry as { code?: unknown }).code === 'string');
  return withCode ? (withCode as Error & { code: string }).code : null;
}

/** Walks `cause` links and AggregateError members (happy-eyeballs connects fail as a group). */
function findInCauses(error: unknown, matches: (entry: Error) => boolean, depth = 0): Error | null {
  if (!(error instanceof Error) || depth > 8) return null;
  if (matches(error)) return error;
  const nested = [error.cause, ...(error instanceof AggregateError ? error.errors : [])];
  for (const entry of nested) {
    const found = findInCauses(entry, matches, depth + 1);
    if (found) return found;
  }
  return null;
}
