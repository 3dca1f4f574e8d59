import type { FastifyPluginAsync } from 'fastify';
import { findReplySubject, listReplies } from '../../../db/repositories/item-replies.ts';
import { cancelReply } from '../../replies/cancel-reply.ts';
import { createReply } from '../../replies/create-reply.ts';
import { ReplyInputRefused, ReplyNotCancellable, ReplyPlatformUnreachable } from '../../replies/reply-refusals.ts';
import { INBOX_ROLES } from '../access.ts';
import { authOf, type AuthContext } from '../auth.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError, invalidInput, notFound } from '../errors.ts';
import { idParams, isUuid, noQuery, type IdParams } from '../schemas/common.ts';
import { errorResponses } from '../schemas/error.ts';
import { presentReply, replySchema, type ReplyJson } from '../schemas/reply.ts';

interface CreateReplyBody {
  text: string;
  replaces?: string | null;
}

const createReplyBody = {
  type: 'object',
  required: ['text'],
  additionalProperties: false,
  properties: {
    text: { type: 'string', maxLength: 20_000, description: "The reply as it will appear on the platform; its length is counted as the platform counts it (bytes, characters or graphemes)" },
    replaces: {
      type: ['string', 'null'],
      format: 'uuid',
      description:
        "The item's current Earshot reply, when this one changes it; omit (or null) for a first reply. A reply is never sent over one the caller has not seen.",
    },
  },
  examples: [{ text: 'We are sorry about the cold soup, Pat. The heater is fixed; please come back as our guest.' }],
} as const;

interface ReplyParams {
  id: string;
  replyId: string;
}

const replyParams = {
  type: 'object',
  required: ['id', 'replyId'],
  additionalProperties: false,
  properties: { id: { type: 'string', description: "The item's UUID" }, replyId: { type: 'string', description: "The reply's UUID" } },
} as const;

/** A platform that could not tell its reply limit is asked again after this. */
const RETRY_LIMITS_AFTER_SECONDS = 30;

/** The replies feature's refusals as the API reports them; anything else passes through. */
function refusalAsApiError(error: unknown): unknown {
  if (error instanceof ReplyInputRefused) {
    if (error.code === 'text_empty' || error.code === 'too_long') return invalidInput('body.text', `body.text: ${error.message}`);
    if (error.code === 'reply_not_supported' || error.code === 'replies_not_set_up') return new ApiError(409, error.code, error.message);
    return new ApiError(409, 'conflict', error.message, error.field === null ? {} : { field: `body.${error.field}` });
  }
  if (error instanceof ReplyNotCancellable) return new ApiError(409, 'conflict', error.message);
  if (error instanceof ReplyPlatformUnreachable) return new ApiError(503, 'unavailable', error.message, { headers: { 'retry-after': String(RETRY_LIMITS_AFTER_SECONDS) } });
  return error;
}

/** The item's id, once it is known to be in the caller's scope (an item with no replies yet is still an item). */
async function visibleItemId(deps: ApiDeps, scope: AuthContext, params: IdParams): Promise<string> {
  if (!isUuid(params.id) || (await findReplySubject(deps.db, scope, params.id)) === undefined) throw notFound('item');
  return params.id;
}

export function replyRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Params: IdParams; Body: CreateReplyBody; Reply: ReplyJson }>(
      '/v1/items/:id/replies',
      {
        config: { access: { roles: INBOX_ROLES, target: 'item' } },
        schema: {
          summary: 'Reply to a review or mention on its platform',
          description:
            'Checked at once (text, length as the platform counts it, reply support and credentials, and that `replaces` is the current reply); then scheduled for `REPLY_UNDO_SECONDS` (the undo window, see DELETE), then published exactly once. The platform is read before publishing: a reply there that Earshot did not send stops this one (`stopped`). Once published it counts as the item\'s first response when nothing answered earlier.',
          tags: ['replies'],
          params: idParams,
          querystring: noQuery,
          body: createReplyBody,
          response: { 202: { ...replySchema, description: 'Scheduled; follow its status with GET' }, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        if (!isUuid(request.params.id)) throw notFound('item');
        const created = await createReply(deps, auth, request.params.id, {
          text: request.body.text,
          replaces: request.body.replaces?.toLowerCase() ?? null,
          author: auth.keyName,
          authorUserId: null,
        }).catch((error: unknown) => {
          throw refusalAsApiError(error);
        });
        if (created === undefined) throw notFound('item');
        return reply.status(202).send(presentReply(created));
      },
    );

    app.get<{ Params: IdParams; Reply: { replies: ReplyJson[] } }>(
      '/v1/items/:id/replies',
      {
        config: { access: { roles: INBOX_ROLES, target: 'item' } },
        schema: {
          summary: "An item's replies from Earshot, oldest first",
          tags: ['replies'],
          params: idParams,
          querystring: noQuery,
          response: {
            200: { type: 'object', required: ['replies'], additionalProperties: false, properties: { replies: { type: 'array', items: replySchema } } },
            ...errorResponses(401, 403, 404),
          },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const replies = await listReplies(deps.db, auth, await visibleItemId(deps, auth, request.params));
        return { replies: replies.map(presentReply) };
      },
    );

    app.delete<{ Params: ReplyParams; Reply: ReplyJson }>(
      '/v1/items/:id/replies/:replyId',
      {
        config: { access: { roles: INBOX_ROLES, target: 'item' } },
        schema: {
          summary: 'Take a reply back during its undo window',
          description: 'Only while it is `scheduled`; once it is sending or sent, 409.',
          tags: ['replies'],
          params: replyParams,
          querystring: noQuery,
          response: { 200: { ...replySchema, description: 'The reply, now `cancelled`' }, ...errorResponses(401, 403, 404, 409) },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const id = await visibleItemId(deps, auth, request.params);
        if (!isUuid(request.params.replyId)) throw notFound('reply');
        const cancelled = await cancelReply(deps.db, auth, id, request.params.replyId.toLowerCase()).catch((error: unknown) => {
          throw refusalAsApiError(error);
        });
        if (cancelled === undefined) throw notFound('reply');
        return presentReply(cancelled);
      },
    );
  };
}
