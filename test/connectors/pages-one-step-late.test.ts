import { expect, test } from 'vitest';
import type { NormalizedItem, Page } from '../../connectors/contract.ts';
import { cursorValue, pagesOneStepLate } from '../../connectors/watermark-cursor.ts';
import { review } from '../support/items.ts';

interface Row {
  id: string;
  at: string;
}

const read = { itemsOf: (rows: Row[]): NormalizedItem[] => rows.map((row) => review(row.id, 1, `review ${row.id}`)), timeOf: (row: Row) => new Date(row.at) };
const now = () => new Date('2026-03-02T12:00:00Z');

async function pagesOf(batches: Row[][], previous: { since: Date | null; seen: Record<string, string> }, sinceWhenEmpty?: Date): Promise<Page[]> {
  const source = (async function* () {
    yield* batches;
  })();
  const pages: Page[] = [];
  for await (const page of pagesOneStepLate(source, read, previous, now, cursorValue, sinceWhenEmpty ?? null)) pages.push(page);
  return pages;
}

test('only the last page carries the advanced watermark; earlier ones keep the previous one', async () => {
  const since = new Date('2026-03-01T00:00:00Z');
  const pages = await pagesOf([[{ id: 'a', at: '2026-03-02T10:00:00Z' }], [{ id: 'b', at: '2026-03-01T10:00:00Z' }]], { since, seen: {} });
  expect(pages.map((page) => page.items.map((item) => item.externalId))).toEqual([['a'], ['b']]);
  expect(pages.map((page) => (page.cursor as { since: string }).since)).toEqual([since.toISOString(), '2026-03-02T10:00:00.000Z']);
});

test('what was already reported is not reported again, and the watermark never passes now', async () => {
  const first = await pagesOf([[{ id: 'a', at: '2026-03-05T00:00:00Z' }]], { since: null, seen: {} });
  const seen = (first[0]!.cursor as { seen: Record<string, string> }).seen;
  expect((first[0]!.cursor as { since: string }).since).toBe(now().toISOString());
  const again = await pagesOf([[{ id: 'a', at: '2026-03-05T00:00:00Z' }]], { since: null, seen });
  expect(again.map((page) => page.items)).toEqual([[]]);
});

test('a first poll that reads nothing still hands on one page, recording where it looked from when told', async () => {
  expect(await pagesOf([], { since: null, seen: {} })).toEqual([{ items: [], cursor: { since: null, seen: {} } }]);
  const from = new Date('2026-03-01T12:00:00Z');
  expect(await pagesOf([], { since: null, seen: {} }, from)).toEqual([{ items: [], cursor: { since: from.toISOString(), seen: {} } }]);
});
