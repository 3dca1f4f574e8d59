import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.ts';
import { createAlertDeliveries, lockUnanalyzed, storeAnalysis, type AnalysisResult } from '../../db/repositories/analysis.ts';
import type { ItemEventsTable } from '../../db/schema.ts';
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
    const items = await lockUnanalyzed(tx, itemIds);
    const results: AnalysisResult[] = [];
    const newlyFlagged: string[] = [];
    const events: Insertable<ItemEventsTable>[] = [];
    const oldestAlerted = now.getTime() - options.alertMaxAgeDays * 86_400_000;
    const toAlert: string[] = [];
    for (const item of items) {
      const verdict = classifyItem(item);
      results.push({ id: item.id, ...verdict });
      if (!verdict.flagged || item.flagged) continue;
      newlyFlagged.push(item.id);
      const age = (item.published_at ?? item.first_seen_at).getTime();
      const recent = age >= oldestAlerted;
      events.push({
        item_id: item.id,
        account_id: item.account_id,
        type: 'flagged',
        actor: 'system',
        data: JSON.stringify({ label: verdict.label, score: verdict.score, rating: item.rating, alert: recent ? 'queued' : 'skipped: older than the alert window' }),
      });
      if (recent) toAlert.push(item.id);
    }
    await storeAnalysis(tx, results, ANALYZER_VERSION);
    if (events.length > 0) await tx.insertInto('item_events').values(events).execute();
    const deliveryIds = await createAlertDeliveries(tx, toAlert, NEGATIVE_ITEM_ALERT);
    return { analyzed: items.length, flagged: newlyFlagged.length, deliveryIds };
  });
}
