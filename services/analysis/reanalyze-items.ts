import type { Db } from '../../db/database.ts';
import { countToRescore, listToRescore } from '../../db/repositories/analysis.ts';
import { ANALYZER_VERSION } from './sentiment/classify-item.ts';
import { judgeItems } from './judge-items.ts';

const BATCH = 500;

export interface ReanalyzeOptions {
  since?: Date;
  alertMaxAgeDays: number;
  now?: Date;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface ReanalyzeOutcome {
  rescored: number;
  newlyFlagged: number;
  /** Deliveries created for newly flagged items inside the alert window; the reconciler sends them. */
  deliveriesCreated: number;
}

/**
 * Re-scores analysed items that an older analyzer version judged, batch by batch, each
 * batch in one transaction, the same one a new item's analysis runs (judge-items.ts).
 * Alerts already sent are never sent again: an item that was flagged stays as it is for
 * alerting, and deliveries are unique per (item, recipient, kind). An item the new
 * analyzer flags for the first time is emailed only when it is inside the alert window
 * (`ALERT_MAX_AGE_DAYS`), exactly as a new item would be; older ones are flagged quietly,
 * with a `flagged` event that says so. Items the new analyzer no longer flags keep their
 * existing deliveries and events. A run that stops halfway resumes where it stopped:
 * re-scored items carry the current version.
 */
export async function reanalyzeItems(db: Db, options: ReanalyzeOptions): Promise<ReanalyzeOutcome> {
  const scope = { analyzerVersion: ANALYZER_VERSION, since: options.since };
  const total = await countToRescore(db, scope);
  const outcome: ReanalyzeOutcome = { rescored: 0, newlyFlagged: 0, deliveriesCreated: 0 };
  let seen = 0;
  let afterId: string | null = null;
  options.onProgress?.(0, total);
  for (;;) {
    const items = await listToRescore(db, scope, afterId, options.batchSize ?? BATCH);
    if (items.length === 0) break;
    afterId = (items.at(-1) as { id: string }).id;
    const judged = await db.transaction().execute((tx) =>
      judgeItems(tx, items, { rescore: true, now: options.now ?? new Date(), alertMaxAgeDays: options.alertMaxAgeDays }),
    );
    outcome.rescored += judged.stored;
    outcome.newlyFlagged += judged.flagged;
    outcome.deliveriesCreated += judged.deliveryIds.length;
    seen += items.length;
    options.onProgress?.(Math.min(seen, total), total);
  }
  return outcome;
}
