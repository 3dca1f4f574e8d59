import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ItemKind, SentimentLabel } from '../../../db/schema.ts';
import type { LabelledGroup } from '../../response-times/group-labels.ts';
import type { ResponseTimeGrouping, UnrepliableSummary } from '../../response-times/response-time-query.ts';
import { responseTimeFigures } from '../../response-times/response-time-figures.ts';
import { responseTimesCsv } from '../../response-times/response-times-csv.ts';
import { authOf } from '../auth.ts';
import type { AppDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { queryDateRange } from '../schemas/common.ts';
import { errorResponses } from '../schemas/error.ts';
import { responseTimesQuerySchema, responseTimesReplySchema } from '../schemas/metrics.ts';

interface ResponseTimesQuerystring {
  businessId?: string[];
  sourceType?: string;
  kind?: ItemKind;
  sentiment?: SentimentLabel;
  flagged?: boolean;
  ratingMax?: number;
  from?: string;
  to?: string;
  businessHours: boolean;
  groupBy: ResponseTimeGrouping;
  format?: 'json' | 'csv';
}

/** Every role reads metrics, each within its own business scope. */
const everyRole: object = { access: { roles: ['owner', 'staff', 'consultant'] } };

function wantsCsv(request: FastifyRequest<{ Querystring: ResponseTimesQuerystring }>): boolean {
  if (request.query.format !== undefined) return request.query.format === 'csv';
  return /\btext\/csv\b/i.test(request.headers.accept ?? '');
}

export function metricsRoutes(deps: AppDeps): FastifyPluginAsync {
  const facts = deps.responseFacts;
  return async (app) => {
    app.get<{ Querystring: ResponseTimesQuerystring; Reply: { groups: LabelledGroup[]; unrepliable: UnrepliableSummary } | string }>(
      '/v1/metrics/response-times',
      {
        config: everyRole,
        schema: {
          summary: 'Response times: how fast items are answered, per business, source, week, month, responder, or business and week/month',
          description: 'Rules in docs/api.md ("Response time"). `Accept: text/csv` or `format=csv` returns the groups as CSV.',
          tags: ['metrics'],
          querystring: responseTimesQuerySchema,
          response: {
            200: {
              description: 'Groups ordered by key; as JSON, or as CSV (text/csv) when asked',
              content: {
                'application/json': { schema: responseTimesReplySchema },
                'text/csv': { schema: { type: 'string' } },
              },
            },
            ...errorResponses(400, 401, 404),
          },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const query = request.query;
        const { from, to } = queryDateRange(query, 'from', 'to');
        const figures = await responseTimeFigures(deps.db, facts, auth, {
          businessIds: query.businessId ?? [],
          sourceType: query.sourceType,
          kind: query.kind,
          sentiment: query.sentiment,
          flagged: query.flagged,
          ratingMax: query.ratingMax,
          from,
          to,
          businessHours: query.businessHours,
          groupBy: query.groupBy,
          now: new Date(),
        });
        // A business outside the key's reach is unknown to it, like any other id.
        if (figures === undefined) throw notFound('business');
        const { groups, unrepliable } = figures;
        if (!wantsCsv(request)) return { groups, unrepliable };
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="response-times-by-${query.groupBy.replace(',', '-')}.csv"`)
          .header('x-unrepliable-items', String(unrepliable.items))
          .send(responseTimesCsv(groups, query.groupBy));
      },
    );
  };
}
