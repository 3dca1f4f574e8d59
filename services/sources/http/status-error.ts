import { ConnectorError, type HttpResponse } from '../../../connectors/contract.ts';
import { platformErrorMessage } from './platform-error-message.ts';
import { redact } from './request-secrets.ts';
import { retryAfterMs } from './retry-after.ts';

/**
 * The typed error for a response that is not a success. Access problems are the
 * owner's to fix, so they are 'config' (no retry storm); 5xx is the platform's
 * trouble and passes. Messages name the request by its label and quote the
 * platform's own explanation with anything we sent scrubbed out.
 */
export function statusError(platform: string, label: string, response: HttpResponse, secrets: readonly string[], now: Date): ConnectorError {
  const { status } = response;
  const explanation = platformErrorMessage(response.text);
  const detail = explanation === null ? '' : `: ${redact(explanation, secrets)}`;
  const message = `${platform} ${label} failed with HTTP ${status}${detail}`;
  if (status === 429) {
    return new ConnectorError('rate_limited', message, { status, retryAfterMs: retryAfterMs(response.headers, now) });
  }
  if (status >= 400 && status < 500) return new ConnectorError('config', message, { status });
  return new ConnectorError('transient', message, { status });
}
