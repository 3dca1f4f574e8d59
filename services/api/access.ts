import type { FastifyRequest, onRequestAsyncHookHandler, onRouteHookHandler } from 'fastify';
import { findKey } from '../../db/repositories/api-keys.ts';
import { findAlertChannel } from '../../db/repositories/alert-channels.ts';
import { findAlertRule } from '../../db/repositories/alert-rules.ts';
import { findBusiness } from '../../db/repositories/businesses.ts';
import { getItem } from '../../db/repositories/item-queries.ts';
import { findSource } from '../../db/repositories/sources.ts';
import type { Db } from '../../db/database.ts';
import type { Role } from '../../db/schema.ts';
import type { TenantScope } from '../../db/repositories/tenant-scope.ts';
import { authOf, type AuthContext } from './auth.ts';
import { forbidden, notFound } from './errors.ts';
import { isUuid } from './schemas/common.ts';

/** What a route's `:id` names, so a refused caller can be told 404 for what it cannot see. */
export type AccessTarget = 'business' | 'source' | 'item' | 'key' | 'channel' | 'alert_rule';

/**
 * Who may call a /v1 route. Every /v1 route declares one in `config.access`;
 * registering a route without it stops the app from starting.
 */
export interface AccessRule {
  /** The roles that may call the route at all. */
  readonly roles: readonly Role[];
  /** Required when the path has `:id`: what kind of record the id names. */
  readonly target?: AccessTarget;
  /** true: only keys not limited to some businesses (a limited key could otherwise widen its own reach). */
  readonly accountWide?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required on every /v1 route; see services/api/access.ts. */
    access?: AccessRule;
  }
}

/** Shorthands for the common rules; routes may also spell a rule out. */
export const EVERY_ROLE: readonly Role[] = ['owner', 'staff', 'consultant'];
/** Working the inbox: read-only report keys cannot. */
export const INBOX_ROLES: readonly Role[] = ['owner', 'staff'];
/** Changing what Earshot watches, businesses and keys. */
export const OWNER_ONLY: readonly Role[] = ['owner'];

const ROLES: readonly Role[] = EVERY_ROLE;
const TARGETS: readonly AccessTarget[] = ['business', 'source', 'item', 'key', 'channel', 'alert_rule'];

function checkRule(where: string, url: string, rule: AccessRule): void {
  if (!Array.isArray(rule.roles) || rule.roles.length === 0 || rule.roles.some((role) => !ROLES.includes(role))) {
    throw new Error(`${where}: config.access.roles must list some of ${ROLES.join(', ')}`);
  }
  if (url.includes(':id') && (rule.target === undefined || !TARGETS.includes(rule.target))) {
    throw new Error(`${where}: config.access.target must say what :id names (${TARGETS.join(', ')})`);
  }
}

/**
 * Runs as each /v1 route is registered: a route without an access rule cannot
 * ship, because the app refuses to start.
 */
export const requireAccessRule: onRouteHookHandler = (route) => {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  for (const method of methods) {
    const where = `${String(method)} ${route.url}`;
    const rule = route.config?.access;
    if (rule === undefined) {
      throw new Error(`${where} declares no access rule: add config: { access: { roles: [...], target? } } to the route (see services/api/access.ts)`);
    }
    checkRule(where, route.url, rule);
  }
};

/** Whether the record the id names is within the caller's account and business scope. */
export async function canSee(db: Db, auth: TenantScope, target: AccessTarget, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  switch (target) {
    case 'business':
      return (await findBusiness(db, auth, id)) !== undefined;
    case 'source':
      return (await findSource(db, auth, id)) !== undefined;
    case 'item':
      return (await getItem(db, auth, id)) !== undefined;
    case 'key':
      return (await findKey(db, auth.accountId, id)) !== undefined;
    case 'channel':
      // Channels belong to the account, whatever businesses the caller is limited to.
      return (await findAlertChannel(db, auth.accountId, id)) !== undefined;
    case 'alert_rule':
      // A rule is seen with its business.
      return (await findAlertRule(db, auth, id)) !== undefined;
  }
}

function idParam(request: FastifyRequest): string | undefined {
  const params = request.params as Record<string, string | undefined> | undefined;
  return params?.id;
}

/**
 * Runs after authentication and before the body is read. A refused caller hears
 * 403 only about records it can see; anything else is the 404 an unknown id gets,
 * so a refusal never tells whether another tenant's id exists.
 */
export function enforceAccess(db: Db): onRequestAsyncHookHandler {
  return async (request) => {
    const rule = request.routeOptions.config.access;
    // Unrouted requests reach the not-found handler through the hooks too.
    if (rule === undefined) return;
    const auth = authOf(request);
    const roleAllowed = rule.roles.includes(auth.role);
    const scopeAllowed = !rule.accountWide || auth.businessIds === null;
    if (roleAllowed && scopeAllowed) return;
    const id = idParam(request);
    if (rule.target !== undefined && id !== undefined && !(await canSee(db, auth, rule.target, id))) throw notFound(rule.target);
    if (!roleAllowed) throw forbidden(`a ${auth.role} key cannot do this; it needs a ${rule.roles.join(' or ')} key`);
    throw forbidden('a key limited to some businesses cannot do this; use a key for the whole account');
  };
}
