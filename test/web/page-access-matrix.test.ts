import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Role } from '../../db/schema.ts';
import { freshSource, insertItem, createApiHarness, type ApiHarness, type TestItem } from '../support/api.ts';
import type { TestDatabase } from '../support/database.ts';
import { addPerson, signInWithForm, type WebSession } from '../support/web.ts';

/**
 * Every page × owner, staff and consultant × a record of their own business, of
 * another business of the account, and of another account. Each person is limited
 * to business A, so "other business" tests the scope and "other tenant" the account.
 */
type Whose = 'own' | 'otherBusiness' | 'otherTenant';
type Target = 'item' | 'source' | 'business';

interface PageCase {
  path: string;
  roles: readonly Role[];
  target?: Target;
}

const ALL: readonly Role[] = ['owner', 'staff', 'consultant'];
const PAGES: readonly PageCase[] = [
  { path: '/', roles: ALL },
  { path: '/account', roles: ALL },
  { path: '/items/:id', roles: ALL, target: 'item' },
  { path: '/sources', roles: ['owner'] },
  { path: '/sources/new', roles: ['owner'] },
  { path: '/sources/:id', roles: ['owner'], target: 'source' },
  { path: '/sources/:id/delete', roles: ['owner'], target: 'source' },
  { path: '/businesses', roles: ['owner'] },
  { path: '/businesses/:id', roles: ['owner'], target: 'business' },
  { path: '/reports', roles: ['owner', 'consultant'] },
  { path: '/reports/response-times.csv', roles: ['owner', 'consultant'] },
  { path: '/people', roles: ['owner'] },
  { path: '/alerts', roles: ['owner'] },
  { path: '/alerts/businesses/:id/rules/new', roles: ['owner'], target: 'business' },
];

/** State-changing forms: allowed means anything but the refusals (a redirect, or a form problem). */
const FORMS: readonly PageCase[] = [
  { path: '/account/quiet-hours', roles: ALL },
  { path: '/items/:id/note', roles: ['owner', 'staff'], target: 'item' },
  { path: '/items/:id/resolve', roles: ['owner', 'staff'], target: 'item' },
  { path: '/sources/:id/pause', roles: ['owner'], target: 'source' },
  { path: '/sources/:id/poll', roles: ['owner'], target: 'source' },
  { path: '/businesses/:id', roles: ['owner'], target: 'business' },
  { path: '/alerts/businesses/:id/rules', roles: ['owner'], target: 'business' },
];

let h: ApiHarness & { testDb: TestDatabase };
const sessions = new Map<Role, WebSession>();
const ids = {} as Record<Whose, Record<Target, string>>;

beforeAll(async () => {
  h = await createApiHarness();
  const own: TestItem = { accountId: h.tenant.accountId, businessId: h.tenant.businessId, sourceId: h.tenant.sourceId };
  const other = await freshSource(h);
  const stranger: TestItem = { accountId: h.stranger.accountId, businessId: h.stranger.businessId, sourceId: h.stranger.sourceId };
  for (const [whose, place] of [['own', own], ['otherBusiness', other], ['otherTenant', stranger]] as const) {
    ids[whose] = { item: await insertItem(h.db, place, { rating: 1, flagged: true }), source: place.sourceId, business: place.businessId };
  }
  for (const role of ALL) {
    await addPerson(h.db, h.tenant.accountId, { email: `${role}@matrix.test`, role, businessIds: [h.tenant.businessId] });
    sessions.set(role, await signInWithForm(h, `${role}@matrix.test`));
  }
});
afterAll(() => h.close());

function expected(page: PageCase, role: Role, whose: Whose | undefined, allowedStatus: (status: number) => boolean): (status: number) => boolean {
  if (whose !== undefined && whose !== 'own') return (status) => status === 404;
  return page.roles.includes(role) ? allowedStatus : (status) => status === 403;
}

type Case = [name: string, role: Role, whose: Whose | undefined, page: PageCase];

function cases(pages: readonly PageCase[]): Case[] {
  const whoses: ReadonlyArray<Whose | undefined> = ['own', 'otherBusiness', 'otherTenant'];
  return pages.flatMap((page) =>
    ALL.flatMap((role) => (page.target === undefined ? [undefined] : whoses).map((whose): Case => [whose === undefined ? page.path : `${page.path} (${whose})`, role, whose, page])),
  );
}

function url(page: PageCase, whose: Whose | undefined): string {
  return page.target === undefined || whose === undefined ? page.path : page.path.replace(':id', ids[whose][page.target]);
}

describe('pages', () => {
  test.each(cases(PAGES))('GET %s as %s', async (_name, role, whose, page) => {
    const response = await sessions.get(role)!.get(url(page, whose));
    const ok = expected(page, role, whose, (status) => status === 200);
    expect(ok(response.statusCode), `${response.statusCode}: ${response.body.slice(0, 200)}`).toBe(true);
    if (response.statusCode === 404 && whose !== undefined) {
      // The 404 page never names what the id was.
      expect(response.body).not.toContain(ids[whose].item);
    }
  });
});

describe('forms', () => {
  test.each(cases(FORMS))('POST %s as %s', async (_name, role, whose, page) => {
    const response = await sessions.get(role)!.post(url(page, whose), { text: 'matrix note' });
    const ok = expected(page, role, whose, (status) => status === 303 || status === 400 || status === 409);
    expect(ok(response.statusCode), `${response.statusCode}: ${response.body.slice(0, 200)}`).toBe(true);
  });

  test('a refused form changed nothing', async () => {
    const events = await h.db.selectFrom('item_events').select(['item_id', 'actor']).where('type', '=', 'note').execute();
    // Owner and staff noted their own business's item; nobody reached another business or account.
    expect(events.map((event) => event.item_id).every((id) => id === ids.own.item)).toBe(true);
    expect(events.map((event) => event.actor).sort()).toEqual(['owner@matrix.test', 'staff@matrix.test']);
  });
});
