import type { Db } from '../../db/database.ts';
import { createAlertDeliveries, listUnanalyzed, storeAnalysis, type AnalysisResult, type ItemToAnalyze } from '../../db/repositories/analysis.ts';
import { insertItemEvents, type NewItemEvent } from '../../db/repositories/item-events.ts';
import { ANALYZER_VERSION, classifyItem } from '../sentiment/classify-item.ts';

export const NEGATIVE_ITEM_ALERT = 'negative_item';

export interface AnalyzeOutcome {
  analyzed: number;
  flagged: number;
  /** Deliveries created by this batch, to be sent by the alert step. */
  deliveryIds: string[];
}

/**
 * Judges a batch of items and, in the same transaction, creates the alert deliveries
 * for the ones newly flagged: an item judged is an item whose alert is on record.
 * Items older than `alertMaxAgeDays` when first seen (a new source's back catalogue)
 * are flagged but not emailed.
 */
export async function analyzeItems(db: Db, itemIds: string[], options: { alertMaxAgeDays: number; now?: Date }): Promise<AnalyzeOutcome> {
  const now = options.now ?? new Date();
  return db.transaction().execute(async (tx) => {
    const items = await listUnanalyzed(tx, itemIds);
    const results: AnalysisResult[] = items.map((item) => ({ id: item.id, contentHash: item.content_hash, ...classifyItem(item) }));
    const stored = await storeAnalysis(tx, results, ANALYZER_VERSION);
    const { events, toAlert } = newlyFlagged(items, results, stored, { now, alertMaxAgeDays: options.alertMaxAgeDays });
    await insertItemEvents(tx, events);
    const deliveryIds = await createAlertDeliveries(tx, toAlert, NEGATIVE_ITEM_ALERT);
    return { analyzed: stored.size, flagged: events.length, deliveryIds };
  });
}

/**
 * The `flagged` events for items a verdict flags for the first time, and which of them
 * to email: only those published (or, undated, first seen) within the alert window.
 */
export function newlyFlagged(
  items: ItemToAnalyze[],
  results: AnalysisResult[],
  stored: Set<string>,
  options: { now: Date; alertMaxAgeDays: number; note?: Record<string, unknown> },
): { events: NewItemEvent[]; toAlert: string[] } {
  const oldestAlerted = options.now.getTime() - options.alertMaxAgeDays * 86_400_000;
  const events: NewItemEvent[] = [];
  const toAlert: string[] = [];
  items.forEach((item, index) => {
    const verdict = results[index] as AnalysisResult;
    if (!stored.has(item.id) || !verdict.flagged || item.flagged) return;
    const recent = (item.published_at ?? item.first_seen_at).getTime() >= oldestAlerted;
    events.push({
      itemId: item.id,
      accountId: item.account_id,
      type: 'flagged',
      actor: 'system',
      data: { label: verdict.label, score: verdict.score, rating: item.rating, topics: verdict.topics, alert: recent ? 'queued' : 'skipped: older than the alert window', ...options.note },
    });
    if (recent) toAlert.push(item.id);
  });
  return { events, toAlert };
}
