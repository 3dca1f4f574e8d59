import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { findBusiness } from '../../../db/repositories/businesses.ts';
import { respondToItem, resolveItem } from '../../../db/repositories/item-actions.ts';
import { getItem, listItems } from '../../../db/repositories/item-queries.ts';
import { findSource } from '../../../db/repositories/sources.ts';
import type { ItemStatus, SentimentLabel } from '../../../db/schema.ts';
import { authOf, requireRole, type AuthContext } from '../auth.ts';
import type { ApiDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { OPTIONAL_BODY } from '../openapi-options.ts';
import { idParams, isUuid, noQuery, uuid, type IdParams } from '../schemas/common.ts';
import { errorResponses } from '../schemas/error.ts';
import {
  ITEM_STATUSES,
  SENTIMENT_LABELS,
  presentItem,
  presentItemDetail,
  type ItemDetailJson,
  type ItemJson,
} from '../schemas/item.ts';
import { cursorQuery, decodeCursor, encodeCursor, limitQuery, nextCursor } from '../schemas/pagination.ts';

interface ListItemsQuery {
  businessId?: string;
  sourceId?: string;
  status?: ItemStatus;
  sentiment?: SentimentLabel;
  flagged?: boolean;
  limit: number;
  cursor?: string;
}

const listItemsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    businessId: uuid,
    sourceId: uuid,
    status: { type: 'string', enum: ITEM_STATUSES },
    sentiment: { type: 'string', enum: SENTIMENT_LABELS },
    flagged: { type: 'boolean' },
    limit: limitQuery,
    cursor: cursorQuery,
  },
} as const;

interface ItemActionBody {
  note?: string;
}

const itemActionBody = {
  type: 'object',
  additionalProperties: false,
  properties: { note: { type: 'string', maxLength: 5000, description: 'Kept in the timeline so nobody has to ask twice' } },
} as const;

/** Who may work the inbox: everyone but read-only report keys. */
const INBOX_ROLES = ['owner', 'staff'] as const;

/** A filter naming another account's business or source is answered like an unknown id. */
async function assertFilterTargetsVisible(deps: ApiDeps, auth: AuthContext, query: ListItemsQuery): Promise<void> {
  if (query.businessId !== undefined && (await findBusiness(deps.db, auth, query.businessId)) === undefined) {
    throw notFound('business');
  }
  if (query.sourceId !== undefined && (await findSource(deps.db, auth, query.sourceId)) === undefined) {
    throw notFound('source');
  }
}

export function itemRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: ListItemsQuery; Reply: { items: ItemJson[]; nextCursor: string | null } }>(
      '/v1/items',
      {
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
      async (request) => {
        const auth = authOf(request);
        const { cursor, ...filters } = request.query;
        const after = cursor === undefined ? undefined : decodeCursor(cursor);
        await assertFilterTargetsVisible(deps, auth, request.query);
        const page = await listItems(deps.db, auth, { ...filters, ...(after && { after }) });
        return { items: page.items.map(presentItem), nextCursor: page.next && encodeCursor(page.next) };
      },
    );

    app.get<{ Params: IdParams; Reply: ItemDetailJson }>(
      '/v1/items/:id',
      {
        schema: {
          summary: 'Get one item with its timeline',
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

    const actionSchema = (summary: string) => ({
      summary,
      tags: ['items'],
      [OPTIONAL_BODY]: true,
      params: idParams,
      querystring: noQuery,
      body: itemActionBody,
      response: { 200: { $ref: 'ItemDetail#', description: 'The item as it now is' }, ...errorResponses(400, 401, 403, 404) },
    });

    /** respond and resolve differ only in what they record. */
    const handleAction =
      (act: typeof respondToItem) =>
      async (request: FastifyRequest<{ Params: IdParams; Body: ItemActionBody }>): Promise<ItemDetailJson> => {
        const auth = authOf(request);
        requireRole(auth, INBOX_ROLES);
        const { id } = request.params;
        const action = { actor: auth.keyName, note: request.body.note };
        const item = isUuid(id) ? await act(deps.db, auth, id, action) : undefined;
        if (item === undefined) throw notFound('item');
        return presentItemDetail(item);
      };

    app.post<{ Params: IdParams; Body: ItemActionBody; Reply: ItemDetailJson }>(
      '/v1/items/:id/respond',
      {
        preValidation: bodyOptional,
        schema: {
          ...actionSchema('Record that the customer was answered'),
          description:
            'The first response counts for response time (unless the platform already showed an owner reply); later ones only add to the timeline.',
        },
      },
      handleAction(respondToItem),
    );

    app.post<{ Params: IdParams; Body: ItemActionBody; Reply: ItemDetailJson }>(
      '/v1/items/:id/resolve',
      {
        preValidation: bodyOptional,
        schema: {
          ...actionSchema("Record that the customer's problem was fixed"),
          description: 'Does not count as a response: an item resolved without an answer stays unanswered in response-time figures.',
        },
      },
      handleAction(resolveItem),
    );
  };
}
