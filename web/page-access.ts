import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler, onRouteHookHandler } from 'fastify';
import type { Db } from '../db/database.ts';
import type { Role } from '../db/schema.ts';
import { canSee, type AccessTarget } from '../services/api/access.ts';
import { isUuid } from '../services/api/schemas/common.ts';
import { findUser } from '../db/repositories/users.ts';
import type { Person } from '../services/people/sessions.ts';
import { PageError } from './page-error.ts';

/** What a page's `:id` names: the API's targets, and people of the account. */
export type PageTarget = AccessTarget | 'user';

/**
 * Who may open a page or send a form. Every web route declares one in
 * `config.page`; registering a route without it stops the app from starting,
 * exactly as /v1 routes must declare `config.access`.
 */
export type PageRule =
  /** Sign-in, invitations, password resets, assets: no session needed. */
  | { readonly public: true }
  | {
      /** The roles that may use the page at all. */
      readonly roles: readonly Role[];
      /** Required when the path has `:id`: what the id names, so an id out of reach is a 404 page. */
      readonly target?: PageTarget;
    };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required on every web route; see web/page-access.ts. */
    page?: PageRule;
  }
  interface FastifyRequest {
    /** The signed-in person on web routes; null when nobody is (or on /v1). */
    person: Person | null;
  }
}

const ROLES: readonly Role[] = ['owner', 'staff', 'consultant'];

export const requirePageRule: onRouteHookHandler = (route) => {
  const where = `${String(route.method)} ${route.url}`;
  const rule = route.config?.page;
  if (rule === undefined) {
    throw new Error(`${where} declares no page rule: add config: { page: { roles: [...], target? } } or { page: { public: true } } (see web/page-access.ts)`);
  }
  if ('public' in rule) return;
  if (!Array.isArray(rule.roles) || rule.roles.length === 0 || rule.roles.some((role) => !ROLES.includes(role))) {
    throw new Error(`${where}: config.page.roles must list some of ${ROLES.join(', ')}`);
  }
  if (route.url.includes(':id') && rule.target === undefined) throw new Error(`${where}: config.page.target must say what :id names`);
};

async function personCanSee(db: Db, person: Person, target: PageTarget, id: string): Promise<boolean> {
  if (target !== 'user') return canSee(db, person, target, id);
  return isUuid(id) && (await findUser(db, person.accountId, id)) !== undefined;
}

/** Where the sign-in page sends the person back to: the page they asked for, or for a form the page it was on. */
export function signInRedirect(request: FastifyRequest): string {
  let next = request.url;
  if (request.method !== 'GET') {
    try {
      next = new URL(request.headers.referer ?? '/', 'http://earshot.invalid').pathname;
    } catch {
      next = '/';
    }
  }
  return `/sign-in?next=${encodeURIComponent(safeNext(next))}`;
}

/** A `next` that can only lead back into Earshot: a path on this site, never another site. */
export function safeNext(value: string | undefined): string {
  if (value === undefined || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  if (/[\u0000-\u001f\\]/.test(value) || value.startsWith('/sign-in')) return '/';
  return value;
}

/**
 * Runs after the session hook. Nobody signed in: off to sign-in, coming back here
 * afterwards. An id the person cannot see is the 404 page, whatever their role;
 * a page their role may not use is the 403 page.
 */
export function enforcePageAccess(db: Db): onRequestAsyncHookHandler {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const rule = request.routeOptions.config.page;
    if (rule === undefined || 'public' in rule) return;
    const person = request.person;
    if (person === null) {
      await reply.redirect(signInRedirect(request), 303);
      return reply;
    }
    const params = request.params as Record<string, string | undefined> | undefined;
    const id = params?.id;
    if (rule.target !== undefined && id !== undefined && !(await personCanSee(db, person, rule.target, id))) {
      throw PageError.notFound();
    }
    if (!rule.roles.includes(person.role)) {
      throw new PageError(403, 'Not for your role', `This page is for ${rule.roles.join(' and ')} accounts; you are signed in as ${person.role}.`);
    }
    return undefined;
  };
}
