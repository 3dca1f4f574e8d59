import type { Config } from '../../config/config.ts';
import { connectors } from '../../connectors/registry.ts';
import type { Db } from '../../db/database.ts';
import { insertDeliveries } from '../../db/repositories/alert-deliveries.ts';
import { insertEscalations, listEscalationCandidates, type EscalationCandidate } from '../../db/repositories/sla-escalations.ts';
import { enqueueAlerts } from '../alerts/enqueue-alerts.ts';
import { noticeAudiences, noticeDeliveries } from '../alerts/notice-audience.ts';
import { SLA_OVERDUE } from '../alerts/sla-overdue-email.ts';
import { slaStatus } from '../inbox/sla-status.ts';
import type { Queues } from '../jobs/queues.ts';
import { OpeningClocks } from '../response-times/opening-clock.ts';
import type { PeriodicTask } from './scheduler.ts';

// A minute late at most: an SLA is counted in hours.
const EVERY_MS = 60_000;
const PAGE = 500;

/** Platforms that take no reply: no answer is expected there, so nothing is ever overdue (as sla-status says). */
const UNREPLIABLE_TYPES = Object.values(connectors).filter((connector) => !connector.repliable).map((connector) => connector.id);

/**
 * SLA escalation: a flagged item still unanswered when its business's SLA passes — counted
 * in opening hours when the business has them, by the inbox's and the response-time
 * report's rule (services/inbox/sla-status.ts) — is told once to the business's notice
 * recipients (services/alerts/notice-audience.ts). Only items published (or first seen)
 * within the alert window count, so a new source's back catalogue does not flood anyone.
 *
 * Once: each page's escalations and their deliveries are written in one transaction, and
 * an item already in `sla_escalations` (or answered since it was read) is skipped by the
 * insert itself, so two schedulers, a rerun or a later answer never send a second one.
 */
export function escalateOverdue(deps: { db: Db; queues: Queues; config: Config }): PeriodicTask {
  // One per task: each business's opening hours become instants once.
  const clocks = new OpeningClocks();
  return { name: 'escalate-overdue', everyMs: EVERY_MS, run: (now) => escalateOverdueItems(deps, clocks, now) };
}

async function escalateOverdueItems(deps: { db: Db; queues: Queues; config: Config }, clocks: OpeningClocks, now: Date): Promise<number> {
  const since = new Date(now.getTime() - deps.config.alertMaxAgeDays * 86_400_000);
  let escalated = 0;
  let after: string | null = null;
  for (;;) {
    const page = await listEscalationCandidates(deps.db, { now, since, skipSourceTypes: UNREPLIABLE_TYPES, after, limit: PAGE });
    const overdue = page.filter((candidate) => isOverdue(candidate, clocks, now));
    if (overdue.length > 0) escalated += await escalate(deps, overdue, now);
    if (page.length < PAGE) return escalated;
    after = page.at(-1)!.itemId;
  }
}

function isOverdue(candidate: EscalationCandidate, clocks: OpeningClocks, now: Date): boolean {
  const { business } = candidate;
  const item = { publishedAt: candidate.publishedAt, firstSeenAt: candidate.firstSeenAt, firstResponseAt: null, repliable: true };
  return slaStatus(item, { slaHours: business.slaHours, clock: clocks.of(business.timezone, business.openingHours) }, now).kind === 'overdue';
}

/** Records the escalations and writes their deliveries in one transaction, then queues them; returns how many items were escalated. */
async function escalate(deps: { db: Db; queues: Queues }, overdue: EscalationCandidate[], now: Date): Promise<number> {
  const businessOf = new Map(overdue.map((candidate) => [candidate.itemId, candidate.businessId]));
  const { itemIds, deliveryIds } = await deps.db.transaction().execute(async (tx) => {
    const recorded = await insertEscalations(tx, [...businessOf.keys()], now);
    const audiences = await noticeAudiences(tx, recorded.map((itemId) => businessOf.get(itemId)!));
    const deliveries = recorded.flatMap((itemId) => {
      const audience = audiences.get(businessOf.get(itemId)!);
      return audience === undefined ? [] : noticeDeliveries(audience, { itemId }, SLA_OVERDUE, '');
    });
    return { itemIds: recorded, deliveryIds: await insertDeliveries(tx, deliveries) };
  });
  // Should Redis refuse this, the reconciler queues the pending deliveries it finds.
  if (deliveryIds.length > 0) await enqueueAlerts(deps.queues, `escalation-${deliveryIds[0]}`, deliveryIds);
  return itemIds.length;
}
