import { afterAll, expect, test } from 'vitest';
import { createApiHarness } from '../support/api.ts';
import { createWebhookSource, signedWebhookHeaders } from '../support/webhook.ts';

/** A pushed item is announced when its request arrived: where its latency is counted from. */
const h = await createApiHarness();
afterAll(() => h.close());
const SECRET = 'whsec-announced-0123456789abcdef';
const sourceId = await createWebhookSource(h, SECRET);

function push(ids: string[], publishedAt: string) {
  const body = JSON.stringify({ items: ids.map((id) => ({ id, rating: 1, body: `Pushed review ${id} ${Math.random()}`, publishedAt })) });
  return h.app.inject({ method: 'POST', url: `/v1/webhooks/${sourceId}`, headers: signedWebhookHeaders(SECRET, Math.floor(Date.now() / 1000), body), payload: body });
}

const announced = async () =>
  Object.fromEntries(
    (await h.db.selectFrom('items').select(['external_id', 'announced_at']).where('source_id', '=', sourceId).execute()).map((row) => [row.external_id, row.announced_at?.getTime()]),
  );

test('each item of a request is announced at its arrival, and keeps that first announcement', async () => {
  const before = Date.now();
  expect((await push(['a1', 'a2'], '2026-01-02T03:04:05Z')).statusCode).toBe(202);
  const after = Date.now();
  const first = await announced();
  expect(first.a1).toBe(first.a2);
  expect(first.a1).toBeGreaterThanOrEqual(before);
  expect(first.a1).toBeLessThanOrEqual(after);

  // Sent again, edited, with a new one: the new one is announced now, the others keep theirs.
  await new Promise((resolve) => setTimeout(resolve, 20));
  const again = Date.now();
  expect((await push(['a1', 'a3'], '2026-01-02T03:04:05Z')).statusCode).toBe(202);
  const second = await announced();
  expect(second.a1).toBe(first.a1);
  expect(second.a2).toBe(first.a2);
  expect(second.a3).toBeGreaterThanOrEqual(again);
});
