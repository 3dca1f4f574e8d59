import { describe, expect, test } from 'vitest';
import type { NormalizedItem } from '../../connectors/contract.ts';
import { itemVersion, readSeenVersions, rememberVersions, unreportedItems } from '../../connectors/seen-versions.ts';

function item(externalId: string, changes: Partial<NormalizedItem> = {}): NormalizedItem {
  return {
    externalId,
    kind: 'review',
    url: null,
    author: 'Invented Person',
    rating: 4,
    title: null,
    body: `Synthetic text of ${externalId}`,
    language: 'en',
    publishedAt: new Date('2026-03-01T10:00:00Z'),
    updatedAt: null,
    ownerReply: null,
    raw: {},
    ...changes,
  };
}

/** A cursor as it comes back from the database: through JSON. */
const stored = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('readSeenVersions', () => {
  test.each([null, undefined, 'x', 42, [], ['a'], true])('%j is an empty memory', (value) => {
    expect(readSeenVersions(value)).toEqual({});
  });

  test('keeps readable entries and drops the rest', () => {
    const good = rememberVersions({}, [item('a')]);
    expect(readSeenVersions({ ...good, b: 7, c: null, d: 'not a version', e: { x: 1 } })).toEqual(good);
  });

  test('a bare version without a generation is readable', () => {
    const version = itemVersion(item('a'));
    expect(readSeenVersions({ a: version })).toEqual({ a: version });
    expect(unreportedItems([item('a')], { a: version })).toEqual([]);
  });
});

describe('itemVersion', () => {
  test('is short and stable', () => {
    expect(itemVersion(item('a'))).toMatch(/^[0-9a-f]{16}$/);
    expect(itemVersion(item('a'))).toBe(itemVersion(item('a')));
  });

  test.each<[string, Partial<NormalizedItem>]>([
    ['rating', { rating: 1 }],
    ['title', { title: 'A title' }],
    ['body', { body: 'Edited synthetic text' }],
    ['owner reply', { ownerReply: { text: 'Thanks for coming', at: null } }],
    ['updatedAt', { updatedAt: new Date('2026-03-01T11:00:00Z') }],
  ])('changes with the %s', (_field, changes) => {
    expect(itemVersion(item('a', changes))).not.toBe(itemVersion(item('a')));
  });

  test.each<[string, Partial<NormalizedItem>]>([
    ['author', { author: 'Someone Else' }],
    ['url', { url: 'https://example.test/r/a' }],
    ['raw', { raw: { fetched: 'again' } }],
    ['publishedAt', { publishedAt: new Date('2026-03-01T10:05:00Z') }],
  ])('ignores the %s', (_field, changes) => {
    expect(itemVersion(item('a', changes))).toBe(itemVersion(item('a')));
  });

  test('ignores when the owner reply was seen, not what it says', () => {
    const reply = { text: 'Thanks', at: new Date('2026-03-01T12:00:00Z') };
    expect(itemVersion(item('a', { ownerReply: { ...reply, at: null } }))).toBe(itemVersion(item('a', { ownerReply: reply })));
  });
});

describe('unreportedItems', () => {
  test('everything is unreported to an empty memory', () => {
    expect(unreportedItems([item('a'), item('b')], {}).map((i) => i.externalId)).toEqual(['a', 'b']);
  });

  test('an overlapping re-read reports only new and changed items', () => {
    const seen = stored(rememberVersions({}, [item('a'), item('b'), item('c')]));
    const reread = [item('a'), item('b', { body: 'Edited synthetic text' }), item('c', { ownerReply: { text: 'Sorry', at: null } }), item('d')];
    expect(unreportedItems(reread, readSeenVersions(seen)).map((i) => i.externalId)).toEqual(['b', 'c', 'd']);
  });

  test('an item found twice in one read is reported once', () => {
    expect(unreportedItems([item('a'), item('a'), item('b')], {}).map((i) => i.externalId)).toEqual(['a', 'b']);
  });

  test('odd ids are plain keys', () => {
    const seen = stored(rememberVersions({}, [item('__proto__'), item('constructor'), item('12')]));
    expect(unreportedItems([item('__proto__'), item('constructor'), item('12'), item('toString')], readSeenVersions(seen)).map((i) => i.externalId)).toEqual([
      'toString',
    ]);
  });
});

describe('rememberVersions', () => {
  test('records the current version and replaces an older one', () => {
    const first = rememberVersions({}, [item('a')]);
    const second = rememberVersions(first, [item('a', { rating: 1 })]);
    expect(unreportedItems([item('a', { rating: 1 })], second)).toEqual([]);
    expect(unreportedItems([item('a')], second).map((i) => i.externalId)).toEqual(['a']);
  });

  test('keeps what it does not re-read', () => {
    const seen = rememberVersions(rememberVersions({}, [item('a')]), [item('b')]);
    expect(Object.keys(seen).sort()).toEqual(['a', 'b']);
  });

  test('does not change its input', () => {
    const seen = rememberVersions({}, [item('a')]);
    const copy = { ...seen };
    rememberVersions(seen, [item('a', { rating: 2 }), item('b')]);
    expect(seen).toEqual(copy);
  });

  test('is bounded and keeps the newest entries, also after the cursor went through jsonb', () => {
    let seen = readSeenVersions(stored(rememberVersions({}, [item('100'), item('zz-old')])));
    seen = readSeenVersions(stored(rememberVersions(seen, [item('2'), item('b-mid')])));
    seen = readSeenVersions(stored(rememberVersions(seen, [item('1-new')], 3)));
    // Numeric-looking keys come first in a JS object, and jsonb sorts keys: order must not decide.
    expect(Object.keys(seen).sort()).toEqual(['1-new', '2', 'b-mid']);
  });

  test('the items just read win over remembered ones when there are more than the bound', () => {
    const seen = rememberVersions(rememberVersions({}, [item('old')]), [item('a'), item('b'), item('c')], 2);
    expect(Object.keys(seen).sort()).toEqual(['a', 'b']);
  });

  test('the default bound is 1000', () => {
    const many = Array.from({ length: 1200 }, (_, i) => item(`id-${i}`));
    expect(Object.keys(rememberVersions({}, many))).toHaveLength(1000);
  });

  test('is small enough to live in a cursor', () => {
    const many = Array.from({ length: 1000 }, (_, i) => item(`at://did:plc:abcdefghijklmnopqrstuvwx/app.bsky.feed.post/3l${i}`));
    expect(JSON.stringify(rememberVersions({}, many)).length).toBeLessThan(120_000);
  });
});
