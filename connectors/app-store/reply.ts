import { badPayload, dateOrNull, isRecord } from '../payload-shape.ts';
import type { CurrentReply, PublishedState, ReplyCapability, ReplyLimits } from '../reply-contract.ts';
import { refuseTooLong } from '../reply-length.ts';
import { connectKeyOf, connectRequest } from './connect-api.ts';
import type { AppStoreConfig, AppStoreCredentials } from './settings.ts';

// App Store Connect's limit for a developer response.
const LIMITS: ReplyLimits = { maxLength: 5970, unit: 'characters' };

/** Apple reviews every response before the App Store shows it. */
const STATES: Record<string, PublishedState> = { PUBLISHED: 'published', PENDING_PUBLISH: 'pending_moderation' };

interface ResponseResource {
  id: string;
  text: string;
  at: Date | null;
  state: PublishedState;
}

/** A customerReviewResponses resource (`{ data: { id, attributes: { responseBody, lastModifiedDate, state } } }`), or null for `data: null`. */
function readResponse(body: unknown, label: string): ResponseResource | null {
  if (!isRecord(body) || !('data' in body)) throw badPayload(`app_store ${label}: the response has no "data"`, body);
  if (body.data === null) return null;
  const data = body.data;
  if (!isRecord(data) || typeof data.id !== 'string' || !isRecord(data.attributes)) throw badPayload(`app_store ${label}: "data" is not a customer review response`, body);
  const { responseBody, lastModifiedDate, state } = data.attributes;
  return {
    id: data.id,
    text: typeof responseBody === 'string' ? responseBody : '',
    at: dateOrNull(lastModifiedDate),
    // An unknown state is treated as what Apple does first with every response: holding it for review.
    state: (typeof state === 'string' ? STATES[state] : undefined) ?? 'pending_moderation',
  };
}

function parseJson(text: string, label: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw badPayload(`app_store ${label}: the response is not JSON`, text);
  }
}

/**
 * Developer responses through the App Store Connect API, with a team API key. The
 * review's id is the one the public feed gives. Each review has at most one response:
 * posting again replaces it. The public feed never shows responses, so Earshot knows
 * of a response only from this API (and tracks the ones it sends itself).
 */
export const appStoreReply: ReplyCapability<AppStoreConfig, AppStoreCredentials> = {
  canUpdate: true,
  canDelete: true,
  credentialsNeeded: ['issuerId', 'keyId', 'privateKey'],
  setUp:
    'An App Store Connect team API key with the Customer Support, App Manager or Admin role (Users and Access → Integrations → App Store Connect API): its issuer id, key id and the .p8 private key, in the source’s credentials issuerId, keyId and privateKey.',
  async limits() {
    return LIMITS;
  },
  async current(config, credentials, target, ctx): Promise<CurrentReply | null> {
    const label = 'the review’s response';
    const response = await connectRequest(ctx, config, connectKeyOf(credentials), {
      path: `/v1/customerReviews/${encodeURIComponent(target.externalId)}/response`,
      label,
      // No response yet: Apple answers 404 (or `data: null`).
      answers: [404],
    });
    if (response.status === 404) return null;
    const found = readResponse(parseJson(response.text, label), label);
    return found === null ? null : { text: found.text, at: found.at, platformReplyId: found.id };
  },
  async publish(config, credentials, target, text, ctx) {
    refuseTooLong(text, LIMITS, 'The App Store');
    const label = 'reply (customerReviewResponses)';
    const response = await connectRequest(ctx, config, connectKeyOf(credentials), {
      method: 'POST',
      path: '/v1/customerReviewResponses',
      body: {
        data: {
          type: 'customerReviewResponses',
          attributes: { responseBody: text },
          relationships: { review: { data: { type: 'customerReviews', id: target.externalId } } },
        },
      },
      label,
    });
    const created = readResponse(parseJson(response.text, label), label);
    if (created === null) throw badPayload(`app_store ${label}: the response has no created response`, response.text);
    // Apple has no link to one review; the app's reviews page is where the response will show.
    return { state: created.state, reason: null, platformReplyId: created.id, at: created.at, url: target.url };
  },
  async remove(config, credentials, _target, reply, ctx) {
    if (reply.platformReplyId === null) return;
    await connectRequest(ctx, config, connectKeyOf(credentials), {
      method: 'DELETE',
      path: `/v1/customerReviewResponses/${encodeURIComponent(reply.platformReplyId)}`,
      label: 'delete reply (customerReviewResponses)',
      // Already deleted is what was asked for.
      answers: [404],
    });
  },
};
