import type { FastifyPluginAsync } from 'fastify';
import { findBusiness } from '../../../db/repositories/businesses.ts';
import { latencyBySourceType, type SourceTypeLatency } from '../../../db/repositories/latency-metrics.ts';
import { EVERY_ROLE } from '../access.ts';
import { authOf } from '../auth.ts';
import type { ApiDeps } from '../deps.ts';
import { invalidInput, notFound } from '../errors.ts';
import { apiDate, queryDateRange, uuid } from '../schemas/common.ts';
import { errorResponses } from '../schemas/error.ts';

interface LatencyQuerystring {
  businessId?: string;
  from?: string;
  to?: string;
}

/** Without `from`, the range is the 30 days before `to` (itself now by default). */
const DEFAULT_DAYS = 30;

const latencyQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    businessId: { ...uuid, description: "One business; without it, every business the caller can see" },
    from: { ...apiDate, description: `Items first seen at or after (a date is midnight UTC); default ${DEFAULT_DAYS} days before \`to\``, examples: ['2026-12-01'] },
    to: { ...apiDate, description: 'Items first seen before (a date is midnight UTC); default now', examples: ['2026-12-08'] },
  },
} as const;

const percentiles = (description: string) =>
  ({
    type: 'object',
    description,
    required: ['p50', 'p95', 'p99'],
    additionalProperties: false,
    properties: {
      p50: { type: ['number', 'null'] },
      p95: { type: ['number', 'null'] },
      p99: { type: ['number', 'null'] },
    },
  }) as const;

const sourceTypeLatency = {
  type: 'object',
  required: ['sourceType', 'count', 'alerted', 'announcedToFirstSeen', 'firstSeenToAlert'],
  additionalProperties: false,
  properties: {
    sourceType: { type: 'string', examples: ['bluesky'] },
    count: { type: 'integer', description: 'Items first seen in the range' },
    alerted: { type: 'integer', description: 'Of those, the ones a channel accepted an alert for' },
    announcedToFirstSeen: percentiles(
      'Milliseconds from when the platform announced the item (a stream event, a webhook arrival; for a polled item, its publication) to when Earshot first saw it; null when none was measured',
    ),
    firstSeenToAlert: percentiles('Milliseconds from first seen to the earliest bad-item alert a channel accepted (SMTP 250, HTTP 2xx); null when none was alerted'),
  },
} as const;

export function latencyMetricsRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: LatencyQuerystring; Reply: { from: string; to: string; sourceTypes: SourceTypeLatency[] } }>(
      '/v1/metrics/latency',
      {
        config: { access: { roles: EVERY_ROLE } },
        schema: {
          summary: 'Review-to-alert latency: p50/p95/p99 per source type',
          description:
            'Over the items first seen in the range (`from` ≤ first seen < `to`), per source type: from the platform announcing an item to Earshot first seeing it, and from first seen to the earliest alert about it that a channel accepted. Percentiles interpolate linearly and are rounded to whole milliseconds. Source types with no items are left out.',
          tags: ['metrics'],
          querystring: latencyQuery,
          response: {
            200: {
              description: 'The range measured and one entry per source type, in name order',
              type: 'object',
              required: ['from', 'to', 'sourceTypes'],
              additionalProperties: false,
              properties: {
                from: { type: 'string', format: 'date-time' },
                to: { type: 'string', format: 'date-time' },
                sourceTypes: { type: 'array', items: sourceTypeLatency },
              },
              examples: [
                {
                  from: '2026-11-08T12:00:00.000Z',
                  to: '2026-12-08T12:00:00.000Z',
                  sourceTypes: [
                    {
                      sourceType: 'bluesky',
                      count: 120,
                      alerted: 31,
                      announcedToFirstSeen: { p50: 180, p95: 420, p99: 910 },
                      firstSeenToAlert: { p50: 240, p95: 610, p99: 1150 },
                    },
                  ],
                },
              ],
            },
            ...errorResponses(400, 401, 404),
          },
        },
      },
      async (request) => {
        // Every role reads metrics, consultants included; scope limits what is counted.
        const auth = authOf(request);
        const { businessId } = request.query;
        const range = queryDateRange(request.query, 'from', 'to');
        const to = range.to ?? new Date();
        const from = range.from ?? new Date(to.getTime() - DEFAULT_DAYS * 86_400_000);
        if (from >= to) throw invalidInput('query.from', 'query.from must be before query.to (now when not given)');
        if (businessId !== undefined && (await findBusiness(deps.db, auth, businessId)) === undefined) throw notFound('business');
        const sourceTypes = await latencyBySourceType(deps.db, auth, { ...(businessId !== undefined && { businessId }), from, to });
        return { from: from.toISOString(), to: to.toISOString(), sourceTypes };
      },
    );
  };
}
