import { ReplyRefused, type ReplyTarget } from '../reply-contract.ts';
import type { ConnectorContext } from '../contract.ts';
import { isRecord } from '../payload-shape.ts';
import { getPosts } from './recheck.ts';

/** A com.atproto.repo.strongRef: a record by uri and the content hash (cid) of the version replied to. */
export interface StrongRef {
  uri: string;
  cid: string;
}

/** app.bsky.feed.post#replyRef: the post answered (parent) and the top of its thread (root). */
export interface ReplyRefs {
  root: StrongRef;
  parent: StrongRef;
}

function strongRef(value: unknown): StrongRef | null {
  if (!isRecord(value) || typeof value.uri !== 'string' || !value.uri.startsWith('at://')) return null;
  return typeof value.cid === 'string' && value.cid !== '' ? { uri: value.uri, cid: value.cid } : null;
}

/**
 * The refs from a post view: the post is the parent; the root is the parent's own
 * root when the post is itself a reply (a reply's root must be the thread's first
 * post, or apps show it detached from the thread).
 */
function refsOf(post: unknown): ReplyRefs | null {
  const parent = strongRef(post);
  if (parent === null || !isRecord(post) || !isRecord(post.record)) return null;
  const reply = isRecord(post.record.reply) ? post.record.reply : null;
  return { parent, root: strongRef(reply?.root) ?? parent };
}

/**
 * The refs for a reply to the stored post. The stored post view (search keeps it) has
 * them; an item stored without one is looked up on the AppView by its uri.
 */
export async function replyRefs(ctx: ConnectorContext, appView: string, target: ReplyTarget): Promise<ReplyRefs> {
  const stored = refsOf(target.raw);
  if (stored !== null && stored.parent.uri === target.externalId) return stored;
  const [post] = target.externalId.startsWith('at://') ? await getPosts(ctx, appView, [target.externalId]) : [];
  const found = refsOf(post);
  if (found === null) throw new ReplyRefused('not_allowed', 'Bluesky no longer shows this post (deleted, or hidden by its author): there is nothing to reply to');
  return found;
}
