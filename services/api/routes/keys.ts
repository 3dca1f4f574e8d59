import type { FastifyPluginAsync } from 'fastify';
import { listKeys, revokeKeepingAnOwner, type ApiKeyRecord } from '../../../db/repositories/api-keys.ts';
import { createAccountKey, KeyRefusal } from '../../keys/create-account-key.ts';
import type { Role } from '../../../db/schema.ts';
import { OWNER_ONLY, type AccessRule } from '../access.ts';
import { authOf } from '../auth.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError, invalidInput, notFound } from '../errors.ts';
import { dateTime, idParams, isUuid, noQuery, nullableDateTime, toIso, uuid, type IdParams } from '../schemas/common.ts';
import { errorResponses } from '../schemas/error.ts';

const ROLES: readonly Role[] = ['owner', 'staff', 'consultant'];

/** Keys are managed by owner keys for the whole account: a limited key could otherwise mint itself a wider one. */
const MANAGE_KEYS: AccessRule = { roles: OWNER_ONLY, accountWide: true };

interface CreateKeyBody {
  role: Role;
  name: string;
  businessIds?: string[];
}

const createKeyBody = {
  type: 'object',
  required: ['role', 'name'],
  additionalProperties: false,
  properties: {
    role: {
      type: 'string',
      enum: ROLES,
      description: 'owner: everything; staff: work items of its businesses; consultant: read items and metrics, change nothing',
    },
    name: { type: 'string', minLength: 1, maxLength: 100, description: 'Shown as the actor of staff actions in item timelines' },
    businessIds: {
      type: 'array',
      minItems: 1,
      maxItems: 1000,
      items: uuid,
      description: 'Limit the key to these businesses of the account; omit for all of them, including ones added later',
    },
  },
  examples: [{ role: 'consultant', name: 'Agency reports', businessIds: ['3f1c1b6e-8a53-4a8e-9a43-1f0f1d2a6b7c'] }],
} as const;

const keyProperties = {
  id: uuid,
  name: { type: 'string' },
  role: { type: 'string', enum: ROLES },
  businessIds: { type: ['array', 'null'], items: uuid, description: 'null: every business of the account' },
  prefix: { type: 'string', description: 'The first characters of the key, to tell keys apart' },
  createdAt: dateTime,
  lastUsedAt: { ...nullableDateTime, description: 'Recorded at most once a minute' },
  revokedAt: nullableDateTime,
} as const;

const keySchema = {
  type: 'object',
  required: Object.keys(keyProperties),
  additionalProperties: false,
  properties: keyProperties,
} as const;

const createdKeySchema = {
  type: 'object',
  required: [...Object.keys(keyProperties), 'key'],
  additionalProperties: false,
  description: 'The new key; `key` is the secret, shown this once and never again',
  properties: { ...keyProperties, key: { type: 'string', description: 'Send as `Authorization: Bearer <key>`; store it now' } },
} as const;

interface KeyJson {
  id: string;
  name: string;
  role: Role;
  businessIds: string[] | null;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

function presentKey(key: ApiKeyRecord): KeyJson {
  return {
    id: key.id,
    name: key.name,
    role: key.role,
    businessIds: key.businessIds,
    prefix: key.prefix,
    createdAt: toIso(key.createdAt),
    lastUsedAt: toIso(key.lastUsedAt),
    revokedAt: toIso(key.revokedAt),
  };
}

export function keyRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: CreateKeyBody; Reply: KeyJson & { key: string } }>(
      '/v1/keys',
      {
        config: { access: MANAGE_KEYS },
        schema: {
          summary: 'Create an API key',
          description: 'The secret is in `key` of this response only; Earshot keeps just its SHA-256.',
          tags: ['keys'],
          querystring: noQuery,
          body: createKeyBody,
          response: { 201: createdKeySchema, ...errorResponses(400, 401, 403) },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        try {
          const { name, role, businessIds } = request.body;
          const created = await createAccountKey(deps.db, { accountId: auth.accountId, role, name, businessIds });
          return reply.status(201).send({ ...presentKey(created.record), key: created.key });
        } catch (error) {
          if (!(error instanceof KeyRefusal)) throw error;
          const field = error.index === undefined ? `body.${error.field}` : `body.${error.field}[${error.index}]`;
          throw invalidInput(field, `${field} ${error.message}`);
        }
      },
    );

    app.get<{ Reply: { accountId: string; keys: KeyJson[] } }>(
      '/v1/keys',
      {
        config: { access: MANAGE_KEYS },
        schema: {
          summary: "List the account's API keys",
          description: 'Revoked keys are listed too, with `revokedAt`. Secrets are never returned.',
          tags: ['keys'],
          querystring: noQuery,
          response: {
            200: {
              description: 'Oldest first',
              type: 'object',
              required: ['accountId', 'keys'],
              additionalProperties: false,
              properties: {
                accountId: { ...uuid, description: 'The account these keys belong to: what `earshot keys create --account ID` takes' },
                keys: { type: 'array', items: keySchema },
              },
            },
            ...errorResponses(401, 403),
          },
        },
      },
      async (request) => {
        const { accountId } = authOf(request);
        return { accountId, keys: (await listKeys(deps.db, accountId)).map(presentKey) };
      },
    );

    app.delete<{ Params: IdParams }>(
      '/v1/keys/:id',
      {
        config: { access: { ...MANAGE_KEYS, target: 'key' } },
        schema: {
          summary: 'Revoke an API key',
          description:
            'Takes effect on the next request. Revoking a revoked key changes nothing. The last owner key for the whole account cannot be revoked (409): create another first.',
          tags: ['keys'],
          querystring: noQuery,
          params: idParams,
          response: { 204: { description: 'Revoked', type: 'null' }, ...errorResponses(401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const { id } = request.params;
        const outcome = isUuid(id) ? await revokeKeepingAnOwner(deps.db, auth.accountId, id) : 'not_found';
        if (outcome === 'not_found') throw notFound('API key');
        if (outcome === 'last_owner_key') {
          throw new ApiError(
            409,
            'conflict',
            "this is the account's last owner key for all businesses; create another owner key (POST /v1/keys) before revoking this one",
          );
        }
        return reply.status(204).send();
      },
    );
  };
}
