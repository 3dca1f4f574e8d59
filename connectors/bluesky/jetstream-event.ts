import type { NormalizedItem } from '../contract.ts';
import { isRecord, stringOrNull } from '../payload-shape.ts';
import { StreamError } from '../stream-contract.ts';
import { readJsonObject } from '../stream-socket.ts';
import { postToItem, type PostView } from './post-view.ts';

/**
 * One Jetstream message (JSON over WebSocket): `{did, time_us, kind, commit?}`, where a
 * commit is `{rev, operation: create|update|delete, collection, rkey, record?, cid?}`.
 * Identity and account events come too, whatever collections were asked for: only
 * their time counts, to move the cursor past them.
 */
export interface JetstreamEvent {
  did: string;
  /** Microseconds since 1970 when Jetstream emitted the event: its cursor. */
  timeUs: number;
  /** A post written, rewritten or deleted; null for anything else. */
  post: PostChange | null;
}

export type PostChange =
  | { operation: 'create' | 'update'; uri: string; cid: string | null; record: Record<string, unknown> }
  | { operation: 'delete'; uri: string };

export const POST_COLLECTION = 'app.bsky.feed.post';
const OPERATIONS = new Set(['create', 'update', 'delete']);

function unreadable(problem: string): StreamError {
  return new StreamError('bad_payload', `Jetstream sent an event Earshot cannot read: ${problem}`);
}

/** The post's at:// uri, the same id the search poll stores (a PostView's `uri`). */
export function postUri(did: string, rkey: string): string {
  return `at://${did}/${POST_COLLECTION}/${rkey}`;
}

export function readJetstreamEvent(text: string): JetstreamEvent {
  const body = readJsonObject(text, unreadable);
  const did = stringOrNull(body.did);
  if (did === null) throw unreadable('no "did"');
  if (typeof body.time_us !== 'number' || !Number.isSafeInteger(body.time_us) || body.time_us <= 0) throw unreadable('no whole "time_us"');
  const event = { did, timeUs: body.time_us };
  if (body.kind !== 'commit') return { ...event, post: null };
  const commit = body.commit;
  if (!isRecord(commit) || !OPERATIONS.has(commit.operation as string)) throw unreadable('a commit without an operation');
  if (commit.collection !== POST_COLLECTION) return { ...event, post: null };
  const rkey = stringOrNull(commit.rkey);
  if (rkey === null) throw unreadable('a post commit without "rkey"');
  const uri = postUri(did, rkey);
  if (commit.operation === 'delete') return { ...event, post: { operation: 'delete', uri } };
  if (!isRecord(commit.record)) throw unreadable(`a post ${String(commit.operation)} without "record"`);
  return { ...event, post: { operation: commit.operation as 'create' | 'update', uri, cid: stringOrNull(commit.cid), record: commit.record } };
}

export function postTextOf(change: PostChange): string {
  return change.operation !== 'delete' && typeof change.record.text === 'string' ? change.record.text : '';
}

/**
 * The item the search poll would make of the same post: a post view built from the
 * event (the event names the author only by DID, so the link uses it and the author
 * stays unknown), kept as `raw` with the event's time, so a reply finds its uri and cid.
 */
export function eventToItem(event: JetstreamEvent, change: Extract<PostChange, { record: unknown }>): NormalizedItem {
  const post: PostView = {
    uri: change.uri,
    ...(change.cid === null ? {} : { cid: change.cid }),
    author: { did: event.did },
    record: change.record,
    indexedAt: new Date(event.timeUs / 1000).toISOString(),
    jetstream: { timeUs: event.timeUs, operation: change.operation },
  };
  return postToItem(post);
}
