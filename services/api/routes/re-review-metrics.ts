import type { FastifyPluginAsync } from 'fastify';
import { findBusiness } from '../../../db/repositories/businesses.ts';
import { reReviewMetrics, type ReReviewGroupBy } from '../../../db/repositories/re-review-metrics.ts';
import { authOf } from '../auth.ts';
import type { ApiDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { apiDate, queryDateRange, uuid } from '../schemas/common.ts';
import { errorResponses } from '../schemas/error.ts';
import { reReviewGroupSchema, type ReReviewGroupJson } from '../schemas/re-review.ts';
import { EVERY_ROLE } from '../access.ts';

interface ReReviewMetricsQuery {
  businessId?: string;
  from?: string;
  to?: string;
  groupBy: ReReviewGroupBy;
}

const metricsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    businessId: uuid,
    from: { ...apiDate, description: 'Requests made at or after (a date is midnight UTC)', examples: ['2026-10-01'] },
    to: { ...apiDate, description: 'Requests made before (a date is midnight UTC)', examples: ['2026-11-01'] },
    groupBy: { type: 'string', enum: ['business', 'month', 'channel'], default: 'business' },
  },
} as const;

export function reReviewMetricsRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: ReReviewMetricsQuery; Reply: { groups: ReReviewGroupJson[] } }>(
      '/v1/metrics/re-reviews',
      {
        config: { access: { roles: EVERY_ROLE } },
        schema: {
          summary: 'How re-review requests turned out',
          description:
            'Requests are counted by when they were made (`from` ≤ requested < `to`); outcomes as they stand now. Rating changes are over revised reviews with a rating before and after; days to revision over revised requests. Groups with no requests are left out.',
          tags: ['metrics'],
          querystring: metricsQuery,
          response: {
            200: {
              description: 'One group per business, month or channel, in key order',
              type: 'object',
              required: ['groups'],
              additionalProperties: false,
              properties: { groups: { type: 'array', items: reReviewGroupSchema } },
              examples: [
                {
                  groups: [
                    {
                      key: 'email',
                      requested: 4,
                      revised: 2,
                      removed: 0,
                      expired: 1,
                      pending: 1,
                      improved: 2,
                      averageRatingChange: 2.5,
                      medianRatingChange: 2.5,
                      medianDaysToRevision: 3.2,
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
        const { businessId, groupBy } = request.query;
        const { from, to } = queryDateRange(request.query, 'from', 'to');
        if (businessId !== undefined && (await findBusiness(deps.db, auth, businessId)) === undefined) throw notFound('business');
        const groups = await reReviewMetrics(deps.db, auth, {
          groupBy,
          ...(businessId !== undefined && { businessId }),
          ...(from !== undefined && { from }),
          ...(to !== undefined && { to }),
        });
        return { groups };
      },
    );
  };
}
