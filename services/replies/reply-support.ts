import type { ReplyLimits } from '../../connectors/reply-contract.ts';
import { findConnector } from '../../connectors/registry.ts';

/**
 * How the business can answer an item of this platform from Earshot:
 * - `api`: Earshot publishes the reply (the reply box);
 * - `not_set_up`: the platform has a reply API, but the source lacks the credentials
 *   it needs (`setUp` says what to add);
 * - `manual`: no reply API; the person replies on the platform and records it.
 */
export type ReplySupport = { kind: 'api'; limits?: ReplyLimits } | { kind: 'not_set_up'; setUp: string } | { kind: 'manual' };

/** Read off the connector object, the one home of platform facts. `credentials`: the source's, decrypted. */
export function replySupport(connectorType: string, credentials: Record<string, string>): ReplySupport {
  const reply = findConnector(connectorType)?.reply;
  if (reply === undefined) return { kind: 'manual' };
  const missing = reply.credentialsNeeded.filter((name) => (credentials[name] ?? '').trim() === '');
  return missing.length > 0 ? { kind: 'not_set_up', setUp: reply.setUp } : { kind: 'api' };
}
