import { withAdvice } from '../config-advice.ts';
import { ConnectorError, type ConnectorContext } from '../contract.ts';
import { lookUpById } from '../lookup-by-id.ts';
import { badPayload, dateOrNull, isRecord, stringOrNull } from '../payload-shape.ts';
import type { CurrentReply, ReplyCapability, ReplyLimits, ReplyTarget } from '../reply-contract.ts';
import { refuseTooLong } from '../reply-length.ts';
import { businessToken, type ReplyCredentials } from './business-token.ts';
import type { TrustpilotConfig, TrustpilotCredentials } from './settings.ts';

// UNVERIFIED: Trustpilot documents no length limit for a company reply; this is kept
// well inside what its business app accepts, so no reply is cut.
const LIMITS: ReplyLimits = { maxLength: 2048, unit: 'characters' };

function replyCredentials(credentials: TrustpilotCredentials): ReplyCredentials {
  const { apiKey, apiSecret, businessUserId } = credentials;
  if (apiSecret === undefined || businessUserId === undefined) {
    throw new ConnectorError('config', 'replies are not set up: add credentials.apiSecret and credentials.businessUserId');
  }
  return { apiKey, apiSecret, businessUserId };
}

const replyUrl = (config: TrustpilotConfig, target: ReplyTarget) => `${config.baseUrl}/v1/private/reviews/${encodeURIComponent(target.externalId)}/reply`;

/** A refused user or a review that is gone, in words the owner can act on. */
function advice(status: number): string {
  return status === 404
    ? 'the review is no longer on Trustpilot'
    : 'Trustpilot refused the reply: check that credentials.businessUserId is a user of this business with permission to reply, and that the API application has access to the private API';
}

/** The company reply a review shows now (the public "Get a review" answer's companyReply), or null. */
async function shownReply(ctx: ConnectorContext, config: TrustpilotConfig, credentials: TrustpilotCredentials, target: ReplyTarget): Promise<CurrentReply | null> {
  const label = 'review lookup (before replying)';
  const answer = await lookUpById(ctx, 'trustpilot', { url: `${config.baseUrl}/v1/reviews/${encodeURIComponent(target.externalId)}`, headers: { apikey: credentials.apiKey }, label });
  if (answer === 'gone') throw new ConnectorError('config', 'trustpilot: the review is no longer on Trustpilot (removed by its author or taken down), so there is nothing to reply to', { status: 404 });
  if (answer === 'unclear') throw new ConnectorError('config', 'trustpilot: the review cannot be read with credentials.apiKey (403): check that the key belongs to this business', { status: 403 });
  const review = answer.found;
  if (!isRecord(review) || review.id !== target.externalId) throw badPayload(`trustpilot ${label}: the response is not review ${target.externalId}`, review);
  const reply = review.companyReply;
  if (!isRecord(reply)) return null;
  const text = stringOrNull(reply.text);
  return text === null ? null : { text, at: dateOrNull(reply.updatedAt) ?? dateOrNull(reply.createdAt), platformReplyId: null };
}

/**
 * Replies through the private reviews API as a business user: `POST
 * /v1/private/reviews/{reviewId}/reply {message, authorBusinessUserId}` creates the
 * company reply or replaces it; `DELETE` the same removes it.
 */
export const trustpilotReply: ReplyCapability<TrustpilotConfig, TrustpilotCredentials> = {
  canUpdate: true,
  canDelete: true,
  credentialsNeeded: ['apiSecret', 'businessUserId'],
  setUp:
    "Add the API secret of your Trustpilot API application (beside its key, under Integrations → API in the Trustpilot Business app) and the user id of the business user who replies (on that user's profile page). Private API access comes with Trustpilot's paid plans.",
  limits: () => Promise.resolve(LIMITS),
  current(config, credentials, target, ctx) {
    return shownReply(ctx, config, credentials, target);
  },
  async publish(config, credentials, target, text, ctx) {
    refuseTooLong(text, LIMITS, 'Trustpilot');
    const reply = replyCredentials(credentials);
    const token = await businessToken(ctx.http, config, reply);
    // Trustpilot answers 201, with or without a body: nothing in it is needed.
    await withAdvice(
      ctx.http.send({
        method: 'POST',
        url: replyUrl(config, target),
        headers: { authorization: `Bearer ${token}` },
        body: { message: text, authorBusinessUserId: reply.businessUserId },
        label: 'reply (POST)',
      }),
      advice,
    );
    return { state: 'published', reason: null, platformReplyId: null, at: null, url: target.url };
  },
  async remove(config, credentials, target, _reply, ctx) {
    const token = await businessToken(ctx.http, config, replyCredentials(credentials));
    await withAdvice(ctx.http.send({ method: 'DELETE', url: replyUrl(config, target), headers: { authorization: `Bearer ${token}` }, label: 'reply (DELETE)' }), advice);
  },
};
