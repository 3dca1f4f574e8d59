import type { Transaction } from 'kysely';
import { storeAnalysis, type AnalysisResult, type ItemToAnalyze } from '../../db/repositories/analysis.ts';
import { insertItemEvents, type NewItemEvent } from '../../db/repositories/item-events.ts';
import type { Database } from '../../db/schema.ts';
import { createDeliveries } from '../alerts/create-deliveries.ts';
import { ANALYZER_VERSION, classifyItem } from './sentiment/classify-item.ts';

export interface JudgeOptions {
  /** Re-scoring items an older analyzer judged (`earshot reanalyze`) rather than judging new ones. */
  rescore: boolean;
  now: Date;
  alertMaxAgeDays: number;
}

export interface JudgedBatch {
  /** Verdicts stored: an item edited or judged by someone else meanwhile is left out. */
  stored: number;
  flagged: number;
  /** Deliveries created for the items newly flagged, to be sent by the alert step. */
  deliveryIds: string[];
}

/**
 * The transaction body of analysis and re-analysis alike. Judges the items, stores the
 * verdicts, puts `flagged` on the timeline of the items flagged for the first time, and
 * creates the alert deliveries of those inside the alert window, all in the caller's
 * transaction: an item judged is an item whose alert is on record. An item flagged
 * before is never alerted again, whatever the new verdict.
 */
export async function judgeItems(tx: Transaction<Database>, items: ItemToAnalyze[], options: JudgeOptions): Promise<JudgedBatch> {
  const results: AnalysisResult[] = items.map((item) => ({ id: item.id, contentHash: item.content_hash, ...classifyItem(item) }));
  const stored = await storeAnalysis(tx, results, ANALYZER_VERSION, { rescore: options.rescore });
  const note = options.rescore ? { reanalyzed: ANALYZER_VERSION } : undefined;
  const { events, toAlert } = newlyFlagged(items, results, stored, { now: options.now, alertMaxAgeDays: options.alertMaxAgeDays, note });
  await insertItemEvents(tx, events);
  // Items judged for the first time and not flagged still meet rules that ask for them (those the
  // analyzer could not judge go to the daily digest by default); re-scoring only alerts the newly flagged.
  const notFlagged = options.rescore ? [] : items.filter((item, index) => stored.has(item.id) && !(results[index] as AnalysisResult).flagged && !item.flagged && isRecent(item, options)).map((item) => item.id);
  const deliveryIds = await createDeliveries(tx, { kind: 'negative_item', itemIds: toAlert, notFlaggedItemIds: notFlagged, now: options.now });
  return { stored: stored.size, flagged: events.length, deliveryIds };
}

/** Published (or, undated, first seen) within the alert window: older items are never alerted. */
function isRecent(item: ItemToAnalyze, options: { now: Date; alertMaxAgeDays: number }): boolean {
  return (item.published_at ?? item.first_seen_at).getTime() >= options.now.getTime() - options.alertMaxAgeDays * 86_400_000;
}

/**
 * The `flagged` events for items a verdict flags for the first time, and which of them
 * to email: only those published (or, undated, first seen) within the alert window.
 * Items older than that when first seen (a new source's back catalogue) are flagged
 * but not emailed, and their event says so.
 */
function newlyFlagged(
  items: ItemToAnalyze[],
  results: AnalysisResult[],
  stored: Set<string>,
  options: { now: Date; alertMaxAgeDays: number; note?: Record<string, unknown> },
): { events: NewItemEvent[]; toAlert: string[] } {
  const events: NewItemEvent[] = [];
  const toAlert: string[] = [];
  items.forEach((item, index) => {
    const verdict = results[index] as AnalysisResult;
    if (!stored.has(item.id) || !verdict.flagged || item.flagged) return;
    const recent = isRecent(item, options);
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
