import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { findBusiness } from '../../../db/repositories/businesses.ts';
import { getItem, listItemsJson, type ItemDetailRecord } from '../../../db/repositories/item-queries.ts';
import { listReReviewRequests } from '../../../db/repositories/re-reviews.ts';
import { findSource } from '../../../db/repositories/sources.ts';
import type { ItemKind, ItemStatus, SentimentLabel } from '../../../db/schema.ts';
import {
  addItemNote,
  AnswerBeforePublication,
  AnswerInTheFuture,
  assignItem,
  type AssignTo,
  ItemTransitionRefused,
  reopenItem,
  resolveItem,
  respondToItem,
  UnknownAssignee,
} from '../../inbox/item-workflow.ts';
import { askForReReview } from '../../inbox/re-review-request.ts';
import { EVERY_ROLE, INBOX_ROLES } from '../access.ts';
import { authOf, type AuthContext } from '../auth.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError, invalidInput, notFound } from '../errors.ts';
import { OPTIONAL_BODY } from '../openapi-options.ts';
import { apiDate, apiDateValue, idParams, isUuid, JSON_TYPE, noQuery, queryDateRange, uuid, type IdParams } from '../schemas/common.ts';
import { errorResponses } from '../schemas/error.ts';
import {
  ITEM_KINDS,
  ITEM_STATUSES,
  SENTIMENT_LABELS,
  itemListJson,
  presentItemDetail,
  type ItemDetailJson,
} from '../schemas/item.ts';
import { cursorQuery, decodeCursor, encodeCursor, limitQuery, nextCursor } from '../schemas/pagination.ts';
import {
  createReReviewBody,
  presentReReviewRequest,
  reReviewRequestList,
  reReviewRequestSchema,
  type CreateReReviewBody,
  type ReReviewRequestJson,
} from '../schemas/re-review.ts';

interface ListItemsQuery {
  businessId?: string;
  sourceId?: string;
  kind?: ItemKind;
  status?: ItemStatus;
  sentiment?: SentimentLabel;
  flagged?: boolean;
  ratingMin?: number;
  ratingMax?: number;
  assignee?: string;
  publishedFrom?: string;
  publishedTo?: string;
  q?: string;
  limit: number;
  cursor?: string;
}

const rating = { type: 'integer', minimum: 1, maximum: 5 } as const;

const listItemsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    businessId: uuid,
    sourceId: uuid,
    kind: { type: 'string', enum: ITEM_KINDS },
    status: { type: 'string', enum: ITEM_STATUSES },
    sentiment: { type: 'string', enum: SENTIMENT_LABELS },
    flagged: { type: 'boolean' },
    ratingMin: { ...rating, description: 'Only items rated at least this (unrated items are left out)' },
    ratingMax: { ...rating, description: 'Only items rated at most this (unrated items are left out)' },
    assignee: { type: 'string', minLength: 1, maxLength: 320, description: "An API key id, or a person's name or email (any case)" },
    publishedFrom: { ...apiDate, description: 'Published at or after (first seen, for undated items); a date is midnight UTC' },
    publishedTo: { ...apiDate, description: 'Published before (first seen, for undated items); a date is midnight UTC' },
    q: { type: 'string', minLength: 1, maxLength: 200, description: 'Text in the title or body, any case; no wildcards' },
    limit: limitQuery,
    cursor: cursorQuery,
  },
} as const;

const note = { type: 'string', maxLength: 5000, description: 'Kept in the timeline so nobody has to ask twice' } as const;
/** Required texts need something besides spaces. */
const someText = { type: 'string', minLength: 1, maxLength: 5000, pattern: '\\S' } as const;

interface RespondBody {
  note?: string;
  at?: string;
}
const respondBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    note,
    at: { ...apiDate, description: 'When the answer actually happened (e.g. a phone call earlier); default now. Not in the future, not before publication.' },
  },
  examples: [{ note: 'Called Pat, apologised, offered a free dinner to make it right.', at: '2026-03-01T11:15:00Z' }],
} as const;

interface ResolveBody {
  note?: string;
}
const resolveBody = { type: 'object', additionalProperties: false, properties: { note }, examples: [{ note: 'Replaced the heater.' }] } as const;

interface ReopenBody {
  reason: string;
}
const reopenBody = {
  type: 'object',
  required: ['reason'],
  additionalProperties: false,
  properties: { reason: { ...someText, description: 'Why the fix did not hold' } },
  examples: [{ reason: 'The customer wrote again: the heater failed after a day.' }],
} as const;

interface AssignBody {
  to: string | null;
}
const assignBody = {
  type: 'object',
  required: ['to'],
  additionalProperties: false,
  properties: {
    to: {
      type: ['string', 'null'],
      maxLength: 320,
      description:
        "An API key id of this account, the id of a person of the account (owner or staff who can see the item's business; it then shows under their \"Mine\" in the web app), or a name or email as text; null or empty unassigns",
    },
  },
  examples: [{ to: 'sam@bistro.example' }, { to: null }],
} as const;

interface NoteBody {
  text: string;
}
const noteBody = {
  type: 'object',
  required: ['text'],
  additionalProperties: false,
  properties: { text: someText },
  examples: [{ text: 'Customer prefers a call after 5 pm.' }],
} as const;

/** A filter naming another account's business or source is answered like an unknown id. */
async function assertFilterTargetsVisible(deps: ApiDeps, auth: AuthContext, query: ListItemsQuery): Promise<void> {
  if (query.businessId !== undefined && (await findBusiness(deps.db, auth, query.businessId)) === undefined) {
    throw notFound('business');
  }
  if (query.sourceId !== undefined && (await findSource(deps.db, auth, query.sourceId)) === undefined) {
    throw notFound('source');
  }
}

function checkRatingRange(query: ListItemsQuery): void {
  if (query.ratingMin !== undefined && query.ratingMax !== undefined && query.ratingMin > query.ratingMax) {
    throw invalidInput('query.ratingMax', 'query.ratingMax must not be below query.ratingMin');
  }
}

/** The item the action left, or the error it stands for. */
async function itemOrError(action: Promise<ItemDetailRecord | undefined>): Promise<ItemDetailJson> {
  const item = await action.catch((error: unknown) => {
    throw refusalAsApiError(error);
  });
  if (item === undefined) throw notFound('item');
  return presentItemDetail(item);
}

/** The inbox's refusals as the API reports them; anything else passes through. */
function refusalAsApiError(error: unknown): unknown {
  if (error instanceof AnswerBeforePublication) {
    return invalidInput('body.at', `body.at is before the item was published (${error.publishedAt.toISOString()})`);
  }
  if (error instanceof ItemTransitionRefused) {
    return new ApiError(409, 'conflict', error.action === 'reopen' ? `only a resolved item can be reopened; this one is ${error.status}` : error.message);
  }
  if (error instanceof AnswerInTheFuture) return invalidInput('body.at', 'body.at is in the future');
  if (error instanceof UnknownAssignee) {
    return invalidInput('body.to', 'body.to is not an active API key of this account, nor an owner or staff member of it who can see this item');
  }
  return error;
}

/** An assignee as given: a key's or a person's id, a name, or nobody. */
function assigneeOf(to: string | null): AssignTo {
  const text = to?.trim() ?? '';
  if (text === '') return null;
  return isUuid(text) ? { id: text.toLowerCase() } : { name: text };
}

export function itemRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    // The answer is `{ items: ItemJson[]; nextCursor }`, described by the schema below for the
    // OpenAPI document; PostgreSQL writes each item's JSON, so it is sent as text, not serialised.
    app.get<{ Querystring: ListItemsQuery }>(
      '/v1/items',
      {
        config: { access: { roles: EVERY_ROLE } },
        schema: {
          summary: 'List reviews and mentions, newest first',
          tags: ['items'],
          querystring: listItemsQuery,
          response: {
            200: {
              description: 'One page; follow `nextCursor` for the rest',
              type: 'object',
              required: ['items', 'nextCursor'],
              additionalProperties: false,
              properties: { items: { type: 'array', items: { $ref: 'Item#' } }, nextCursor },
            },
            ...errorResponses(400, 401, 404),
          },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const { cursor, publishedFrom, publishedTo, ...filters } = request.query;
        checkRatingRange(request.query);
        const published = queryDateRange(request.query, 'publishedFrom', 'publishedTo');
        const after = cursor === undefined ? undefined : decodeCursor(cursor);
        await assertFilterTargetsVisible(deps, auth, request.query);
        const page = await listItemsJson(deps.db, auth, {
          ...filters,
          ...(published.from !== undefined && { publishedFrom: published.from }),
          ...(published.to !== undefined && { publishedTo: published.to }),
          ...(after && { after }),
        });
        return reply.type(JSON_TYPE).send(itemListJson(page.itemsJson, page.next && encodeCursor(page.next)));
      },
    );

    app.get<{ Params: IdParams; Reply: ItemDetailJson }>(
      '/v1/items/:id',
      {
        config: { access: { roles: EVERY_ROLE, target: 'item' } },
        schema: {
          summary: 'Get one item with its timeline',
          description:
            'The timeline, oldest first: detected, flagged, alerted (to whom), platform reply seen, responded, notes, assignments, resolved, reopened, re-review requested, revised, re-review outcome.',
          querystring: noQuery,
          tags: ['items'],
          params: idParams,
          response: { 200: { $ref: 'ItemDetail#', description: 'The item' }, ...errorResponses(401, 404) },
        },
      },
      async (request) => {
        const { id } = request.params;
        const item = isUuid(id) ? await getItem(deps.db, authOf(request), id) : undefined;
        if (item === undefined) throw notFound('item');
        return presentItemDetail(item);
      },
    );

    // The note is optional, so clients may send no body at all; validate that as `{}`.
    const bodyOptional = async (request: FastifyRequest) => {
      request.body ??= {};
    };

    const actionSchema = (
      summary: string,
      description: string,
      body: object,
      options: { optionalBody?: boolean; statuses?: Parameters<typeof errorResponses> } = {},
    ) => ({
      summary,
      description,
      tags: ['items'],
      ...(options.optionalBody && { [OPTIONAL_BODY]: true }),
      params: idParams,
      querystring: noQuery,
      body,
      response: { 200: { $ref: 'ItemDetail#', description: 'The item as it now is, with its timeline' }, ...errorResponses(...(options.statuses ?? [400, 401, 403, 404])) },
    });

    /** Who to name in the timeline (the route's access rule has already checked the role). Malformed ids are simply not found. */
    const actor = (request: FastifyRequest<{ Params: IdParams }>): { auth: AuthContext; actor: string } => {
      const auth = authOf(request);
      if (!isUuid(request.params.id)) throw notFound('item');
      return { auth, actor: auth.keyName };
    };

    app.post<{ Params: IdParams; Body: RespondBody; Reply: ItemDetailJson }>(
      '/v1/items/:id/respond',
      {
        config: { access: { roles: INBOX_ROLES, target: 'item' } },
        preValidation: bodyOptional,
        schema: actionSchema(
          'Record that the customer was answered',
          'The earliest answer counts for response time, whether it is an owner reply seen on the platform or a `respond` here (`at` backdates one that happened earlier); later ones only add to the timeline. A resolved item stays resolved.',
          respondBody,
          { optionalBody: true },
        ),
      },
      async (request) => {
        const { auth, actor: name } = actor(request);
        const { note: text, at } = request.body;
        const when = at === undefined ? undefined : apiDateValue('body.at', at);
        return itemOrError(respondToItem(deps.db, auth, request.params.id, { actor: name, note: text, at: when }));
      },
    );

    app.post<{ Params: IdParams; Body: ResolveBody; Reply: ItemDetailJson }>(
      '/v1/items/:id/resolve',
      {
        config: { access: { roles: INBOX_ROLES, target: 'item' } },
        preValidation: bodyOptional,
        schema: actionSchema(
          "Record that the customer's problem was fixed",
          'Does not count as a response: an item resolved without an answer stays unanswered in response-time figures.',
          resolveBody,
          { optionalBody: true },
        ),
      },
      async (request) => {
        const { auth, actor: name } = actor(request);
        return itemOrError(resolveItem(deps.db, auth, request.params.id, { actor: name, note: request.body.note }));
      },
    );

    app.post<{ Params: IdParams; Body: ReopenBody; Reply: ItemDetailJson }>(
      '/v1/items/:id/reopen',
      {
        config: { access: { roles: INBOX_ROLES, target: 'item' } },
        schema: actionSchema(
          'Reopen a resolved item',
          'The fix did not hold. The item goes back to `responded` if it was ever answered, else to `new`; its resolution time is cleared so the next `resolve` dates the real fix. Answers are never undone. 409 unless the item is resolved.',
          reopenBody,
          { statuses: [400, 401, 403, 404, 409] },
        ),
      },
      async (request) => {
        const { auth, actor: name } = actor(request);
        return itemOrError(reopenItem(deps.db, auth, request.params.id, { actor: name, reason: request.body.reason }));
      },
    );

    app.post<{ Params: IdParams; Body: AssignBody; Reply: ItemDetailJson }>(
      '/v1/items/:id/assign',
      {
        config: { access: { roles: INBOX_ROLES, target: 'item' } },
        schema: actionSchema(
          'Give the item to someone',
          "`to` is an API key id of this account (shown under the key's name), a person's user id (shown under their display name, else email), or a person's name or email as text; null or an empty string unassigns.",
          assignBody,
        ),
      },
      async (request) => {
        const { auth, actor: name } = actor(request);
        return itemOrError(assignItem(deps.db, auth, request.params.id, { actor: name, to: assigneeOf(request.body.to) }));
      },
    );

    app.post<{ Params: IdParams; Body: NoteBody; Reply: ItemDetailJson }>(
      '/v1/items/:id/notes',
      { config: { access: { roles: INBOX_ROLES, target: 'item' } }, schema: actionSchema('Add a note to the timeline', 'So nobody has to ask the customer to tell the story twice.', noteBody) },
      async (request) => {
        const { auth, actor: name } = actor(request);
        return itemOrError(addItemNote(deps.db, auth, request.params.id, { actor: name, text: request.body.text }));
      },
    );

    app.post<{ Params: IdParams; Body: CreateReReviewBody; Reply: ReReviewRequestJson }>(
      '/v1/items/:id/re-review-requests',
      {
        config: { access: { roles: INBOX_ROLES, target: 'item' } },
        schema: {
          summary: 'Record that the customer was asked to update their review',
          description:
            'Only once the item is resolved (409 otherwise), and one open request per item (409 while one is pending). Earshot then notices the outcome on its own: revised when the review is edited, expired after RE_REVIEW_EXPIRE_DAYS. Ask every resolved customer you can reach, whatever they wrote, and never offer anything in return (docs/re-reviews.md).',
          tags: ['items'],
          params: idParams,
          querystring: noQuery,
          body: createReReviewBody,
          response: {
            201: { ...reReviewRequestSchema, description: 'The request, pending' },
            ...errorResponses(400, 401, 403, 404, 409),
          },
        },
      },
      async (request, reply) => {
        const { auth, actor: name } = actor(request);
        const { channel, note: text } = request.body;
        const outcome = await askForReReview(deps.db, auth, request.params.id, { channel, note: text, actor: name });
        if (outcome === undefined) throw notFound('item');
        if ('refused' in outcome) {
          const message =
            outcome.refused === 'not_resolved'
              ? `ask for a re-review only after the fix: resolve the item first (it is ${outcome.status})`
              : `a re-review request for this item is already pending since ${outcome.since.toISOString()}`;
          throw new ApiError(409, 'conflict', message);
        }
        return reply.status(201).send(presentReReviewRequest(outcome.created));
      },
    );

    app.get<{ Params: IdParams; Reply: { requests: ReReviewRequestJson[] } }>(
      '/v1/items/:id/re-review-requests',
      {
        config: { access: { roles: EVERY_ROLE, target: 'item' } },
        schema: {
          summary: "List the item's re-review requests",
          description: 'Newest first, with each outcome: pending, revised (with `ratingAfter`), removed or expired. An empty list when the customer was never asked.',
          tags: ['items'],
          params: idParams,
          querystring: noQuery,
          response: { 200: reReviewRequestList, ...errorResponses(401, 404) },
        },
      },
      async (request) => {
        const { id } = request.params;
        const requests = isUuid(id) ? await listReReviewRequests(deps.db, authOf(request), id) : undefined;
        if (requests === undefined) throw notFound('item');
        return { requests: requests.map(presentReReviewRequest) };
      },
    );
  };
}
