import type { FastifyPluginAsync } from 'fastify';
import { trustpilot } from '../../../connectors/trustpilot/index.ts';
import { webhookSecretMatches } from '../../../connectors/trustpilot/webhook-auth.ts';
import { readWebhookEvents, TrustpilotWebhookError } from '../../../connectors/trustpilot/webhook-events.ts';
import { findPushSource } from '../../../db/repositories/sources.ts';
import { itemsHeld, markSourcesHeard } from '../../../db/repositories/stream-cursors.ts';
import { enqueueAnalysis } from '../../analysis/enqueue-analysis.ts';
import { ingestPage } from '../../ingest/ingest-page.ts';
import { decryptCredentials } from '../../sources/credentials.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError, invalidInput } from '../errors.ts';
import { isUuid, noQuery } from '../schemas/common.ts';
import { errorResponses } from '../schemas/error.ts';

/** Where a Trustpilot source's review webhooks go: the secret is the URL's last segment (webhook-auth.ts). */
export function trustpilotWebhookUrl(publicUrl: string, sourceId: string): string {
  return `${publicUrl}/v1/webhooks/trustpilot/${sourceId}/{webhookSecret}`;
}

const REFUSED = 'this URL is not a Trustpilot source\'s webhook: it must end in the source id and its credentials.webhookSecret';

const params = {
  type: 'object',
  required: ['id', 'secret'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', description: 'The Trustpilot source' },
    secret: { type: 'string', description: "The source's credentials.webhookSecret" },
  },
} as const;

const accepted = {
  description: 'Stored; new and revised reviews go on to analysis and alerts',
  type: 'object',
  required: ['received', 'new', 'updated', 'removed', 'ignored'],
  additionalProperties: false,
  properties: {
    received: { type: 'integer', description: 'Events in the request' },
    new: { type: 'integer' },
    updated: { type: 'integer', description: 'Stored reviews whose stars or words changed' },
    removed: { type: 'integer', description: 'Stored reviews newly marked deleted (unknown ids are ignored)' },
    ignored: { type: 'integer', description: 'Events of kinds Earshot does not read (product reviews, say)' },
  },
} as const;

/**
 * Trustpilot's service review webhooks for one source: created → a new item, updated →
 * a revision, deleted → a removal, stored through the poll's ingest (so the same event
 * twice, or a poll of the same review later, changes nothing) and analysed as after a poll.
 * Polling stays on as the safety net for anything a webhook missed.
 */
export function trustpilotWebhookRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Params: { id: string; secret: string } }>(
      '/v1/webhooks/trustpilot/:id/:secret',
      {
        // The URL holds the secret: the per-request log lines, which print it, are left out.
        logLevel: 'warn',
        schema: {
          summary: "Receive a Trustpilot source's review webhooks",
          description:
            'Give Trustpilot (Integrations → Developers → Webhooks, service reviews: new, updated, deleted) the source\'s webhookUrl with {webhookSecret} ' +
            'replaced by its credentials.webhookSecret. Body as Trustpilot sends it: {"events":[{"eventName":"service-review-created"|"service-review-updated"|"service-review-deleted","eventData":{review}}]}.',
          tags: ['sources'],
          security: [],
          querystring: noQuery,
          params,
          response: { 202: accepted, ...errorResponses(400, 401, 409) },
        },
      },
      async (request, reply) => {
        const arrivedAt = new Date();
        const { id, secret } = request.params;
        const source = isUuid(id) ? await findPushSource(deps.db, id, trustpilot.id) : undefined;
        // Unknown ids, other types and a wrong secret look alike: the URL must prove itself whole.
        const stored = source && decryptCredentials(deps.credentialsKey, source.id, source.credentials).webhookSecret;
        if (source === undefined || !webhookSecretMatches(stored, secret)) throw new ApiError(401, 'unauthorized', REFUSED);
        if (source.status === 'paused') throw new ApiError(409, 'conflict', 'the source is paused; resume it to receive reviews');

        let batch;
        try {
          batch = readWebhookEvents(request.body, arrivedAt);
        } catch (error) {
          if (error instanceof TrustpilotWebhookError) throw invalidInput(error.field, error.message);
          throw error;
        }
        const known = new Set((await itemsHeld(deps.db, [source.id], [...batch.onlyIfNew])).map((held) => held.externalId));
        const items = batch.items.filter((item) => !(batch.onlyIfNew.has(item.externalId) && known.has(item.externalId)));
        // The cursor is the poll's: a webhook neither reads nor moves it. Trustpilot's announcement
        // is the request itself, so latency counts from its arrival.
        const announced = new Map(items.map((item) => [item.externalId, arrivedAt]));
        const result = await ingestPage(deps.db, source, { items, removed: batch.removed, cursor: undefined }, { saveCursor: false, announced });
        if (result.skipped.length > 0) request.log.warn({ sourceId: source.id, skipped: result.skipped }, 'webhook reviews the database refused were kept aside (see the source health)');
        await enqueueAnalysis(deps.queues, `trustpilot-webhook-${request.id}`, 0, result.toAnalyze);
        if (result.inserted > 0) await markSourcesHeard(deps.db, [source.id]);
        const received = batch.items.length + batch.removed.length + batch.ignored;
        return reply.status(202).send({ received, new: result.inserted, updated: result.revised, removed: result.removed, ignored: batch.ignored });
      },
    );
  };
}
