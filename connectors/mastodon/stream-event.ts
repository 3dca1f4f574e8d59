import { ConnectorError } from '../contract.ts';
import { isRecord, stringOrNull } from '../payload-shape.ts';
import { StreamError } from '../stream-contract.ts';
import { readJsonObject } from '../stream-socket.ts';
import { original, readStatusList, type Status } from './status.ts';

/**
 * One message of Mastodon's streaming WebSocket (`/api/v1/streaming`):
 * `{stream: ["hashtag", "coffee"], event, payload}`, where `payload` is itself a JSON
 * string — a Status for `update` (new) and `status.update` (edited), the status's own
 * id for `delete`. Notifications, announcements and the like are not about posts.
 * A subscription the instance refuses comes back as `{error, status}`.
 */
export type StreamMessage =
  | { kind: 'status'; edited: boolean; status: Status }
  | { kind: 'delete'; statusId: string }
  | { kind: 'refused'; error: string }
  | { kind: 'other' };

function unreadable(problem: string): StreamError {
  return new StreamError('bad_payload', `the Mastodon stream sent a message Earshot cannot read: ${problem}`);
}

function readStatus(payload: unknown): Status {
  if (typeof payload !== 'string') throw unreadable('a status event without a payload');
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    throw unreadable('a status payload that is not JSON');
  }
  try {
    return readStatusList([body], 'mastodon stream')[0]!;
  } catch (error) {
    if (error instanceof ConnectorError) throw unreadable(error.message);
    throw error;
  }
}

export function readStreamMessage(text: string): StreamMessage {
  const body = readJsonObject(text, unreadable);
  const error = stringOrNull(body.error);
  if (error !== null) return { kind: 'refused', error: `${error}${typeof body.status === 'number' ? ` (${body.status})` : ''}` };
  switch (body.event) {
    case 'update':
      return { kind: 'status', edited: false, status: readStatus(body.payload) };
    case 'status.update':
      return { kind: 'status', edited: true, status: readStatus(body.payload) };
    case 'delete': {
      const statusId = stringOrNull(body.payload);
      if (statusId === null) throw unreadable('a delete event without the status id');
      return { kind: 'delete', statusId };
    }
    default:
      return { kind: 'other' };
  }
}

/** The hashtags a status carries, lower case, as the hashtag timelines the poll reads file it. */
export function statusTags(status: Status): string[] {
  const tags = original(status).tags;
  if (!Array.isArray(tags)) return [];
  return tags.flatMap((tag) => (isRecord(tag) && typeof tag.name === 'string' ? [tag.name.toLowerCase()] : []));
}
