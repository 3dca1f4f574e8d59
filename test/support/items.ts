import type { NormalizedItem } from '../../connectors/contract.ts';
import { ingestPage } from '../../services/ingest/ingest-page.ts';
import { jobIds, type Queues } from '../../services/jobs/queues.ts';
import type { Pipeline } from './pipeline.ts';

export function review(id: string, rating: number, body: string, hoursAgo = 1): NormalizedItem {
  return {
    externalId: id,
    kind: 'review',
    url: `https://reviews.example/${id}`,
    author: 'Test Author',
    rating,
    title: null,
    body,
    language: 'en',
    publishedAt: new Date(Date.now() - hoursAgo * 3_600_000),
    updatedAt: null,
    ownerReply: null,
    raw: { id },
  };
}

/** Stores a page for a source the way a poll does, and queues its analysis as a poll would. */
export async function ingestAndQueue(pipeline: Pipeline, sourceId: string, items: NormalizedItem[], queues: Queues = pipeline.queues): Promise<string[]> {
  const source = await pipeline.db.selectFrom('sources').select(['id', 'account_id', 'business_id']).where('id', '=', sourceId).executeTakeFirstOrThrow();
  const result = await ingestPage(pipeline.db, source, { items, cursor: null });
  await queues.analyze.add('analyze', { itemIds: result.toAnalyze }, { jobId: jobIds.analyze(`test-${sourceId}-${Date.now()}`, 0) });
  return result.toAnalyze;
}

export async function createBusinessAndSource(pipeline: Pipeline, alertEmails: string[], placeId = 'ChIJplace'): Promise<{ businessId: string; sourceId: string }> {
  const business = await pipeline.api('POST', '/v1/businesses', { name: 'Test Diner', alertEmails });
  if (business.status !== 201) throw new Error(`creating the business failed: ${JSON.stringify(business.body)}`);
  const source = await pipeline.api('POST', `/v1/businesses/${business.body.id}/sources`, {
    type: 'google_places',
    config: { placeId },
    credentials: { apiKey: 'k-123' },
  });
  if (source.status !== 201) throw new Error(`creating the source failed: ${JSON.stringify(source.body)}`);
  return { businessId: business.body.id, sourceId: source.body.id };
}
