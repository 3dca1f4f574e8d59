import type { Config } from '../../config/config.ts';
import { reanalyzeItems } from '../analysis/reanalyze-items.ts';
import { ANALYZER_VERSION } from '../analysis/sentiment/classify-item.ts';
import { withDatabase } from './with-database.ts';

/** `earshot reanalyze [--since ISO-date]`: re-scores stored items after an analyzer change. */
export async function reanalyze(config: Config, options: { since?: Date }): Promise<number> {
  return withDatabase(config, async (db) => {
    const bar = progressBar(process.stderr);
    const outcome = await reanalyzeItems(db, { since: options.since, alertMaxAgeDays: config.alertMaxAgeDays, onProgress: bar.update });
    bar.done();
    process.stdout.write(
      `Re-scored ${outcome.rescored} item(s) with ${ANALYZER_VERSION}: ${outcome.newlyFlagged} newly flagged, ` +
        `${outcome.deliveriesCreated} alert(s) queued for items inside the alert window (a running Earshot sends them).\n`,
    );
    return 0;
  });
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
