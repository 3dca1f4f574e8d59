import type { Config } from '../../config/config.ts';
import { createDb, type Db } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { countToRescore, createAlertDeliveries, listToRescore, storeAnalysis, type AnalysisResult } from '../../db/repositories/analysis.ts';
import { insertItemEvents } from '../../db/repositories/item-events.ts';
import { NEGATIVE_ITEM_ALERT, newlyFlagged } from '../analysis/analyze-items.ts';
import { startEmbeddedPostgres } from '../runtime/embedded-postgres.ts';
import { ANALYZER_VERSION, classifyItem } from '../sentiment/classify-item.ts';

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
 * batch in one transaction. Alerts already sent are never sent again: an item that was
 * flagged stays as it is for alerting, and deliveries are unique per (item, recipient,
 * kind). An item the new analyzer flags for the first time is emailed only when it is
 * inside the alert window (`ALERT_MAX_AGE_DAYS`), exactly as a new item would be; older
 * ones are flagged quietly, with a `flagged` event that says so. Items the new analyzer
 * no longer flags keep their existing deliveries and events. A run that stops halfway
 * resumes where it stopped: re-scored items carry the current version.
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
    const results: AnalysisResult[] = items.map((item) => ({ id: item.id, contentHash: item.content_hash, ...classifyItem(item) }));
    await db.transaction().execute(async (tx) => {
      const stored = await storeAnalysis(tx, results, ANALYZER_VERSION, { rescore: true });
      const { events, toAlert } = newlyFlagged(items, results, stored, {
        now: options.now ?? new Date(),
        alertMaxAgeDays: options.alertMaxAgeDays,
        note: { reanalyzed: ANALYZER_VERSION },
      });
      await insertItemEvents(tx, events);
      const deliveries = await createAlertDeliveries(tx, toAlert, NEGATIVE_ITEM_ALERT);
      outcome.rescored += stored.size;
      outcome.newlyFlagged += events.length;
      outcome.deliveriesCreated += deliveries.length;
    });
    seen += items.length;
    options.onProgress?.(Math.min(seen, total), total);
  }
  return outcome;
}

/** `earshot reanalyze [--since ISO-date]`: re-scores stored items after an analyzer change. */
export async function reanalyze(config: Config, options: { since?: Date }): Promise<number> {
  const embedded = config.databaseUrl === undefined ? await startEmbeddedPostgres(config.dataDir) : undefined;
  const db = createDb(config.databaseUrl ?? (embedded as { url: string }).url);
  try {
    await migrateToLatest(db);
    const bar = progressBar(process.stderr);
    const outcome = await reanalyzeItems(db, { since: options.since, alertMaxAgeDays: config.alertMaxAgeDays, onProgress: bar.update });
    bar.done();
    process.stdout.write(
      `Re-scored ${outcome.rescored} item(s) with ${ANALYZER_VERSION}: ${outcome.newlyFlagged} newly flagged, ` +
        `${outcome.deliveriesCreated} alert(s) queued for items inside the alert window (a running Earshot sends them).\n`,
    );
    return 0;
  } finally {
    await db.destroy();
    await embedded?.stop();
  }
}

/** A one-line bar redrawn in place on a terminal; one line per update elsewhere (logs). */
export function progressBar(stream: NodeJS.WriteStream, width = 30): { update: (done: number, total: number) => void; done: () => void } {
  let drawn = false;
  return {
    update(done, total) {
      const share = total === 0 ? 1 : done / total;
      const filled = Math.round(share * width);
      const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${Math.round(share * 100)}%`;
      stream.write(stream.isTTY ? `\r${line}` : `${line}\n`);
      drawn = true;
    },
    done() {
      if (drawn && stream.isTTY) stream.write('\n');
    },
  };
}
