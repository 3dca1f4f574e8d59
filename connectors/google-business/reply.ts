import { withAdvice } from '../config-advice.ts';
import type { ConnectorContext } from '../contract.ts';
import { badPayload, dateOrNull, isRecord, stringOrNull } from '../payload-shape.ts';
import type { ReplyCapability, ReplyLimits, ReplyTarget } from '../reply-contract.ts';
import { refuseTooLong } from '../reply-length.ts';
import { accessToken } from './access-token.ts';
import { reviewUrl } from './recheck.ts';
import { currentReply, replyState, reportsReplyState } from './reply-state.ts';
import type { GoogleBusinessConfig, GoogleBusinessCredentials } from './settings.ts';

// ReviewReply.comment: "The maximum length is 4096 bytes."
const LIMITS: ReplyLimits = { maxLength: 4096, unit: 'bytes' };

/**
 * Failures the owner must act on, in words: a 404 is a review that is gone, and Google
 * answers a reply to an unverified location, or from a user who is not an owner or
 * manager, with 403.
 */
function advice(status: number): string | null {
  if (status === 404) return 'the review is no longer on Google (deleted by its author or taken down), so there is nothing to reply to';
  if (status === 403) return 'Google accepts replies only for verified locations, from an owner or manager of the listing: verify the location, or reconnect with an account that manages it';
  return null;
}

const authorized = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * Replies through the v4 reviews API: `PUT {review}/reply {comment}` creates or
 * overwrites the reply, `DELETE {review}/reply` removes it. The refresh token that reads
 * reviews (scope business.manage) also replies, so nothing more is needed.
 */
export const googleBusinessReply: ReplyCapability<GoogleBusinessConfig, GoogleBusinessCredentials> = {
  canUpdate: true,
  canDelete: true,
  credentialsNeeded: [],
  setUp:
    'Nothing beyond reading: the refresh token granted for business.manage also replies. The location must be verified, and the Google account that granted the token must be an owner or manager of it.',
  limits: () => Promise.resolve(LIMITS),
  async current(config, credentials, target, ctx) {
    const token = await accessToken(ctx.http, config, credentials);
    return currentReply(await review(ctx, config, token, target));
  },
  async publish(config, credentials, target, text, ctx) {
    refuseTooLong(text, LIMITS, 'Google');
    const token = await accessToken(ctx.http, config, credentials);
    const { body } = await withAdvice(ctx.http.json({ method: 'PUT', url: replyUrl(config, target), headers: authorized(token), body: { comment: text }, label: 'reply (PUT)' }), advice);
    if (!isRecord(body)) throw badPayload('google_business reply: the response is not a ReviewReply', body);
    const at = dateOrNull(body.updateTime);
    if (reportsReplyState(body)) return { ...replyState(body), platformReplyId: null, at, url: target.url };
    // Google documents the moderation state on reviews: when the answer to the PUT has
    // none, the review tells, with the link to the reply. The reply is taken either way,
    // so a failed look is no failure: the reply counts as published, as before Google
    // reported moderation.
    try {
      const shown = await review(ctx, config, token, target);
      const reply = isRecord(shown.reviewReply) ? shown.reviewReply : {};
      return { ...replyState(reply), platformReplyId: null, at, url: stringOrNull(shown.reviewReplyUrl) ?? target.url };
    } catch (error) {
      ctx.log.warn({ err: error, reviewId: target.externalId }, 'google_business reply taken; its moderation state could not be read');
      return { state: 'published', reason: null, platformReplyId: null, at, url: target.url };
    }
  },
  async remove(config, credentials, target, _reply, ctx) {
    const token = await accessToken(ctx.http, config, credentials);
    // Google answers an empty object: nothing to read.
    await withAdvice(ctx.http.send({ method: 'DELETE', url: replyUrl(config, target), headers: authorized(token), label: 'reply (DELETE)' }), advice);
  },
};

async function review(ctx: ConnectorContext, config: GoogleBusinessConfig, token: string, target: ReplyTarget): Promise<Record<string, unknown>> {
  const { body } = await withAdvice(ctx.http.json({ url: reviewUrl(config, target.externalId), headers: authorized(token), label: 'review lookup (reply)' }), advice);
  if (!isRecord(body)) throw badPayload(`google_business review lookup: the response is not review ${target.externalId}`, body);
  return body;
}

function replyUrl(config: GoogleBusinessConfig, target: ReplyTarget): string {
  return `${reviewUrl(config, target.externalId)}/reply`;
}
