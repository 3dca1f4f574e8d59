import type { Db } from '../../db/database.ts';
import { markQuietSources } from '../../db/repositories/source-notices.ts';
import { createDeliveries } from '../alerts/create-deliveries.ts';
import { enqueueAlerts } from '../alerts/enqueue-alerts.ts';
import type { Queues } from '../jobs/queues.ts';

/**
 * Flags sources that poll without errors yet have heard nothing for far longer than
 * usual (a place id that moved, a search term that no longer matches), and emails the
 * owner once per quiet spell. A new item clears the flag (see ingest).
 */
export async function checkQuietSources(db: Db, queues: Queues): Promise<number> {
  const quiet = await markQuietSources(db);
  for (const source of quiet) {
    const incident = source.quietSince.toISOString();
    const deliveryIds = await createDeliveries(db, { kind: 'source_quiet', sourceId: source.id, incident });
    await enqueueAlerts(queues, `quiet-${source.id}-${incident}`, deliveryIds);
  }
  return quiet.length;
}
