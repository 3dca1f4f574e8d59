import type { ConnectorContext } from '../contract.ts';
import { badPayload, isRecord } from '../payload-shape.ts';
import { ReplyRefused, type ReplyCapability } from '../reply-contract.ts';
import { refuseTooLong } from '../reply-length.ts';
import { linkFacets } from './link-facets.ts';
import { ownReply } from './own-reply.ts';
import { appViewFor } from './recheck.ts';
import { replyRefs } from './reply-refs.ts';
import { createSession, type Session } from './session.ts';
import type { BlueskyConfig, BlueskyCredentials } from './settings.ts';

const POST_COLLECTION = 'app.bsky.feed.post';
// app.bsky.feed.post's text limits: 300 graphemes, and 3000 bytes (which only very long emoji sequences reach).
const MAX_GRAPHEMES = 300;
const MAX_BYTES = 3000;

function parseAtUri(uri: string): { did: string; collection: string; rkey: string } | null {
  const [, did, collection, rkey] = /^at:\/\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(uri) ?? [];
  return did === undefined || collection === undefined || rkey === undefined ? null : { did, collection, rkey };
}

function postLink(uri: string, session: Session): string | null {
  const parts = parseAtUri(uri);
  return parts === null ? null : `https://bsky.app/profile/${session.handle ?? session.did}/post/${parts.rkey}`;
}

async function createRecord(ctx: ConnectorContext, config: BlueskyConfig, session: Session, record: object): Promise<{ uri: string }> {
  const { body } = await ctx.http.json({
    method: 'POST',
    url: `${config.baseUrl}/xrpc/com.atproto.repo.createRecord`,
    headers: { Authorization: `Bearer ${session.accessJwt}` },
    body: { repo: session.did, collection: POST_COLLECTION, record },
    label: 'reply (createRecord)',
  });
  if (!isRecord(body) || typeof body.uri !== 'string' || !body.uri.startsWith('at://')) throw badPayload('bluesky reply (createRecord): the response has no uri', body);
  return { uri: body.uri };
}

/**
 * Replies as the watched account: a post in its repo whose `reply` names the post and
 * its thread's root. The app password that searches can post (app passwords may write
 * records; only direct messages need a privileged one), so nothing more is needed.
 * Bluesky has no editing: a reply can be deleted, not changed.
 */
export const blueskyReply: ReplyCapability<BlueskyConfig, BlueskyCredentials> = {
  canUpdate: false,
  canDelete: true,
  credentialsNeeded: [],
  setUp: 'Nothing to add: replies are posted as the account whose app password the source already has.',
  async limits() {
    return { maxLength: MAX_GRAPHEMES, unit: 'graphemes' };
  },
  current(config, credentials, target, ctx) {
    return ownReply(ctx, appViewFor(config.baseUrl), config, credentials, target.externalId);
  },
  async publish(config, credentials, target, text, ctx) {
    refuseTooLong(text, { maxLength: MAX_GRAPHEMES, unit: 'graphemes' }, 'Bluesky');
    refuseTooLong(text, { maxLength: MAX_BYTES, unit: 'bytes' }, 'Bluesky');
    const reply = await replyRefs(ctx, appViewFor(config.baseUrl), target);
    const session = await createSession(ctx.http, config.baseUrl, credentials);
    const facets = linkFacets(text);
    const record = { $type: POST_COLLECTION, text, createdAt: ctx.now().toISOString(), reply, ...(facets.length > 0 ? { facets } : {}) };
    const { uri } = await createRecord(ctx, config, session, record);
    return { state: 'published', reason: null, platformReplyId: uri, at: null, url: postLink(uri, session) };
  },
  async remove(config, credentials, _target, reply, ctx) {
    const parts = reply.platformReplyId === null ? null : parseAtUri(reply.platformReplyId);
    if (parts === null || parts.collection !== POST_COLLECTION) throw new ReplyRefused('not_allowed', 'This reply has no Bluesky post to delete');
    const session = await createSession(ctx.http, config.baseUrl, credentials);
    if (parts.did !== session.did) throw new ReplyRefused('not_allowed', 'This reply was posted by another Bluesky account; only that account can delete it');
    await ctx.http.send({
      method: 'POST',
      url: `${config.baseUrl}/xrpc/com.atproto.repo.deleteRecord`,
      headers: { Authorization: `Bearer ${session.accessJwt}` },
      body: { repo: session.did, collection: POST_COLLECTION, rkey: parts.rkey },
      label: 'delete reply (deleteRecord)',
    });
  },
};
