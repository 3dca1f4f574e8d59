import type { FastifyPluginAsync } from 'fastify';
import { findAccountSummary } from '../../../db/repositories/accounts.ts';
import type { Role } from '../../../db/schema.ts';
import { EVERY_ROLE } from '../access.ts';
import { authOf } from '../auth.ts';
import type { ApiDeps } from '../deps.ts';
import { count, dateTime, noQuery, toIso, uuid } from '../schemas/common.ts';
import { errorResponses } from '../schemas/error.ts';

interface AccountJson {
  id: string;
  name: string;
  createdAt: string;
  counts: { businesses: number; sources: number; keys: number };
  key: { id: string; name: string; role: Role; businessIds: string[] | null };
}

const accountSchema = {
  description: "The calling key's account, and the key itself",
  type: 'object',
  required: ['id', 'name', 'createdAt', 'counts', 'key'],
  additionalProperties: false,
  properties: {
    id: { ...uuid, description: 'The account id: what `earshot keys create --account ID` takes' },
    name: { type: 'string' },
    createdAt: dateTime,
    counts: {
      type: 'object',
      required: ['businesses', 'sources', 'keys'],
      additionalProperties: false,
      properties: {
        businesses: count('Businesses this key can see'),
        sources: count('Sources of those businesses'),
        keys: count("The account's API keys not revoked"),
      },
    },
    key: {
      type: 'object',
      description: 'The key making this request',
      required: ['id', 'name', 'role', 'businessIds'],
      additionalProperties: false,
      properties: {
        id: uuid,
        name: { type: 'string' },
        role: { type: 'string', enum: EVERY_ROLE },
        businessIds: { type: ['array', 'null'], items: uuid, description: 'null: every business of the account' },
      },
    },
  },
} as const;

/** `GET /v1/account`: who am I — the account id a new key needs, and the calling key. */
export function accountRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Reply: AccountJson }>(
      '/v1/account',
      {
        config: { access: { roles: EVERY_ROLE } },
        schema: {
          summary: "The calling key's account",
          description: 'Any key may ask. Its id is what `earshot keys create --account ID` needs to add a key to this account.',
          tags: ['keys'],
          querystring: noQuery,
          response: { 200: accountSchema, ...errorResponses(401) },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const account = await findAccountSummary(deps.db, auth);
        // The key was found a moment ago, and its account cascades with it.
        if (account === undefined) throw new Error(`account ${auth.accountId} of key ${auth.keyId} vanished`);
        return {
          id: account.id,
          name: account.name,
          createdAt: toIso(account.createdAt),
          counts: { businesses: account.businesses, sources: account.sources, keys: account.keys },
          key: { id: auth.keyId, name: auth.keyName, role: auth.role, businessIds: auth.businessIds === null ? null : [...auth.businessIds] },
        };
      },
    );
  };
}
