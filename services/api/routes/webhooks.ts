import { createHash } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { webhook } from '../../../connectors/webhook/index.ts';
import { readWebhookPayload, WebhookPayloadError } from '../../../connectors/webhook/payload.ts';
import { tooDeepField } from '../../../connectors/webhook/too-deep.ts';
import { REPLAY_MEMORY_SECONDS, SIGNATURE_TOLERANCE_SECONDS, verifyWebhook, type SignatureProblem } from '../../../connectors/webhook/signature.ts';
import { recordPollSuccess } from '../../../db/repositories/source-health.ts';
import { findPushSource } from '../../../db/repositories/sources.ts';
import { claimWebhookSignature, releaseWebhookSignature } from '../../../db/repositories/webhook-signatures.ts';
import { storableText } from '../../../db/storable-text.ts';
import { enqueueAnalysis } from '../../analysis/enqueue-analysis.ts';
import { announcedTogether, ingestPage, UnstorableItemError } from '../../ingest/ingest-page.ts';
import { decryptCredentials } from '../../sources/credentials.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError, invalidInput } from '../errors.ts';
import { decodeJsonText, MAX_JSON_DEPTH } from '../json-body.ts';
import { idParams, isUuid, noQuery, type IdParams } from '../schemas/common.ts';
import { errorResponses } from '../schemas/error.ts';

export const WEBHOOK_BODY_LIMIT = 256 * 1024;

const PROBLEMS: Record<SignatureProblem, string> = {
  missing: 'send X-Earshot-Timestamp (Unix seconds) and X-Earshot-Signature (sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" under the source secret)',
  malformed: 'X-Earshot-Timestamp must be Unix seconds and X-Earshot-Signature "sha256=" followed by 64 hex digits',
  stale: `the timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS} s from the server's clock: sign each request when sending it`,
  mismatch: 'the signature does not match this source: sign "<timestamp>.<body>" with the source secret (HMAC-SHA256, hex)',
};

function refused(message: string): ApiError {
  return new ApiError(401, 'unauthorized', message);
}

const accepted = {
  description: 'Stored; new and edited items go on to analysis',
  type: 'object',
  required: ['received', 'new', 'updated', 'removed'],
  additionalProperties: false,
  properties: {
    received: { type: 'integer' },
    new: { type: 'integer' },
    updated: { type: 'integer' },
    removed: { type: 'integer', description: 'Stored items newly marked gone from the platform (unknown ids are ignored)' },
  },
} as const;

/**
 * Where push sources receive items. No API key: the source's secret signs each
 * request (see docs/sources.md). A request is checked whole before anything is stored.
 */
export function webhookRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    // The signature covers the exact bytes sent, so the body is kept raw for this route.
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (_request, body, done) => done(null, body));

    app.post<{ Params: IdParams; Body: Buffer }>(
      '/v1/webhooks/:id',
      {
        bodyLimit: WEBHOOK_BODY_LIMIT,
        schema: {
          summary: 'Receive signed items for a push (webhook) source',
          description:
            'Body: {"items":[{"id","body","rating?","title?","author?","url?","kind?","language?","publishedAt?","updatedAt?","ownerReply?":{"text","at?"}}], ' +
            '"removed?":["id of a review or post that no longer exists"]}. ' +
            'Headers: X-Earshot-Timestamp (Unix seconds) and X-Earshot-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">.',
          tags: ['sources'],
          security: [],
          querystring: noQuery,
          params: idParams,
          response: { 202: accepted, ...errorResponses(400, 401, 409, 413) },
        },
      },
      async (request, reply) => {
        // Latency is counted from the request's arrival: when the sender announced the items.
        const arrivedAt = new Date(Date.now() - reply.elapsedTime);
        const { id } = request.params;
        const source = isUuid(id) ? await findPushSource(deps.db, id, webhook.id) : undefined;
        // Unknown and foreign ids look the same as a bad signature: the URL alone proves nothing.
        if (source === undefined) throw refused(PROBLEMS.mismatch);
        const { secret } = decryptCredentials(deps.credentialsKey, source.id, source.credentials);
        const header = (name: string) => {
          const value = request.headers[name];
          return Array.isArray(value) ? value[0] : value;
        };
        const signature = header('x-earshot-signature');
        const problem = verifyWebhook(secret ?? '', { timestamp: header('x-earshot-timestamp'), signature }, request.body, new Date());
        if (problem !== null) throw refused(PROBLEMS[problem]);

        if (source.status === 'paused') throw new ApiError(409, 'conflict', 'the source is paused; resume it to receive items');

        let payload;
        try {
          const tooDeep = tooDeepField(request.body, MAX_JSON_DEPTH);
          if (tooDeep !== null) throw new WebhookPayloadError(tooDeep, `nests deeper than ${MAX_JSON_DEPTH} levels of arrays and objects`);
          // Depth was checked just above, naming the item; only the UTF-8 rule is left.
          payload = readWebhookPayload(decodeJsonText(request.body), new Date());
        } catch (error) {
          if (error instanceof WebhookPayloadError) throw invalidInput(error.field, error.message);
          throw error;
        }
        // Within the tolerance window a captured request could be sent again: each signature is
        // accepted once, claimed atomically in PostgreSQL (so simultaneous copies and a flushed
        // Redis change nothing), and released if storing fails, so a failed request can be retried.
        const signed = signature ?? '';
        if (!(await claimWebhookSignature(deps.db, source.id, signed, REPLAY_MEMORY_SECONDS))) {
          throw new ApiError(409, 'conflict', 'this signed request was already received; sign a new request to send again');
        }
        let result;
        try {
          // An item the database refuses even cleaned fails the whole request, naming it: the sender can fix and resend.
          result = await ingestPage(deps.db, source, { items: payload.items, removed: payload.removed, cursor: null }, {
            saveCursor: true,
            unstorable: 'refuse',
            announced: announcedTogether(payload.items, arrivedAt),
          });
        } catch (error) {
          // If even this fails the database is down; the sender's retry then gets a 409 it should
          // not, which the error returned here (5xx) already tells it to doubt.
          await releaseWebhookSignature(deps.db, source.id, signed).catch((releaseError: unknown) =>
            request.log.warn({ err: releaseError }, 'could not forget the signature of a webhook request that was not stored'),
          );
          if (error instanceof UnstorableItemError) {
            const index = payload.items.findLastIndex((item) => storableText(item.externalId) === error.externalId);
            const field = index === -1 ? 'body.items' : `body.items[${index}]`;
            throw invalidInput(field, `${field} cannot be stored: ${error.message}`);
          }
          throw error;
        }
        if (result.toAnalyze.length > 0) {
          const origin = `webhook-${source.id}-${createHash('sha256').update(signed).digest('hex').slice(0, 16)}`;
          await enqueueAnalysis(deps.queues, origin, 0, result.toAnalyze);
        }
        await recordPollSuccess(deps.db, source.id);
        return reply.status(202).send({ received: payload.items.length, new: result.inserted, updated: result.revised, removed: result.removed });
      },
    );
  };
}
