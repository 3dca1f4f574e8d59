import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Kysely } from 'kysely';
import { findActiveKeyByHash, keyNeedsTouch, touchKey } from '../../db/repositories/api-keys.ts';
import type { TenantScope } from '../../db/repositories/tenant-scope.ts';
import type { Database, Role } from '../../db/schema.ts';
import { hashApiKey } from '../keys/api-key-secret.ts';
import { ApiError } from './errors.ts';

/** Who is calling: the key's account, role and business scope. Every query is filtered by it. */
export interface AuthContext extends TenantScope {
  readonly keyId: string;
  /** Shown as the actor of staff actions in item timelines. */
  readonly keyName: string;
  readonly role: Role;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the Bearer hook on /v1 routes; null elsewhere. */
    auth: AuthContext | null;
  }
}

const REALM = 'Bearer realm="earshot"';

function unauthorized(message: string, challenge: string): ApiError {
  return new ApiError(401, 'unauthorized', message, { headers: { 'www-authenticate': challenge } });
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** The onRequest hook: runs before body parsing, so a stranger learns nothing from validation errors. */
export function authenticate(db: Kysely<Database>): onRequestAsyncHookHandler {
  return async (request) => {
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) throw unauthorized('send an API key as "Authorization: Bearer <key>"', REALM);
    const key = await findActiveKeyByHash(db, hashApiKey(token));
    if (key === undefined) {
      throw unauthorized('the API key is unknown or revoked', `${REALM}, error="invalid_token"`);
    }
    if (keyNeedsTouch(key, new Date())) await touchKey(db, key.id);
    request.auth = {
      accountId: key.accountId,
      businessIds: key.businessIds,
      keyId: key.id,
      keyName: key.name,
      role: key.role,
    };
  };
}

/** The caller of an authenticated route. */
export function authOf(request: FastifyRequest): AuthContext {
  if (request.auth === null) throw new Error(`route ${request.url} is served without the Bearer hook`);
  return request.auth;
}
