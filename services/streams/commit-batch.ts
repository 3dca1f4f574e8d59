import type { Logger } from 'pino';
import type { NormalizedItem } from '../../connectors/contract.ts';
import type { Stream, StreamEvent } from '../../connectors/stream-contract.ts';
import type { Db } from '../../db/database.ts';
import { itemsHeld, markSourcesHeard, saveStreamProgress } from '../../db/repositories/stream-cursors.ts';
import { enqueueAnalysis } from '../analysis/enqueue-analysis.ts';
import { ingestPage } from '../ingest/ingest-page.ts';
import type { Queues } from '../jobs/queues.ts';
import type { Watched } from './watched-sources.ts';

export interface BatchDeps {
  db: Db;
  queues: Queues;
  log: Logger;
}

export interface CommittedBatch {
  inserted: number;
  revised: number;
  removed: number;
  /** False when another worker leads the stream now: the cursor was left to it. */
  stillLeading: boolean;
}

interface SourcePage {
  items: NormalizedItem[];
  removed: string[];
  /** External id → the platform's time of the first event in the batch that carried the item. */
  announced: Map<string, Date>;
}

/**
 * Stores one batch of a stream's events the way polled pages are stored: one ingest
 * transaction per source with something in the batch (idempotent on source and external
 * id, so a replayed event changes nothing), its new or edited items queued for analysis
 * as after a poll, and only then the stream's cursor moved past the batch. A crash
 * anywhere before that replays the batch from the previous cursor: nothing is lost, and
 * nothing is stored, analysed or alerted twice.
 * `origin` names the batch uniquely: its analysis jobs are named after it.
 */
export async function commitBatch(
  deps: BatchDeps,
  stream: Stream<unknown, unknown>,
  leader: string,
  origin: string,
  events: ReadonlyArray<StreamEvent>,
  current: Watched<unknown>,
): Promise<CommittedBatch> {
  const last = events.at(-1);
  if (last === undefined) throw new Error('commitBatch needs at least one event');
  const pages = new Map<string, SourcePage>();
  const pageOf = (sourceId: string): SourcePage => {
    const page = pages.get(sourceId) ?? { items: [], removed: [], announced: new Map() };
    pages.set(sourceId, page);
    return page;
  };
  // Routed one event at a time (route is pure) so each item keeps its event's announcedAt:
  // latency is counted from it.
  const removedIds: string[] = [];
  const removedPayloadIds: string[] = [];
  for (const event of events) {
    const delivery = stream.route([event], current.watched);
    removedIds.push(...delivery.removed);
    removedPayloadIds.push(...(delivery.removedByPayloadId ?? []));
    for (const { sourceId, item } of delivery.items) {
      if (!current.sources.has(sourceId)) continue;
      const page = pageOf(sourceId);
      page.items.push(item);
      if (!page.announced.has(item.externalId)) page.announced.set(item.externalId, event.announcedAt);
    }
  }
  const served = [...current.sources.keys()];
  const held = [
    ...(await itemsHeld(deps.db, served, [...new Set(removedIds)])),
    ...(await itemsHeld(deps.db, served, [...new Set(removedPayloadIds)], 'payloadId')),
  ];
  for (const { sourceId, externalId } of held) pageOf(sourceId).removed.push(externalId);

  const totals: CommittedBatch = { inserted: 0, revised: 0, removed: 0, stillLeading: true };
  const heard: string[] = [];
  let batch = 0;
  for (const [sourceId, page] of pages) {
    const source = current.sources.get(sourceId);
    if (source === undefined) continue;
    const ingested = await ingestPage(deps.db, source, { items: page.items, removed: page.removed, cursor: undefined }, { saveCursor: false, announced: page.announced });
    if (ingested.skipped.length > 0) {
      deps.log.warn({ sourceId, skipped: ingested.skipped }, 'streamed items the database refused were kept aside; the rest are stored (see the source health)');
    }
    await enqueueAnalysis(deps.queues, origin, batch++, ingested.toAnalyze);
    if (ingested.inserted > 0) heard.push(sourceId);
    totals.inserted += ingested.inserted;
    totals.revised += ingested.revised;
    totals.removed += ingested.removed;
  }
  await markSourcesHeard(deps.db, heard);
  totals.stillLeading = await saveStreamProgress(deps.db, stream.id, leader, { cursor: last.cursor, lastEventAt: last.announcedAt });
  return totals;
}
