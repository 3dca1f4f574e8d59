import { describe, expect, test } from 'vitest';
import type { NormalizedItem, Page } from '../../../connectors/contract.ts';
import { allPages, connectorFailure, testContext, type TestContext } from '../connector-context.ts';
import { offlineWithNock } from '../offline-with-nock.ts';
import type { ContractAdapter, FakeFailure, FakeItem, FakePlatform } from './adapter.ts';

/**
 * The scenarios every connector must pass, against a fake of its platform (see
 * adapter.ts). Time is a fixed clock: the first poll runs at FIRST_POLL, whatever
 * changes on the platform afterwards happens at CHANGE_AT, and the next poll runs
 * at NEXT_POLL, as a worker's polls would.
 */

const FIRST_POLL = new Date('2026-03-02T12:30:00Z');
const CHANGE_AT = new Date(FIRST_POLL.getTime() + 5 * 60_000);
const NEXT_POLL = new Date(FIRST_POLL.getTime() + 10 * 60_000);
// Distinct, with the 1★ a complaint would have; generated items cycle through them.
const RATINGS = [5, 1, 4, 2, 3];
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/** Items as the suite puts them on the fake platform: oldest first, ids ascending with time. */
function fakeItems(term: string, count: number): FakeItem[] {
  return Array.from({ length: count }, (_, index) => ({
    id: String(1001 + index),
    text: `Visit ${index + 1} at ${term} was synthetic and memorable ${index + 1}`,
    author: `Invented Person ${index + 1}`,
    rating: RATINGS[index % RATINGS.length]!,
    // Three hours to one hour before the first poll, ten minutes apart.
    publishedAt: new Date(FIRST_POLL.getTime() - (180 - index * 10) * 60_000),
    updatedAt: null,
    ownerReply: null,
  }));
}

function newPlatform(items: FakeItem[], pageSize = 20): FakePlatform {
  const replies = { posted: [], removed: [], failures: [], moderation: { state: 'published' as const, reason: null }, requests: 0 };
  return { items, pageSize, failures: [], requests: 0, replies };
}

const itemsOf = (pages: Page[]): NormalizedItem[] => pages.flatMap((page) => page.items);
/** The cursor the core would have saved: the last page's, after a trip through jsonb. */
const savedCursor = (pages: Page[]): unknown => JSON.parse(JSON.stringify(pages.at(-1)?.cursor ?? null)) as unknown;

export function contractSuite(adapter: ContractAdapter): void {
  const { connector } = adapter;
  const { config, credentials } = connector.parseConfig(adapter.config, adapter.credentials);
  const contexts: TestContext[] = [];

  function context(now: Date): TestContext {
    const ctx = testContext({ platform: connector.id, now });
    contexts.push(ctx);
    return ctx;
  }

  const poll = (cursor: unknown, now: Date) => allPages(connector.fetch(config, credentials, cursor, context(now)));

  /** A fake platform holding `items`, served. */
  function served(items: FakeItem[], pageSize?: number): FakePlatform {
    const platform = newPlatform(items, pageSize);
    adapter.serve(platform);
    return platform;
  }

  const ids = (items: NormalizedItem[]) => items.map((item) => item.externalId).sort();
  const expectedIds = (fakes: FakeItem[]) => fakes.map((fake) => adapter.externalId(fake.id)).sort();
  const find = (items: NormalizedItem[], fake: FakeItem) => items.find((item) => item.externalId === adapter.externalId(fake.id));

  function failing(failure: FakeFailure): FakePlatform {
    const platform = served(fakeItems(adapter.term, 3));
    platform.failures.push(failure);
    return platform;
  }

  describe(connector.id, () => {
    offlineWithNock(async () => {
      for (const ctx of contexts.splice(0)) await ctx.http.close();
    });

    test('check() resolves against a working platform', async () => {
      served(fakeItems(adapter.term, 2));
      await expect(connector.check(config, credentials, context(FIRST_POLL))).resolves.toBeUndefined();
    });

    test('the first run returns every item, normalised', async () => {
      const fakes = fakeItems(adapter.term, 4);
      served(fakes);
      const items = itemsOf(await poll(null, FIRST_POLL));
      expect(ids(items)).toEqual(expectedIds(fakes));
      for (const fake of fakes) {
        const item = find(items, fake);
        expect(item?.kind).toBe(connector.kind);
        expect(item?.body).toContain(fake.text);
        expect(item?.publishedAt?.toISOString()).toBe(fake.publishedAt.toISOString());
        expect(item?.rating).toBe(connector.capabilities.hasRatings ? fake.rating : null);
      }
    });

    test('an incremental run from the saved cursor returns only the new item', async () => {
      const platform = served(fakeItems(adapter.term, 4));
      const first = await poll(null, FIRST_POLL);
      const newer: FakeItem = { ...fakeItems(adapter.term, 5)[4]!, id: '2001', publishedAt: CHANGE_AT };
      platform.items.push(newer);
      const next = await poll(savedCursor(first), NEXT_POLL);
      expect(ids(itemsOf(next))).toEqual(expectedIds([newer]));
      expect(find(itemsOf(next), newer)?.body).toContain(newer.text);
      // And a poll with nothing new on the platform returns nothing.
      expect(itemsOf(await poll(savedCursor(next), NEXT_POLL))).toEqual([]);
    });

    test.runIf(adapter.pages)('pages through everything, each item once', async () => {
      const fakes = fakeItems(adapter.term, 5);
      const platform = served(fakes, 2);
      const items = itemsOf(await poll(null, FIRST_POLL));
      expect(platform.requests).toBeGreaterThan(1);
      expect(items.map((item) => item.externalId).sort()).toEqual(expectedIds(fakes));
    });

    test('an empty platform gives no items and no error', async () => {
      served([]);
      expect(itemsOf(await poll(null, FIRST_POLL))).toEqual([]);
    });

    test.runIf(connector.capabilities.seesEdits)('an edited item comes again with its new text', async () => {
      const platform = served(fakeItems(adapter.term, 4));
      const first = await poll(null, FIRST_POLL);
      const edited: FakeItem = { ...platform.items[1]!, text: `Edited later: ${adapter.term} made it right in the end`, updatedAt: CHANGE_AT };
      platform.items[1] = edited;
      const items = itemsOf(await poll(savedCursor(first), NEXT_POLL));
      expect(ids(items)).toEqual(expectedIds([edited]));
      expect(items[0]?.body).toContain(edited.text);
    });

    test.runIf(connector.capabilities.detectsOwnerReplies)('an owner reply comes with the item', async () => {
      const platform = served(fakeItems(adapter.term, 4));
      const first = await poll(null, FIRST_POLL);
      const reply = { text: 'We are sorry and would like to make it right', at: CHANGE_AT };
      const replied: FakeItem = { ...platform.items[1]!, ownerReply: reply };
      platform.items[1] = replied;
      const items = itemsOf(await poll(savedCursor(first), NEXT_POLL));
      expect(ids(items)).toEqual(expectedIds([replied]));
      expect(items[0]?.ownerReply?.text).toContain(reply.text);
      const at = items[0]?.ownerReply?.at ?? null;
      if (at !== null) expect(at.toISOString()).toBe(reply.at.toISOString());
    });

    test('401 on the data request is a config error', async () => {
      failing({ status: 401, headers: JSON_HEADERS, body: JSON.stringify({ error: { code: 401, message: 'Synthetic: the credentials were refused' } }) });
      expect((await connectorFailure(poll(null, FIRST_POLL))).kind).toBe('config');
    });

    test('429 with Retry-After: 120 is rate_limited for two minutes', async () => {
      failing({ status: 429, headers: { ...JSON_HEADERS, 'Retry-After': '120' }, body: JSON.stringify({ error: { code: 429, message: 'Synthetic: slow down' } }) });
      const error = await connectorFailure(poll(null, FIRST_POLL));
      expect(error.kind).toBe('rate_limited');
      expect(error.retryAfterMs).toBe(120_000);
    });

    test('500 is transient, and the next run succeeds', async () => {
      const platform = failing({ status: 500, headers: JSON_HEADERS, body: JSON.stringify({ error: { code: 500, message: 'Synthetic: internal error' } }) });
      expect((await connectorFailure(poll(null, FIRST_POLL))).kind).toBe('transient');
      expect(ids(itemsOf(await poll(null, FIRST_POLL)))).toEqual(expectedIds(platform.items));
    });

    test('a malformed payload is bad_payload, with the payload kept', async () => {
      failing('malformed');
      const error = await connectorFailure(poll(null, FIRST_POLL));
      expect(error.kind).toBe('bad_payload');
      expect(error.payload).toEqual(expect.any(String));
      expect(error.payload).not.toBe('');
    });
  });
}
