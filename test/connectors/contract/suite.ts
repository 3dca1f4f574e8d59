import { describe, expect, test } from 'vitest';
import type { NormalizedItem, Page } from '../../../connectors/contract.ts';
import { ReplyRefused, replyLength, type LengthUnit, type PublishedState, type ReplyLimits, type ReplyTarget } from '../../../connectors/reply-contract.ts';
import { allPages, connectorFailure, testContext, type TestContext } from '../connector-context.ts';
import { offlineWithNock } from '../offline-with-nock.ts';
import type { ContractAdapter, FakeFailure, FakeItem, FakePlatform, FakeReplyFailure } from './adapter.ts';

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

/** A text exactly at the limit, made of what a naive count gets wrong (é is 2 bytes, 😀 is 2 UTF-16 units, 👍🏽 is 2 code points). */
function textAtLimit(limits: ReplyLimits): string {
  const awkward: Record<LengthUnit, string> = { bytes: 'é', characters: '😀', graphemes: '👍🏽' };
  const unit = awkward[limits.unit];
  const base = unit.repeat(Math.floor(limits.maxLength / replyLength(unit, limits.unit)));
  return base + 'a'.repeat(limits.maxLength - replyLength(base, limits.unit));
}

/** What the core hands `reply`: the stored item, as ingest kept it. */
function targetOf(item: NormalizedItem): ReplyTarget {
  return { externalId: item.externalId, url: item.url, raw: item.raw, publishedAt: item.publishedAt, hasText: item.body.trim() !== '' };
}

async function replyRefusal(promise: Promise<unknown>): Promise<ReplyRefused> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ReplyRefused);
  return error as ReplyRefused;
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

    const reply = connector.reply;
    const replyAdapter = adapter.reply;
    if (reply !== undefined && replyAdapter !== undefined) describe('reply', () => {
      const { states } = replyAdapter;
      const REPLY_TEXT = 'Thank you for telling us. We have changed how we do this and hope to see you again.';
      const REJECTED_REASON = 'Synthetic: the reply contains personal information';

      /** A served platform with three items, and the target for the second (a 1★ one), as the core would build it. */
      async function replyingTo(ownerReply: FakeItem['ownerReply'] = null): Promise<{ platform: FakePlatform; fake: FakeItem; target: ReplyTarget }> {
        const fakes = fakeItems(adapter.term, 3);
        const fake = fakes[1]!;
        fake.ownerReply = ownerReply;
        const platform = served(fakes);
        platform.replies.moderation = { state: states[0], reason: states[0] === 'rejected' ? REJECTED_REASON : null };
        const item = find(itemsOf(await poll(null, FIRST_POLL)), fake);
        expect(item, 'the item to reply to is fetched').toBeDefined();
        return { platform, fake, target: targetOf(item!) };
      }

      const current = (target: ReplyTarget) => reply.current(config, credentials, target, context(NEXT_POLL));
      const publish = (target: ReplyTarget, text: string, replacing?: Parameters<typeof reply.publish>[5]) =>
        reply.publish(config, credentials, target, text, context(NEXT_POLL), replacing);

      function failingWrite(platform: FakePlatform, failure: FakeReplyFailure): void {
        platform.replies.failures.push(failure);
      }

      test('declares what it needs, in the connector\'s own credential fields', async () => {
        expect(reply.setUp.trim()).not.toBe('');
        for (const key of reply.credentialsNeeded) {
          expect(connector.credentialsSchema[key], `credentialsNeeded names ${key}, which credentialsSchema lacks`).toBeDefined();
          expect(connector.credentialsSchema[key]?.secret).toBe(true);
          expect(connector.credentialsSchema[key]?.required, 'reading works without reply credentials').toBe(false);
        }
        // The platform is served first: some limits are the platform's to say (Mastodon's instance limit).
        const { target } = await replyingTo();
        const limits = await reply.limits(config, credentials, context(NEXT_POLL));
        expect(Number.isInteger(limits.maxLength) && limits.maxLength > 0).toBe(true);
        expect(() => reply.checkTarget?.(target, NEXT_POLL)).not.toThrow();
      });

      test('publishes a reply to an item without one, and current() then shows it', async () => {
        const { platform, fake, target } = await replyingTo();
        expect(await current(target)).toBeNull();
        const published = await publish(target, REPLY_TEXT);
        expect(published.state).toBe(states[0]);
        expect(platform.replies.posted).toEqual([{ itemId: fake.id, text: REPLY_TEXT }]);
        expect((await current(target))?.text).toBe(REPLY_TEXT);
      });

      test('current() returns the owner reply the platform already shows', async () => {
        const existing = { text: 'A colleague answered this in the platform app already', at: CHANGE_AT };
        const { platform, target } = await replyingTo(existing);
        const shown = await current(target);
        expect(shown?.text).toBe(existing.text);
        if (shown?.at != null) expect(shown.at.toISOString()).toBe(existing.at.toISOString());
        expect(platform.replies.requests).toBe(0);
      });

      test.runIf(reply.canUpdate)('updates the published reply in place', async () => {
        const { platform, fake, target } = await replyingTo();
        await publish(target, REPLY_TEXT);
        const first = await current(target);
        const updated = `${REPLY_TEXT} Our manager will call you this week.`;
        await publish(target, updated, first!);
        expect(platform.replies.posted.map((posted) => posted.text)).toEqual([REPLY_TEXT, updated]);
        expect(platform.replies.posted.every((posted) => posted.itemId === fake.id)).toBe(true);
        expect((await current(target))?.text).toBe(updated);
      });

      test.runIf(reply.canDelete)('removes the published reply', async () => {
        const { platform, fake, target } = await replyingTo();
        await publish(target, REPLY_TEXT);
        await reply.remove!(config, credentials, target, (await current(target))!, context(NEXT_POLL));
        expect(platform.replies.removed).toEqual([fake.id]);
        expect(await current(target)).toBeNull();
      });

      test('a text over the limit, as the platform counts, is refused before any request; one at the limit is published', async () => {
        const { platform, target } = await replyingTo();
        const limits = await reply.limits(config, credentials, context(NEXT_POLL));
        const atLimit = textAtLimit(limits);
        expect(replyLength(atLimit, limits.unit)).toBe(limits.maxLength);
        expect((await replyRefusal(publish(target, `${atLimit}a`))).reason).toBe('too_long');
        expect(platform.replies.requests).toBe(0);
        await publish(target, atLimit);
        expect(platform.replies.posted.map((posted) => posted.text)).toEqual([atLimit]);
      });

      for (const status of [401, 403]) {
        test(`${status} on the reply is a config error, and nothing is stored`, async () => {
          const { platform, target } = await replyingTo();
          failingWrite(platform, { status, headers: JSON_HEADERS, body: JSON.stringify({ error: { code: status, message: 'Synthetic: not allowed to reply' } }) });
          expect((await connectorFailure(publish(target, REPLY_TEXT))).kind).toBe('config');
          expect(platform.replies.posted).toEqual([]);
        });
      }

      test('429 with Retry-After: 120 on the reply is rate_limited for two minutes', async () => {
        const { platform, target } = await replyingTo();
        failingWrite(platform, { status: 429, headers: { ...JSON_HEADERS, 'Retry-After': '120' }, body: JSON.stringify({ error: { code: 429, message: 'Synthetic: slow down' } }) });
        const error = await connectorFailure(publish(target, REPLY_TEXT));
        expect(error.kind).toBe('rate_limited');
        expect(error.retryAfterMs).toBe(120_000);
      });

      /** What the core's retry does: read the current reply, and publish only if there is none. */
      async function retry(target: ReplyTarget): Promise<void> {
        if ((await current(target)) === null) await publish(target, REPLY_TEXT);
      }

      test('500 on the reply is transient; the retry stores exactly one reply', async () => {
        const { platform, fake, target } = await replyingTo();
        failingWrite(platform, { status: 500, headers: JSON_HEADERS, body: JSON.stringify({ error: { code: 500, message: 'Synthetic: internal error' } }) });
        expect((await connectorFailure(publish(target, REPLY_TEXT))).kind).toBe('transient');
        await retry(target);
        expect(platform.replies.posted).toEqual([{ itemId: fake.id, text: REPLY_TEXT }]);
      });

      test('a 503 after the platform stored the reply: current() shows it, so the retry posts nothing more', async () => {
        const { platform, fake, target } = await replyingTo();
        failingWrite(platform, { status: 503, headers: JSON_HEADERS, body: JSON.stringify({ error: { code: 503, message: 'Synthetic: unavailable' } }), afterStoring: true });
        expect((await connectorFailure(publish(target, REPLY_TEXT))).kind).toBe('transient');
        await retry(target);
        expect(platform.replies.posted).toEqual([{ itemId: fake.id, text: REPLY_TEXT }]);
        expect(platform.replies.requests).toBe(1);
      });

      for (const state of states) {
        test(`moderation: a reply the platform holds as ${state} is reported so`, async () => {
          const { platform, target } = await replyingTo();
          const reason = state === 'rejected' ? REJECTED_REASON : null;
          platform.replies.moderation = { state, reason };
          const published = await publish(target, REPLY_TEXT);
          expect(published.state).toBe(state satisfies PublishedState);
          if (state === 'rejected') expect(published.reason).toContain(REJECTED_REASON);
          else expect(published.reason).toBeNull();
        });
      }
    });
  });
}
