import { expect, test } from 'vitest';
import { storableText, storableTextUpTo } from '../../db/storable-text.ts';
import { LIMITS, normalizeItem, plausibleDate, starRating, storableJson, TOO_DEEP, TOO_MANY } from '../../services/ingest/normalize-item.ts';
import { review } from '../support/items.ts';

const now = new Date('2026-12-06T12:00:00Z');

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
}

function depthOf(value: unknown): number {
  return typeof value === 'object' && value !== null ? 1 + Math.max(0, ...Object.values(value).map(depthOf)) : 0;
}

test('text PostgreSQL cannot store becomes U+FFFD: NUL, and half of a surrogate pair', () => {
  expect(storableText('a\u0000b')).toBe('a\uFFFDb');
  expect(storableText('cut \uD83D')).toBe('cut \uFFFD');
  expect(storableText('lone \uDE00 low')).toBe('lone \uFFFD low');
  expect(storableText('whole 😀 emoji')).toBe('whole 😀 emoji');
});

test('a capped text ends in an ellipsis and never splits a surrogate pair', () => {
  expect(storableTextUpTo('abcdef', 4)).toBe('abc…');
  expect(storableTextUpTo('ab😀cd', 4)).toBe('ab…');
  expect(storableTextUpTo('short', 10)).toBe('short');
});

test('ratings: whole stars 1 to 5; a half rounds down to the worse star; anything else is no rating', () => {
  expect([1, 2, 3, 4, 5].map(starRating)).toEqual([1, 2, 3, 4, 5]);
  expect(starRating(1.5)).toBe(1);
  expect(starRating(1.6)).toBe(2);
  expect(starRating(4.5)).toBe(4);
  for (const bad of [0, 0.9, 5.1, 6, -1, Number.NaN, Number.POSITIVE_INFINITY, '4', null]) expect(starRating(bad)).toBeNull();
});

test('dates outside 1970 to a day from now become null, whatever JavaScript or PostgreSQL could hold', () => {
  const year = (y: number) => {
    const date = new Date(0);
    date.setUTCFullYear(y);
    return date;
  };
  expect(plausibleDate(year(-10000), now)).toBeNull();
  expect(plausibleDate(year(275760), now)).toBeNull();
  expect(plausibleDate(year(9999), now)).toBeNull();
  expect(plausibleDate(new Date('nonsense'), now)).toBeNull();
  expect(plausibleDate(new Date('1969-12-31T23:59:59Z'), now)).toBeNull();
  expect(plausibleDate(new Date('2026-12-07T11:00:00Z'), now)?.toISOString()).toBe('2026-12-07T11:00:00.000Z');
  expect(plausibleDate(new Date('2026-12-07T13:00:00Z'), now)).toBeNull();
  expect(plausibleDate(new Date('2001-01-01T00:00:00Z'), now)?.getUTCFullYear()).toBe(2001);
});

test('raw: NUL and lone surrogates cleaned in values and keys, deep subtrees and huge objects cut with a marker', () => {
  const raw = storableJson({ 'k\u0000': 'v\u0000\uD83D', list: [1, Number.NaN, undefined], big: 10n, when: new Date(0), skip: undefined, deep: nested(100) }) as Record<string, unknown>;
  expect(raw['k\uFFFD']).toBe('v\uFFFD\uFFFD');
  expect(raw.list).toEqual([1, null, null]);
  expect(raw.big).toBe('10');
  expect(raw.when).toBe('1970-01-01T00:00:00.000Z');
  expect('skip' in raw).toBe(false);
  expect(depthOf(raw)).toBeLessThanOrEqual(LIMITS.rawDepth);
  expect(JSON.stringify(raw)).toContain(TOO_DEEP);
  const wide = storableJson({ list: Array.from({ length: LIMITS.rawValues + 5 }, (_, i) => i) }) as { list: unknown[] };
  expect(wide.list.at(-1)).toBe(TOO_MANY);
  expect(wide.list.length).toBeLessThanOrEqual(LIMITS.rawValues + 1);
  // JSON.stringify would escape these as \u0000 and \ud83d, which jsonb refuses.
  expect(JSON.stringify(raw)).not.toMatch(/\\u0000|\\ud8/i);
});

test('a cycle in raw cannot hang or throw', () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  expect(() => JSON.stringify(storableJson(cyclic))).not.toThrow();
});

test('a cursor is cleaned but otherwise comes back as it went', () => {
  const cursor = { seen: Array.from({ length: LIMITS.rawValues + 5 }, (_, i) => `id-${i}`), id: 'x\u0000y' };
  const clean = storableJson(cursor, { bounded: false }) as typeof cursor;
  expect(clean.seen).toEqual(cursor.seen);
  expect(clean.id).toBe('x\uFFFDy');
});

test('a whole item: every text field cleaned, absurd lengths capped, impossible values nulled', () => {
  const item = normalizeItem(
    {
      ...review('id\u0000', 1.5, `bad \u0000 food \uD83D${'x'.repeat(LIMITS.body)}`),
      author: 'Ann\u0000',
      title: 't\uDE00',
      url: `https://x.test/${'p'.repeat(LIMITS.url)}`,
      language: 'en\u0000',
      publishedAt: new Date(8.64e15),
      updatedAt: new Date(Number.NaN),
      ownerReply: { text: 'sorry\u0000', at: new Date(-8.64e15) },
      raw: nested(200),
    },
    now,
  );
  expect(item).toMatchObject({ externalId: 'id\uFFFD', rating: 1, author: 'Ann\uFFFD', title: 't\uFFFD', url: null, language: 'en\uFFFD', publishedAt: null, updatedAt: null });
  expect(item.ownerReply).toEqual({ text: 'sorry\uFFFD', at: null });
  expect(item.body.startsWith('bad \uFFFD food \uFFFD')).toBe(true);
  expect(item.body.length).toBe(LIMITS.body);
  expect(depthOf(item.raw)).toBeLessThanOrEqual(LIMITS.rawDepth);
});

test('an ordinary item comes through unchanged', () => {
  const item = review('plain', 4, 'Lovely 😀 croissants.');
  expect(normalizeItem(item, new Date())).toEqual(item);
});
