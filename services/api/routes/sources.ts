import type { FastifyPluginAsync } from 'fastify';
import { findBusiness } from '../../../db/repositories/businesses.ts';
import { findSource, listSourcesOfBusiness } from '../../../db/repositories/sources.ts';
import { addSource, changeSource, type SourceStore } from '../../sources/source-changes.ts';
import { pollSourceNow } from '../../sources/request-poll.ts';
import { InvalidSourceSettings } from '../../sources/source-settings.ts';
import { EVERY_ROLE, INBOX_ROLES, OWNER_ONLY, type AccessRule } from '../access.ts';
import { authOf } from '../auth.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError, invalidInput, notFound } from '../errors.ts';
import { idParams, isUuid, noQuery, uuid, type IdParams } from '../schemas/common.ts';
import { confirmQuery, deletionSummarySchema, answerDeletion, type ConfirmQuery, type DeletionSummaryJson } from '../schemas/deletion.ts';
import { errorResponses } from '../schemas/error.ts';
import { presentSource, type SourceJson } from '../schemas/source.ts';

interface CreateSourceBody {
  type: string;
  config: Record<string, unknown>;
  credentials?: Record<string, string>;
  pollEveryMinutes?: number;
}

const createSourceBody = {
  type: 'object',
  required: ['type', 'config'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', minLength: 1, maxLength: 100, description: 'Connector id, e.g. google_places' },
    config: { type: 'object', description: "Per connector; see the connector's config schema" },
    credentials: {
      type: 'object',
      maxProperties: 20,
      additionalProperties: { type: 'string', maxLength: 10_000 },
      description: 'API keys and tokens; stored encrypted and never returned',
    },
    pollEveryMinutes: { type: 'integer', minimum: 1, maximum: 10_080, description: "Defaults to the connector's own interval" },
  },
} as const;

interface UpdateSourceBody {
  config?: Record<string, unknown>;
  credentials?: Record<string, string>;
  pollEveryMinutes?: number;
  paused?: boolean;
}

const updateSourceBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    config: { ...createSourceBody.properties.config, description: 'Replaces the whole config; the source then starts afresh (its cursor is reset)' },
    credentials: { ...createSourceBody.properties.credentials, description: 'Replaces all credentials; stored encrypted, never returned' },
    pollEveryMinutes: createSourceBody.properties.pollEveryMinutes,
    paused: { type: 'boolean', description: 'true stops polling until set back to false' },
  },
} as const;

const sourceList = {
  description: 'Oldest first',
  type: 'object',
  required: ['sources'],
  additionalProperties: false,
  properties: { sources: { type: 'array', items: { $ref: 'Source#' } } },
} as const;

/** Changing what Earshot watches is for owners. */
const CHANGE_SOURCES: AccessRule = { roles: OWNER_ONLY, target: 'source' };
/** Asking for a poll: also staff, checking whether a reply has appeared. */
const POLL_SOURCES: AccessRule = { roles: INBOX_ROLES, target: 'source' };
/** Sources and their health are readable by every role within its businesses. */
const READ_SOURCES: AccessRule = { roles: EVERY_ROLE, target: 'source' };

/** The connector's or the private-address rule's refusal, as a 400 naming the field. */
async function asInvalidInput<T>(settle: () => Promise<T>): Promise<T> {
  try {
    return await settle();
  } catch (error) {
    if (error instanceof InvalidSourceSettings) throw invalidInput(error.field, error.message);
    throw error;
  }
}

export function sourceRoutes(deps: ApiDeps): FastifyPluginAsync {
  const store: SourceStore = { db: deps.db, credentialsKey: deps.credentialsKey, allowPrivateUrls: deps.config.allowPrivateUrls };
  return async (app) => {
    app.post<{ Params: IdParams; Body: CreateSourceBody; Reply: SourceJson }>(
      '/v1/businesses/:id/sources',
      {
        config: { access: { roles: OWNER_ONLY, target: 'business' } },
        schema: {
          summary: 'Watch a business on one platform',
          description: 'The first poll happens on the next scheduler tick.',
          querystring: noQuery,
          tags: ['sources'],
          params: idParams,
          body: createSourceBody,
          response: { 201: { $ref: 'Source#', description: 'The new source' }, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const source = isUuid(id) ? await asInvalidInput(() => addSource(store, authOf(request), id, request.body)) : undefined;
        if (source === undefined) throw notFound('business');
        return reply.status(201).send(presentSource(source, deps.config.publicUrl));
      },
    );

    app.get<{ Params: IdParams; Reply: { sources: SourceJson[] } }>(
      '/v1/businesses/:id/sources',
      {
        config: { access: { roles: EVERY_ROLE, target: 'business' } },
        schema: {
          summary: "List a business's sources with their health",
          querystring: noQuery,
          tags: ['sources'],
          params: idParams,
          response: { 200: sourceList, ...errorResponses(401, 404) },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const { id } = request.params;
        const business = isUuid(id) ? await findBusiness(deps.db, auth, id) : undefined;
        if (business === undefined) throw notFound('business');
        const sources = await listSourcesOfBusiness(deps.db, auth, business.id);
        return { sources: sources.map((source) => presentSource(source, deps.config.publicUrl)) };
      },
    );

    app.get<{ Params: IdParams; Reply: SourceJson }>(
      '/v1/sources/:id',
      {
        config: { access: READ_SOURCES },
        schema: {
          summary: 'Get one source with its health',
          querystring: noQuery,
          tags: ['sources'],
          params: idParams,
          response: { 200: { $ref: 'Source#', description: 'The source' }, ...errorResponses(401, 404) },
        },
      },
      async (request) => {
        const { id } = request.params;
        const source = isUuid(id) ? await findSource(deps.db, authOf(request), id) : undefined;
        if (source === undefined) throw notFound('source');
        return presentSource(source, deps.config.publicUrl);
      },
    );

    app.post<{ Params: IdParams; Reply: { queued: true; sourceId: string } }>(
      '/v1/sources/:id/poll',
      {
        config: { access: POLL_SOURCES },
        schema: {
          summary: 'Poll a source now',
          description: 'Also polls a paused or misconfigured source: that is how a fix is checked.',
          querystring: noQuery,
          tags: ['sources'],
          params: idParams,
          response: {
            202: {
              description: 'The poll is queued',
              type: 'object',
              required: ['queued', 'sourceId'],
              additionalProperties: false,
              properties: { queued: { type: 'boolean', enum: [true] }, sourceId: uuid },
            },
            ...errorResponses(401, 403, 404, 409),
          },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const poll = isUuid(id) ? await pollSourceNow(deps.db, deps.queues, authOf(request), id) : { outcome: 'not_found' as const };
        if (poll.outcome === 'not_found') throw notFound('source');
        if (poll.outcome === 'pushed') throw new ApiError(409, 'conflict', `a ${poll.type} source is pushed to, not polled: send items to its webhookUrl`);
        return reply.status(202).send({ queued: true, sourceId: id });
      },
    );

    app.patch<{ Params: IdParams; Body: UpdateSourceBody; Reply: SourceJson }>(
      '/v1/sources/:id',
      {
        config: { access: CHANGE_SOURCES },
        schema: {
          summary: "Change a source's settings, or pause and resume it",
          description:
            'New config or credentials are checked like a new source, clear a needs_attention state and make the source due at once: that is how a fix is tried.',
          querystring: noQuery,
          tags: ['sources'],
          params: idParams,
          body: updateSourceBody,
          response: { 200: { $ref: 'Source#', description: 'The source as changed' }, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const { id } = request.params;
        const updated = isUuid(id) ? await asInvalidInput(() => changeSource(store, authOf(request), id, request.body)) : undefined;
        if (updated === undefined) throw notFound('source');
        return presentSource(updated, deps.config.publicUrl);
      },
    );

    app.delete<{ Params: IdParams; Querystring: ConfirmQuery; Reply: DeletionSummaryJson }>(
      '/v1/sources/:id',
      {
        config: { access: CHANGE_SOURCES },
        schema: {
          summary: 'Delete a source with its items',
          description:
            'Stops watching: deletes the source and everything recorded under it — its items with their timelines, revisions, alert deliveries and re-review requests, its notices, poll state and kept bad pages. Polls already queued for it do nothing. Only with `?confirm=<the id>`: without it nothing is deleted and the 400 (`error.field` `query.confirm`) says what would be, with counts. To stop polling but keep the items, pause it instead (`PATCH` with `paused: true`).',
          tags: ['sources'],
          params: idParams,
          querystring: confirmQuery,
          response: { 200: deletionSummarySchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => answerDeletion(deps.db, authOf(request), { kind: 'source', id: request.params.id }, request.query.confirm),
    );
  };
}
