import type { ConnectorContext } from '../contract.ts';
import { badPayload, dateOrNull, isRecord } from '../payload-shape.ts';
import { ReplyRefused, type CurrentReply } from '../reply-contract.ts';
import { postSeenAt, postText, type PostView } from './post-view.ts';
import { createSession } from './session.ts';
import type { BlueskyConfig, BlueskyCredentials } from './settings.ts';

/**
 * The DID of the account Earshot replies as, found without signing in where possible:
 * every sign-in counts against the account's small daily allowance, which polls
 * already spend. A handle resolves publicly; only an email identifier needs a session.
 */
async function accountDid(ctx: ConnectorContext, appView: string, config: BlueskyConfig, credentials: BlueskyCredentials): Promise<string> {
  const { identifier } = credentials;
  if (identifier.startsWith('did:')) return identifier;
  if (identifier.includes('@')) return (await createSession(ctx.http, config.baseUrl, credentials)).did;
  const url = new URL(`${appView}/xrpc/com.atproto.identity.resolveHandle`);
  url.searchParams.set('handle', identifier.replace(/^@/, ''));
  const { body } = await ctx.http.json({ url: url.toString(), label: 'resolveHandle' });
  if (!isRecord(body) || typeof body.did !== 'string' || !body.did.startsWith('did:')) throw badPayload('bluesky resolveHandle: the response has no did', body);
  return body.did;
}

/** The post's thread one level deep; the lexicon's `NotFound` error (HTTP 400) says the post is gone. */
async function directReplies(ctx: ConnectorContext, appView: string, uri: string): Promise<unknown[]> {
  const url = new URL(`${appView}/xrpc/app.bsky.feed.getPostThread`);
  url.searchParams.set('uri', uri);
  url.searchParams.set('depth', '1');
  url.searchParams.set('parentHeight', '0');
  const response = await ctx.http.send({ url: url.toString(), label: 'getPostThread', answers: [400] });
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    throw badPayload('bluesky getPostThread: the response is not JSON', response.text);
  }
  if (response.status === 400) {
    if (isRecord(body) && body.error === 'NotFound') throw new ReplyRefused('not_allowed', 'Bluesky no longer shows this post (deleted by its author): there is nothing to reply to');
    throw badPayload('bluesky getPostThread: the request was refused', body);
  }
  if (!isRecord(body) || !isRecord(body.thread)) throw badPayload('bluesky getPostThread: the response has no "thread"', body);
  // A thread whose post is blocked or not found has no replies list.
  return Array.isArray(body.thread.replies) ? body.thread.replies : [];
}

function isPostView(value: unknown): value is PostView {
  return isRecord(value) && typeof value.uri === 'string' && isRecord(value.record);
}

/**
 * Our own account's reply to the post, if it has one: read before every publish, so a
 * retry after an unknown outcome never posts twice. The AppView is public, so this
 * costs no sign-in.
 */
export async function ownReply(ctx: ConnectorContext, appView: string, config: BlueskyConfig, credentials: BlueskyCredentials, postUri: string): Promise<CurrentReply | null> {
  const did = await accountDid(ctx, appView, config, credentials);
  const ours = (await directReplies(ctx, appView, postUri))
    .map((reply) => (isRecord(reply) ? reply.post : null))
    .filter(isPostView)
    .filter((post) => isRecord(post.author) && post.author.did === did)
    // The oldest is the answer; a later one of ours would be a follow-up.
    .sort((a, b) => (postSeenAt(a)?.getTime() ?? 0) - (postSeenAt(b)?.getTime() ?? 0));
  const [first] = ours;
  if (first === undefined) return null;
  return { text: postText(first), at: dateOrNull(first.record.createdAt) ?? postSeenAt(first), platformReplyId: first.uri };
}
