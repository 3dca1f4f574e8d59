import { createHash } from 'node:crypto';
import { ConnectorError, type ConnectorContext, type HttpRequest } from '../contract.ts';
import { badPayload, dateOrNull, isRecord, stringOrNull } from '../payload-shape.ts';
import type { ReplyCapability, ReplyLimits, ReplyTarget } from '../reply-contract.ts';
import { refuseTooLong } from '../reply-length.ts';
import { instanceMaxCharacters } from './instance-limit.ts';
import { ownReply } from './own-reply.ts';
import { bearer, replyParent } from './reply-target.ts';
import { MENTION_ROOM, withMention } from './reply-mention.ts';
import type { MastodonConfig, MastodonCredentials } from './settings.ts';

/** Mastodon counts grapheme clusters (StatusLengthValidator); the instance sets the limit, and the author's mention takes some of it. */
async function replyLimits(ctx: ConnectorContext, config: MastodonConfig): Promise<ReplyLimits> {
  return { maxLength: (await instanceMaxCharacters(ctx, config)) - MENTION_ROOM, unit: 'graphemes' };
}

function tokenFor(credentials: MastodonCredentials): string {
  if (credentials.accessToken === undefined) {
    throw new ConnectorError('config', 'credentials.accessToken is needed to reply: add a token with the read and write:statuses scopes');
  }
  return credentials.accessToken;
}

/**
 * The same reply to the same post gets the same key: Mastodon keeps a key for an hour
 * per account and answers a repeated request with the status it already made, so a
 * retry after a lost answer never posts twice. The contract hands connectors no reply
 * id, so the key is made from what is sent: a reply deleted and then sent again word for
 * word within that hour is answered 404 (the status the key names is gone).
 */
function idempotencyKey(target: ReplyTarget, text: string): string {
  return createHash('sha256').update(`earshot-reply\n${target.externalId}\n${text}`).digest('hex').slice(0, 48);
}

/** A 403 when writing means the token was made without write access. */
async function write(ctx: ConnectorContext, request: HttpRequest): Promise<unknown> {
  try {
    return (await ctx.http.json(request)).body;
  } catch (error) {
    if (error instanceof ConnectorError && error.status === 403) {
      throw new ConnectorError('config', `${error.message}. The access token needs the write:statuses scope to reply: make a new one with read and write:statuses`, {
        status: 403,
        cause: error,
      });
    }
    throw error;
  }
}

function published(body: unknown, label: string) {
  if (!isRecord(body) || typeof body.id !== 'string' || body.id === '') throw badPayload(`mastodon ${label}: the response has no status "id"`, body);
  return { state: 'published' as const, reason: null, platformReplyId: body.id, at: dateOrNull(body.edited_at) ?? dateOrNull(body.created_at), url: stringOrNull(body.url) };
}

/**
 * Replies as the token's account, with the visibility the source names. A reply can be
 * edited in place (Mastodon 3.5+) and deleted.
 */
export const mastodonReply: ReplyCapability<MastodonConfig, MastodonCredentials> = {
  canUpdate: true,
  canDelete: true,
  credentialsNeeded: ['accessToken'],
  setUp:
    'An access token for the account that replies, with the read and write:statuses scopes (Preferences → Development → New application), in the source’s credentials.accessToken.',
  limits: (config, _credentials, ctx) => replyLimits(ctx, config),
  async current(config, credentials, target, ctx) {
    const accessToken = tokenFor(credentials);
    return ownReply(ctx, config, accessToken, await replyParent(ctx, config, accessToken, target));
  },
  async publish(config, credentials, target, text, ctx, replacing) {
    const accessToken = tokenFor(credentials);
    refuseTooLong(text, await replyLimits(ctx, config), 'Mastodon');
    const parent = await replyParent(ctx, config, accessToken, target);
    const status = withMention(text, parent.acct);
    if (replacing?.platformReplyId != null) {
      // An edit replaces the whole text, so the mention is put in front again.
      const label = 'edit reply';
      const body = await write(ctx, {
        method: 'PUT',
        url: `${config.baseUrl}/api/v1/statuses/${encodeURIComponent(replacing.platformReplyId)}`,
        headers: bearer(accessToken),
        body: { status },
        label,
      });
      return published(body, label);
    }
    const label = 'reply (post status)';
    const body = await write(ctx, {
      method: 'POST',
      url: `${config.baseUrl}/api/v1/statuses`,
      headers: { ...bearer(accessToken), 'Idempotency-Key': idempotencyKey(target, status) },
      body: { status, in_reply_to_id: parent.id, visibility: config.replyVisibility },
      label,
    });
    return published(body, label);
  },
  async remove(config, credentials, _target, reply, ctx) {
    if (reply.platformReplyId === null) return;
    // Already deleted (404) is what was asked for.
    await ctx.http.send({
      method: 'DELETE',
      url: `${config.baseUrl}/api/v1/statuses/${encodeURIComponent(reply.platformReplyId)}`,
      headers: bearer(tokenFor(credentials)),
      label: 'delete reply',
      answers: [404],
    });
  },
};
