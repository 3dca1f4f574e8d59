import { withAdvice } from '../config-advice.ts';
import { badPayload, isRecord } from '../payload-shape.ts';
import { ReplyRefused, type ReplyCapability, type ReplyLimits, type ReplyTarget } from '../reply-contract.ts';
import { refuseTooLong } from '../reply-length.ts';
import { signIn } from './access-token.ts';
import { reviewToItem, timestampOrNull, type Review } from './reviews.ts';
import type { GooglePlayConfig, GooglePlayCredentials } from './settings.ts';

// ReviewsReplyRequest.replyText: "Replies of more than approximately 350 characters will be rejected."
const LIMITS: ReplyLimits = { maxLength: 350, unit: 'characters' };
const REPLY_WINDOW_MS = 7 * 24 * 3600_000;

const reviewUrl = (config: GooglePlayConfig, target: ReplyTarget) =>
  `${config.baseUrl}/androidpublisher/v3/applications/${encodeURIComponent(config.packageName)}/reviews/${encodeURIComponent(target.externalId)}`;

/** What the owner can do about a refusal: the permission in Play Console, or a review Google no longer serves. */
function advice(status: number): string {
  return status === 404
    ? 'Google no longer serves this review through the API (only reviews of the last 7 days are served): reply in Play Console instead'
    : 'give the service account the "Reply to reviews" permission for this app in Play Console (Users and permissions)';
}

/**
 * Replies through the Reply to Reviews API: `POST {review}:reply {replyText}` sets the
 * developer reply, replacing any earlier one. Google takes replies only to reviews with
 * text from the last 7 days; there is no way to remove a reply through the API.
 */
export const googlePlayReply: ReplyCapability<GooglePlayConfig, GooglePlayCredentials> = {
  canUpdate: true,
  canDelete: false,
  credentialsNeeded: [],
  setUp: 'Nothing beyond reading: the service account that reads reviews replies too, once it has the "Reply to reviews" permission for the app in Play Console.',
  limits: () => Promise.resolve(LIMITS),
  checkTarget(target, now) {
    if (!target.hasText) {
      throw new ReplyRefused('not_allowed', 'Google Play takes replies only to reviews with text; this one is a rating without words. Reply in Play Console if you need to.');
    }
    if (target.publishedAt !== null && now.getTime() - target.publishedAt.getTime() > REPLY_WINDOW_MS) {
      throw new ReplyRefused(
        'not_allowed',
        `Google Play takes replies through its API only to reviews written or changed in the last 7 days; this one is from ${target.publishedAt.toISOString().slice(0, 10)}. Reply in Play Console instead.`,
      );
    }
  },
  async current(config, credentials, target, ctx) {
    const token = await signIn(config, credentials, ctx);
    const { body } = await withAdvice(ctx.http.json({ url: reviewUrl(config, target), headers: { authorization: `Bearer ${token}` }, label: 'reviews.get (before replying)' }), advice);
    if (!isRecord(body) || body.reviewId !== target.externalId) throw badPayload(`google_play reviews.get: the response is not review ${target.externalId}`, body);
    const shown = reviewToItem(body as Review, config.packageName).ownerReply;
    return shown === null ? null : { ...shown, platformReplyId: null };
  },
  async publish(config, credentials, target, text, ctx) {
    refuseTooLong(text, LIMITS, 'Google Play');
    const token = await signIn(config, credentials, ctx);
    const { body } = await withAdvice(
      ctx.http.json({ method: 'POST', url: `${reviewUrl(config, target)}:reply`, headers: { authorization: `Bearer ${token}` }, body: { replyText: text }, label: 'reviews.reply' }),
      advice,
    );
    if (!isRecord(body) || !isRecord(body.result)) throw badPayload('google_play reviews.reply: the response has no "result"', body);
    return { state: 'published', reason: null, platformReplyId: null, at: timestampOrNull(body.result.lastEdited), url: target.url };
  },
};
