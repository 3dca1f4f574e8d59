import type { Db } from '../../db/database.ts';
import { createDeliveries } from '../../services/alerts/create-deliveries.ts';

/** Item alerts put in the outbox as an analysis that flagged these items would, without judging them. */
export function createAlertDeliveries(db: Db, itemIds: string[], kind: 'negative_item'): Promise<string[]> {
  return createDeliveries(db, { kind, itemIds });
}
