import type { Db } from '../../db/database.ts';
import { listUnanalyzed } from '../../db/repositories/analysis.ts';
import { judgeItems } from './judge-items.ts';

export interface AnalyzeOutcome {
  analyzed: number;
  flagged: number;
  /** Deliveries created by this batch, to be sent by the alert step. */
  deliveryIds: string[];
}

/**
 * Judges a batch of new or edited items in one transaction (see judge-items.ts); items
 * already judged are skipped. Items older than `alertMaxAgeDays` when first seen
 * (a new source's back catalogue) are flagged but not emailed.
 */
export async function analyzeItems(db: Db, itemIds: string[], options: { alertMaxAgeDays: number; now?: Date }): Promise<AnalyzeOutcome> {
  const now = options.now ?? new Date();
  return db.transaction().execute(async (tx) => {
    const items = await listUnanalyzed(tx, itemIds);
    const judged = await judgeItems(tx, items, { rescore: false, now, alertMaxAgeDays: options.alertMaxAgeDays });
    return { analyzed: judged.stored, flagged: judged.flagged, deliveryIds: judged.deliveryIds };
  });
}
