import type { Db } from '../../db/database.ts';
import type { ClaimedDelivery } from '../../db/repositories/alert-deliveries.ts';
import { renderDigestDelivery } from './digests/digest-delivery.ts';
import { DIGEST_KINDS } from './digests/digest-kinds.ts';
import { renderWeeklyReportDelivery, WEEKLY_REPORT } from './weekly-report/render-weekly-report.ts';
import { renderSpike } from './spike-message.ts';
import { SPIKE } from './spike-rule.ts';

/**
 * Deliveries about a business rather than one item, source or link — a digest, the weekly
 * report, a spike alert — rendered by kind. Each kind registers its renderer here, so the
 * email path and the channel path (services/alerts/render-delivery.ts) send the same words,
 * and a kind without a renderer fails its delivery loudly instead of sending nothing.
 */

export interface RenderedBusinessMessage {
  /** The email subject, the notification title. */
  title: string;
  /** Plain text: every channel's fallback. */
  text: string;
  /** Email-safe HTML (tables and inline styles only). */
  html: string;
}

export type BusinessDeliveryRenderer = (db: Db, delivery: ClaimedDelivery & { businessId: string }, publicUrl: string) => Promise<RenderedBusinessMessage>;

const RENDERERS: Record<string, BusinessDeliveryRenderer> = {
  [DIGEST_KINDS.daily]: renderDigestDelivery,
  [DIGEST_KINDS.weekly]: renderDigestDelivery,
  [WEEKLY_REPORT]: renderWeeklyReportDelivery,
  [SPIKE]: renderSpike,
};

/** The renderer of a business delivery's kind; throws for a kind nobody registered. */
export function businessDeliveryRenderer(kind: string): BusinessDeliveryRenderer {
  const renderer = RENDERERS[kind];
  if (renderer === undefined) throw new Error(`no renderer for business deliveries of kind ${kind}`);
  return renderer;
}
