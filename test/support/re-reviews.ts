import { expect } from 'vitest';
import { ingestPage, type IngestSource } from '../../services/ingest/ingest-page.ts';
import type { ApiHarness } from './api.ts';
import { review } from './items.ts';

/** A review stored by ingest, resolved and asked to re-review through the API; returns its id. */
export async function askedToReReview(h: ApiHarness, source: IngestSource, externalId: string, rating: number): Promise<string> {
  await ingestPage(h.db, source, { items: [review(externalId, rating, 'Cold food, rude waiter.')], cursor: null });
  const { id } = await h.db.selectFrom('items').select('id').where('external_id', '=', externalId).executeTakeFirstOrThrow();
  expect((await h.call({ method: 'POST', url: `/v1/items/${id}/resolve` })).statusCode).toBe(200);
  const asked = await h.call({ method: 'POST', url: `/v1/items/${id}/re-review-requests`, payload: { channel: 'email' } });
  expect(asked.statusCode).toBe(201);
  return id;
}
