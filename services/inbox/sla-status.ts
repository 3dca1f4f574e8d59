import type { OpeningClock } from '../response-times/opening-clock.ts';

/**
 * Where an item stands against its business's SLA, by the response-time report's rule
 * (docs/api.md, "Response time, defined once"): the clock starts when the item was
 * published (first seen when the platform gives no date), stops at its first response,
 * and counts only the hours the `clock` counts — the business's opening hours, or every
 * hour when it has none. An open item is overdue once more than `slaHours` have passed.
 */
export type SlaStatus =
  /** It has a first response: nothing is counting down. */
  | { kind: 'answered' }
  /** Its platform takes no reply (a news article from a feed): response-time figures leave it out. */
  | { kind: 'not_measured' }
  /** Still within the SLA: `leftMs` of counted time remain. */
  | { kind: 'open'; leftMs: number; slaMs: number }
  /** Past the SLA by `overMs` of counted time. */
  | { kind: 'overdue'; overMs: number; slaMs: number };

export interface SlaItem {
  publishedAt: Date | null;
  firstSeenAt: Date;
  firstResponseAt: Date | null;
  /** Whether the item's platform can be answered at all (the connector's `repliable`). */
  repliable: boolean;
}

export interface SlaTerms {
  slaHours: number;
  /** The business's opening-hours clock (services/response-times/opening-clock.ts). */
  clock: OpeningClock;
}

export function slaStatus(item: SlaItem, terms: SlaTerms, now: Date): SlaStatus {
  if (!item.repliable) return { kind: 'not_measured' };
  if (item.firstResponseAt !== null) return { kind: 'answered' };
  const slaMs = terms.slaHours * 3_600_000;
  const start = (item.publishedAt ?? item.firstSeenAt).getTime();
  const counted = terms.clock.openMsBetween(start, now.getTime());
  // The report counts an item overdue only when strictly past the SLA.
  if (counted > slaMs) return { kind: 'overdue', overMs: counted - slaMs, slaMs };
  return { kind: 'open', leftMs: slaMs - counted, slaMs };
}
