import type { UnsentDeliveries } from '../../db/repositories/delivery-health.ts';

/**
 * Mail that waits longer than this without a recorded failure is stuck too (no worker
 * running, a queue lost): a healthy outbox sends within seconds.
 */
export const MAIL_STUCK_AFTER_SECONDS = 300;

/**
 * ok: nothing waits, or what waits is young and has not failed. degraded: an attempt
 * failed and nothing has been sent since for that delivery (SMTP down, refusing, timing
 * out), or the oldest unsent alert is older than MAIL_STUCK_AFTER_SECONDS.
 * Alerts are never dropped either way: they wait and are retried (docs/reliability.md).
 */
export type MailStatus = 'ok' | 'degraded';

export interface DeliveryHealth {
  status: MailStatus;
  waiting: number;
  failing: number;
  oldestWaitingSince: Date | null;
  oldestWaitingSeconds: number | null;
  lastError: string | null;
  lastErrorAt: Date | null;
}

export function judgeDeliveryHealth(unsent: UnsentDeliveries): DeliveryHealth {
  const oldestWaitingSeconds =
    unsent.oldestCreatedAt === null ? null : Math.max(0, Math.floor((unsent.now.getTime() - unsent.oldestCreatedAt.getTime()) / 1000));
  const stuck = unsent.failing > 0 || (oldestWaitingSeconds !== null && oldestWaitingSeconds > MAIL_STUCK_AFTER_SECONDS);
  return {
    status: stuck ? 'degraded' : 'ok',
    waiting: unsent.waiting,
    failing: unsent.failing,
    oldestWaitingSince: unsent.oldestCreatedAt,
    oldestWaitingSeconds,
    lastError: unsent.lastError,
    lastErrorAt: unsent.lastErrorAt,
  };
}

/**
 * For the unauthenticated readiness probe: one instance serves many accounts, and a
 * server's refusal may quote a recipient ("550 <owner@shop.example> unknown").
 */
export function withoutAddresses(error: string | null): string | null {
  return error === null ? null : error.replace(/[^\s<>()"',;:]+@[^\s<>()"',;:]+/g, '<address>').slice(0, 300);
}
