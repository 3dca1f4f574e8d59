import type { Capabilities } from '../../../connectors/contract.ts';
import { findConnector } from '../../../connectors/registry.ts';
import { trustpilot } from '../../../connectors/trustpilot/index.ts';
import type { SourceRecord } from '../../../db/repositories/sources.ts';
import type { SourceStatus, StreamState } from '../../../db/schema.ts';
import { streamHealth } from '../../streams/stream-health.ts';
import { trustpilotWebhookUrl } from '../routes/trustpilot-webhooks.ts';
import { dateTime, nullableDateTime, toIso, uuid } from './common.ts';

const SOURCE_STATUSES: readonly SourceStatus[] = ['ok', 'needs_attention', 'paused', 'failing'];
const STREAM_STATES: readonly StreamState[] = ['connected', 'connecting', 'down'];

export const sourceSchema = {
  $id: 'Source',
  type: 'object',
  required: ['id', 'businessId', 'type', 'config', 'pollEveryMinutes', 'createdAt', 'capabilities', 'webhookUrl', 'health'],
  additionalProperties: false,
  description: 'A watched place on one platform. Credentials are write-only and never appear here.',
  properties: {
    id: uuid,
    businessId: uuid,
    type: { type: 'string', description: 'Connector id, e.g. google_places' },
    config: { type: 'object', additionalProperties: true },
    pollEveryMinutes: { type: 'integer' },
    createdAt: dateTime,
    capabilities: {
      type: 'object',
      description: 'What the platform lets Earshot see (see GET /v1/source-types)',
      required: ['hasRatings', 'detectsOwnerReplies', 'seesEdits', 'push', 'maxItemsPerPoll'],
      additionalProperties: false,
      properties: {
        hasRatings: { type: 'boolean' },
        detectsOwnerReplies: { type: 'boolean' },
        seesEdits: { type: 'boolean' },
        push: { type: 'boolean' },
        maxItemsPerPoll: { type: ['integer', 'null'] },
      },
    },
    webhookUrl: {
      type: ['string', 'null'],
      description:
        'For push sources: where the sender POSTs signed items (see docs/sources.md). For trustpilot: the subscription URL for Trustpilot\'s review webhooks, ' +
        'with {webhookSecret} to be replaced by the source\'s credentials.webhookSecret (see docs/sources/trustpilot-webhooks.md). null otherwise',
    },
    health: {
      type: 'object',
      required: ['status', 'lastPolledAt', 'lastSuccessAt', 'lastError', 'consecutiveFailures', 'itemCount', 'possiblyBroken', 'quietSince', 'skippedItems', 'stream'],
      additionalProperties: false,
      properties: {
        status: {
          type: 'string',
          enum: SOURCE_STATUSES,
          description: 'needs_attention: the platform refused the config or credentials; fix them, then poll now',
        },
        lastPolledAt: nullableDateTime,
        lastSuccessAt: nullableDateTime,
        lastError: {
          type: ['object', 'null'],
          required: ['kind', 'message', 'at'],
          additionalProperties: false,
          properties: {
            kind: { type: 'string', description: 'config | rate_limited | transient | bad_payload' },
            message: { type: 'string' },
            at: nullableDateTime,
          },
        },
        consecutiveFailures: { type: 'integer' },
        itemCount: { type: 'integer' },
        possiblyBroken: {
          type: 'boolean',
          description: 'Polls succeed but nothing has arrived for far longer than this source usually goes quiet (the owner is emailed once)',
        },
        quietSince: { ...nullableDateTime, description: 'When the last item was published, if the source is possibly broken' },
        skippedItems: {
          type: 'array',
          description:
            'The last ten items the platform sent that could not be stored even after cleaning, newest first. ' +
            'The rest of their page was stored and the source keeps polling; each is kept for inspection.',
          items: {
            type: 'object',
            required: ['externalId', 'reason', 'at'],
            additionalProperties: false,
            properties: {
              externalId: { type: 'string', description: "The platform's id of the item" },
              reason: { type: 'string', description: 'Why it could not be stored' },
              at: dateTime,
            },
          },
        },
        stream: {
          type: ['object', 'null'],
          description:
            "The platform stream that brings this source's items seconds after the platform announces them (polling stays on as the safety net). " +
            'null when no stream serves it: its platform has none, the stream is turned off, or the source is paused.',
          required: ['state', 'lastEventAt', 'lagSeconds'],
          additionalProperties: false,
          properties: {
            state: {
              type: 'string',
              enum: STREAM_STATES,
              description: 'down: not connected — reconnecting with backoff (see the logs), no source to serve yet, or no worker running',
            },
            lastEventAt: { ...nullableDateTime, description: "The platform's time of the newest event Earshot stored" },
            lagSeconds: {
              type: ['number', 'null'],
              description:
                'Seconds from the platform announcing an event to Earshot storing it: as of the last batch while connected; otherwise how far behind now the stream is, to be caught up from its cursor. null before the first event',
            },
          },
        },
      },
    },
  },
} as const;

export interface SourceJson {
  id: string;
  businessId: string;
  type: string;
  config: Record<string, unknown>;
  pollEveryMinutes: number;
  createdAt: string;
  capabilities: Capabilities;
  webhookUrl: string | null;
  health: {
    status: SourceStatus;
    lastPolledAt: string | null;
    lastSuccessAt: string | null;
    lastError: { kind: string; message: string; at: string | null } | null;
    consecutiveFailures: number;
    itemCount: number;
    possiblyBroken: boolean;
    quietSince: string | null;
    skippedItems: Array<{ externalId: string; reason: string; at: string }>;
    stream: { state: StreamState; lastEventAt: string | null; lagSeconds: number | null } | null;
  };
}

// Sources of a type no longer built keep working as records; they just see nothing.
const NO_CAPABILITIES: Capabilities = { hasRatings: false, detectsOwnerReplies: false, seesEdits: false, push: false, maxItemsPerPoll: null };

/** `publicUrl` is Earshot's own address, for the webhook endpoint of push sources. */
export function presentSource(source: SourceRecord, publicUrl: string): SourceJson {
  const { health } = source;
  const capabilities = findConnector(source.type)?.capabilities ?? NO_CAPABILITIES;
  return {
    id: source.id,
    businessId: source.businessId,
    type: source.type,
    config: source.config,
    pollEveryMinutes: source.pollEveryMinutes,
    createdAt: toIso(source.createdAt),
    capabilities: { ...capabilities },
    webhookUrl: webhookUrl(source, capabilities, publicUrl),
    health: {
      status: health.status,
      lastPolledAt: toIso(health.lastPolledAt),
      lastSuccessAt: toIso(health.lastSuccessAt),
      lastError: health.lastError && { ...health.lastError, at: toIso(health.lastError.at) },
      consecutiveFailures: health.consecutiveFailures,
      itemCount: health.itemCount,
      possiblyBroken: health.quietSince !== null,
      quietSince: toIso(health.quietSince),
      skippedItems: health.skippedItems.map((item) => ({ ...item, at: item.at.toISOString() })),
      stream: presentStream(health),
    },
  };
}

/** Where a platform or automation sends this source's items, if it can. */
function webhookUrl(source: SourceRecord, capabilities: Capabilities, publicUrl: string): string | null {
  if (capabilities.push) return `${publicUrl}/v1/webhooks/${source.id}`;
  // Polled, and also told at once by Trustpilot's review webhooks when the owner subscribes this URL.
  if (source.type === trustpilot.id) return trustpilotWebhookUrl(publicUrl, source.id);
  return null;
}

function presentStream(health: SourceRecord['health']): SourceJson['health']['stream'] {
  if (health.stream === null) return null;
  const stream = streamHealth(health.stream, new Date());
  return { state: stream.state, lastEventAt: toIso(stream.lastEventAt), lagSeconds: stream.lagSeconds };
}
