import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { afterAll, describe, expect, test } from 'vitest';
import { createBusiness } from '../../db/repositories/businesses.ts';
import { createSource } from '../../services/sources/store-source.ts';
import { addChannel } from '../../services/alerts/channel-changes.ts';
import { addRule } from '../../services/alerts/rules/rule-changes.ts';
import type { Role } from '../../db/schema.ts';
import { requireAccessRule } from '../../services/api/access.ts';
import { addKey, createApiHarness, insertItem } from '../support/api.ts';

/**
 * Every /v1 route × every role × in scope / out of the key's business scope /
 * another tenant. The route list comes from the served OpenAPI document, so a
 * route added later fails here until it is given an expectation below.
 */
const h = await createApiHarness();
afterAll(() => h.close());

type Target = 'business' | 'source' | 'item' | 'key' | 'channel' | 'alert_rule';
interface Expectation {
  /** Roles that get past access control; the others get 403 on what they can see. */
  roles: readonly Role[];
  /** What `{id}` names; absent for routes without an id. */
  target?: Target;
  /** Only keys for the whole account (not limited to some businesses). */
  accountWide?: boolean;
  payload?: object;
}

const ALL: readonly Role[] = ['owner', 'staff', 'consultant'];
const INBOX: readonly Role[] = ['owner', 'staff'];
const OWNER: readonly Role[] = ['owner'];

const EXPECTATIONS: Record<string, Expectation> = {
  'GET /v1/businesses': { roles: ALL },
  'POST /v1/businesses': { roles: OWNER, accountWide: true, payload: { name: 'Matrix cafe', alertEmails: ['m@example.com'] } },
  'GET /v1/businesses/{id}': { roles: ALL, target: 'business' },
  'PATCH /v1/businesses/{id}': { roles: OWNER, target: 'business', payload: { slaHours: 24 } },
  // Without ?confirm= nothing is deleted (400), so the matrix's records stay.
  'DELETE /v1/businesses/{id}': { roles: OWNER, target: 'business' },
  'GET /v1/businesses/{id}/sources': { roles: ALL, target: 'business' },
  'POST /v1/businesses/{id}/sources': { roles: OWNER, target: 'business', payload: { type: 'rss', config: { url: 'https://example.com/feed.xml' } } },
  'GET /v1/sources/{id}': { roles: ALL, target: 'source' },
  'PATCH /v1/sources/{id}': { roles: OWNER, target: 'source', payload: { paused: false } },
  'DELETE /v1/sources/{id}': { roles: OWNER, target: 'source' },
  'POST /v1/sources/{id}/poll': { roles: INBOX, target: 'source' },
  'GET /v1/source-types': { roles: ALL },
  'GET /v1/items': { roles: ALL },
  'GET /v1/items/{id}': { roles: ALL, target: 'item' },
  'POST /v1/items/{id}/respond': { roles: INBOX, target: 'item', payload: {} },
  'POST /v1/items/{id}/resolve': { roles: INBOX, target: 'item', payload: {} },
  'POST /v1/items/{id}/reopen': { roles: INBOX, target: 'item', payload: { reason: 'customer wrote again' } },
  'POST /v1/items/{id}/assign': { roles: INBOX, target: 'item', payload: { to: 'Sam' } },
  'POST /v1/items/{id}/notes': { roles: INBOX, target: 'item', payload: { text: 'called the customer' } },
  'POST /v1/items/{id}/replies': { roles: INBOX, target: 'item', payload: { text: 'Thank you for telling us.' } },
  'GET /v1/items/{id}/replies': { roles: INBOX, target: 'item' },
  'GET /v1/businesses/{id}/reply-templates': { roles: ALL, target: 'business' },
  'POST /v1/businesses/{id}/reply-templates': { roles: OWNER, target: 'business', payload: { name: 'Matrix apology', body: 'Sorry, {first_name}.' } },
  'DELETE /v1/businesses/{id}/reply-templates/{templateId}': { roles: OWNER, target: 'business' },
  'DELETE /v1/items/{id}/replies/{replyId}': { roles: INBOX, target: 'item' },
  'POST /v1/items/{id}/re-review-requests': { roles: INBOX, target: 'item', payload: { channel: 'email' } },
  'GET /v1/items/{id}/re-review-requests': { roles: ALL, target: 'item' },
  'GET /v1/alerts/health': { roles: INBOX },
  'GET /v1/metrics/response-times': { roles: ALL },
  'GET /v1/metrics/re-reviews': { roles: ALL },
  'GET /v1/metrics/latency': { roles: ALL },
  'GET /v1/account': { roles: ALL },
  'GET /v1/keys': { roles: OWNER, accountWide: true },
  'POST /v1/keys': { roles: OWNER, accountWide: true, payload: { role: 'staff', name: 'Matrix staff' } },
  'DELETE /v1/keys/{id}': { roles: OWNER, target: 'key', accountWide: true },
  'GET /v1/channels': { roles: OWNER },
  'POST /v1/channels': { roles: OWNER, accountWide: true, payload: { type: 'email', name: 'Matrix managers', config: { to: ['m@example.com'] } } },
  'GET /v1/channels/{id}': { roles: OWNER, target: 'channel' },
  'PATCH /v1/channels/{id}': { roles: OWNER, target: 'channel', accountWide: true, payload: { config: { to: ['n@example.com'] } } },
  'DELETE /v1/channels/{id}': { roles: OWNER, target: 'channel', accountWide: true },
  // An email channel: the test message becomes an .eml file, no network.
  'POST /v1/channels/{id}/test': { roles: OWNER, target: 'channel', accountWide: true },
  'GET /v1/businesses/{id}/alert-rules': { roles: OWNER, target: 'business' },
  'POST /v1/businesses/{id}/alert-rules': { roles: OWNER, target: 'business', payload: { when: { ratingMax: 2 }, to: { email: 'm@example.com' }, delivery: 'instant' } },
  'PATCH /v1/alert-rules/{id}': { roles: OWNER, target: 'alert_rule', payload: { urgent: true } },
  'DELETE /v1/alert-rules/{id}': { roles: OWNER, target: 'alert_rule' },
};

/** Authenticated by a signature or a secret URL, not an API key: outside this matrix (see webhooks.test.ts, pipeline/trustpilot-webhook.test.ts). */
const NOT_KEY_ROUTES = new Set(['POST /v1/webhooks/{id}', 'POST /v1/webhooks/trustpilot/{id}/{secret}']);

const openapi = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
const served = Object.entries(openapi.paths)
  .filter(([path]) => path.startsWith('/v1/'))
  .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
  .filter((route) => route.split(' ')[0] !== 'HEAD' && !NOT_KEY_ROUTES.has(route));

// The tenant's second business is out of scope for keys limited to the first.
const { accountId } = h.tenant;
const second = await createBusiness(h.db, accountId, { name: 'Second shop', timezone: 'UTC', alertEmails: ['s@example.com'] });
const secondSource = await createSource(h.db, h.credentialsKey, {
  accountId,
  businessId: second.id,
  type: 'test_platform',
  config: {},
  credentials: {},
  pollEveryMinutes: 15,
  scheduled: true,
});
const inScope = { accountId, businessId: h.tenant.businessId, sourceId: h.tenant.sourceId };
const outOfScope = { accountId, businessId: second.id, sourceId: secondSource.id };
const strangerItem = await insertItem(h.db, h.stranger);
const channelStore = { db: h.db, credentialsKey: h.credentialsKey, allowPrivateUrls: false };
/** An email channel of the account, named afresh each time. */
async function channelOf(accountId: string): Promise<string> {
  const added = await addChannel(channelStore, accountId, { type: 'email', name: `Matrix ${randomUUID()}`, config: { to: ['m@example.com'] } });
  return added.channel.id;
}
const strangerChannel = await channelOf(h.stranger.accountId);
/** An alert rule of the business, made afresh each time. */
async function ruleOf(owner: { accountId: string; businessId: string }): Promise<string> {
  const added = await addRule(h.db, { accountId: owner.accountId, businessIds: null }, owner.businessId, { to: { email: 'r@example.com' }, delivery: 'instant' });
  return added!.id;
}
const strangerRule = await ruleOf(h.stranger);

/** A fresh record per request, so mutations (revoking a key, resolving an item) never depend on order. */
async function idFor(target: Target, where: 'in' | 'out' | 'stranger'): Promise<string> {
  if (where === 'stranger') {
    return { business: h.stranger.businessId, source: h.stranger.sourceId, item: strangerItem, key: h.stranger.keyId, channel: strangerChannel, alert_rule: strangerRule }[target];
  }
  const owner = where === 'in' ? inScope : outOfScope;
  switch (target) {
    case 'business':
      return owner.businessId;
    case 'source':
      return owner.sourceId;
    case 'item':
      return insertItem(h.db, owner);
    case 'key':
      return (await addKey(h.db, accountId, 'staff')).id;
    case 'channel':
      return channelOf(accountId);
    case 'alert_rule':
      return ruleOf(owner);
  }
}

/** A reply still in its undo window on the item (any id when there is no such item), for routes that name one. */
async function replyOn(itemId: string): Promise<string> {
  const item = await h.db.selectFrom('items').select(['account_id', 'business_id']).where('id', '=', itemId).executeTakeFirst();
  if (item === undefined) return '00000000-0000-4000-8000-000000000000';
  const reply = await h.db
    .insertInto('item_replies')
    .values({ account_id: item.account_id, business_id: item.business_id, item_id: itemId, text: 'Thank you.', author: 'matrix', send_at: new Date(Date.now() + 3_600_000) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return reply.id;
}

/** A template of the business (any id when there is no such business), for routes that name one. */
async function templateOn(businessId: string): Promise<string> {
  const business = await h.db.selectFrom('businesses').select('account_id').where('id', '=', businessId).executeTakeFirst();
  if (business === undefined) return '00000000-0000-4000-8000-000000000000';
  const template = await h.db
    .insertInto('reply_templates')
    .values({ account_id: business.account_id, business_id: businessId, name: `Matrix ${Math.random()}`, body: 'Thank you, {author}.' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return template.id;
}

async function callAs(route: string, key: string, id: string | undefined) {
  const [method, path] = route.split(' ') as [string, string];
  const expectation = EXPECTATIONS[route]!;
  let url = id === undefined ? path : path.replace('{id}', id);
  if (id !== undefined && url.includes('{replyId}')) url = url.replace('{replyId}', await replyOn(id));
  if (id !== undefined && url.includes('{templateId}')) url = url.replace('{templateId}', await templateOn(id));
  return h.call({ method: method as 'GET', url, key, ...(expectation.payload && { payload: expectation.payload }) });
}

/** Got past access control: not refused, not hidden, and did not crash. */
function passed(status: number): boolean {
  return ![401, 403, 404].includes(status) && status < 500;
}

const keys = {
  wide: Object.fromEntries(await Promise.all(ALL.map(async (role) => [role, (await addKey(h.db, accountId, role)).key]))) as Record<Role, string>,
  scoped: Object.fromEntries(
    await Promise.all(ALL.map(async (role) => [role, (await addKey(h.db, accountId, role, [h.tenant.businessId])).key])),
  ) as Record<Role, string>,
};

test('every /v1 route served has an access expectation here', () => {
  const missing = served.filter((route) => EXPECTATIONS[route] === undefined);
  expect(missing, 'add these routes to EXPECTATIONS in test/api/access-matrix.test.ts').toEqual([]);
});

const covered = served.filter((route) => EXPECTATIONS[route] !== undefined);

describe.each(covered)('%s', (route) => {
  const expectation = EXPECTATIONS[route]!;

  test.each(ALL)('%s key for the whole account, on its own records', async (role) => {
    const id = expectation.target && (await idFor(expectation.target, 'in'));
    const response = await callAs(route, keys.wide[role], id);
    if (expectation.roles.includes(role)) {
      expect(passed(response.statusCode), `${response.statusCode} ${response.body}`).toBe(true);
    } else {
      expect(response.statusCode, response.body).toBe(403);
      expect(response.json().error.code).toBe('forbidden');
    }
  });

  test.each(ALL)('%s key limited to one business, on that business', async (role) => {
    const id = expectation.target && (await idFor(expectation.target, 'in'));
    const response = await callAs(route, keys.scoped[role], id);
    if (expectation.roles.includes(role) && !expectation.accountWide) {
      expect(passed(response.statusCode), `${response.statusCode} ${response.body}`).toBe(true);
    } else {
      expect(response.statusCode, response.body).toBe(403);
    }
  });

  // Keys and channels belong to the account, not to a business.
  if (expectation.target !== undefined && expectation.target !== 'key' && expectation.target !== 'channel') {
    test.each(ALL)("%s key limited to one business, on the account's other business: 404", async (role) => {
      const response = await callAs(route, keys.scoped[role], await idFor(expectation.target!, 'out'));
      expect(response.statusCode, response.body).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    });
  }

  if (expectation.target !== undefined) {
    test.each(ALL)("%s key, on another tenant's record: 404 like an unknown id", async (role) => {
      const strangers = await callAs(route, keys.wide[role], await idFor(expectation.target!, 'stranger'));
      const unknown = await callAs(route, keys.wide[role], '00000000-0000-4000-8000-000000000000');
      expect(strangers.statusCode, strangers.body).toBe(404);
      expect(strangers.json()).toEqual(unknown.json());
    });
  }
});

/** Builds a tiny app with one route under the same registration check as the real /v1 scope. */
async function buildWith(addRoute: (v1: ReturnType<typeof Fastify>) => void): Promise<void> {
  const app = Fastify({ logger: false });
  try {
    await app.register(async (v1) => {
      v1.addHook('onRoute', requireAccessRule);
      addRoute(v1 as unknown as ReturnType<typeof Fastify>);
    });
    await app.ready();
  } finally {
    await app.close();
  }
}

describe('declaring access', () => {
  test('a /v1 route without an access rule stops the app from building', async () => {
    await expect(buildWith((v1) => v1.get('/v1/new-thing', async () => ({})))).rejects.toThrow('GET /v1/new-thing declares no access rule');
  });

  test('a route with :id must say what the id names', async () => {
    await expect(buildWith((v1) => v1.get('/v1/things/:id', { config: { access: { roles: ['owner'] } } }, async () => ({})))).rejects.toThrow(
      'config.access.target must say what :id names',
    );
  });
});
