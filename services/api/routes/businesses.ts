import type { FastifyPluginAsync } from 'fastify';
import { findBusiness, listBusinesses } from '../../../db/repositories/businesses.ts';
import { addBusiness } from '../../businesses/business-changes.ts';
import { EVERY_ROLE, OWNER_ONLY } from '../access.ts';
import { authOf } from '../auth.ts';
import type { ApiDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { presentBusiness, type BusinessJson } from '../schemas/business.ts';
import { idParams, isUuid, noQuery, type IdParams } from '../schemas/common.ts';
import { confirmQuery, deletionSummarySchema, answerDeletion, type ConfirmQuery, type DeletionSummaryJson } from '../schemas/deletion.ts';
import { errorResponses } from '../schemas/error.ts';
import { asInvalidBusinessInput } from '../business-refusal.ts';

interface CreateBusinessBody {
  name: string;
  timezone?: string;
  alertEmails: string[];
}

const createBusinessBody = {
  type: 'object',
  required: ['name', 'alertEmails'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    timezone: { type: 'string', minLength: 1, maxLength: 100, default: 'UTC', description: 'IANA time zone, e.g. America/New_York' },
    alertEmails: {
      type: 'array',
      minItems: 1,
      maxItems: 20,
      items: { type: 'string', format: 'email', maxLength: 254 },
      description: 'Who is emailed about flagged items; duplicates are dropped',
    },
  },
} as const;

export function businessRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: CreateBusinessBody; Reply: BusinessJson }>(
      '/v1/businesses',
      {
        // A key limited to some businesses could not see the one it created.
        config: { access: { roles: OWNER_ONLY, accountWide: true } },
        schema: {
          summary: 'Add a business to watch',
          querystring: noQuery,
          tags: ['businesses'],
          body: createBusinessBody,
          response: { 201: { $ref: 'Business#', description: 'The new business' }, ...errorResponses(400, 401, 403) },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const business = await asInvalidBusinessInput(() => addBusiness(deps.db, auth.accountId, request.body));
        return reply.status(201).send(presentBusiness(business));
      },
    );

    app.get<{ Reply: { businesses: BusinessJson[] } }>(
      '/v1/businesses',
      {
        config: { access: { roles: EVERY_ROLE } },
        schema: {
          summary: 'List the businesses this key can see',
          querystring: noQuery,
          tags: ['businesses'],
          response: {
            200: {
              description: 'Oldest first',
              type: 'object',
              required: ['businesses'],
              additionalProperties: false,
              properties: { businesses: { type: 'array', items: { $ref: 'Business#' } } },
            },
            ...errorResponses(401),
          },
        },
      },
      async (request) => {
        const businesses = await listBusinesses(deps.db, authOf(request));
        return { businesses: businesses.map(presentBusiness) };
      },
    );

    app.get<{ Params: IdParams; Reply: BusinessJson }>(
      '/v1/businesses/:id',
      {
        config: { access: { roles: EVERY_ROLE, target: 'business' } },
        schema: {
          summary: 'Get one business',
          querystring: noQuery,
          tags: ['businesses'],
          params: idParams,
          response: { 200: { $ref: 'Business#', description: 'The business' }, ...errorResponses(401, 404) },
        },
      },
      async (request) => {
        const { id } = request.params;
        const business = isUuid(id) ? await findBusiness(deps.db, authOf(request), id) : undefined;
        if (business === undefined) throw notFound('business');
        return presentBusiness(business);
      },
    );

    app.delete<{ Params: IdParams; Querystring: ConfirmQuery; Reply: DeletionSummaryJson }>(
      '/v1/businesses/:id',
      {
        config: { access: { roles: OWNER_ONLY, target: 'business' } },
        schema: {
          summary: 'Delete a business with its sources and items',
          description:
            'Deletes the business and everything recorded under it: its sources (polling stops), their items with timelines, revisions, alert deliveries and re-review requests, source notices and kept bad pages. API keys limited to it alone are revoked; keys limited to it among others just lose it. Only with `?confirm=<the id>`: without it nothing is deleted and the 400 (`error.field` `query.confirm`) says what would be, with counts. Cannot be undone.',
          tags: ['businesses'],
          params: idParams,
          querystring: confirmQuery,
          response: { 200: deletionSummarySchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => answerDeletion(deps.db, authOf(request), { kind: 'business', id: request.params.id }, request.query.confirm),
    );
  };
}
