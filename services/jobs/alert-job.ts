import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../../config/config.ts';
import type { Db } from '../../db/database.ts';
import { claimDelivery, loadAlertContext, markDeliverySent, releaseDelivery, type ClaimedDelivery } from '../../db/repositories/alert-deliveries.ts';
import { loadSourceNoticeContext } from '../../db/repositories/source-notices.ts';
import { renderNegativeItemEmail, type RenderedEmail } from '../mail/alert-email.ts';
import { renderSourceNoticeEmail } from '../mail/source-notice-email.ts';
import type { MailTransport } from '../mail/mail-transport.ts';
import type { AlertJobData } from '../queue/queues.ts';

export interface AlertJobDeps {
  db: Db;
  mail: MailTransport;
  config: Config;
  log: Logger;
}

export interface AlertJobResult {
  sent: number;
  skipped: number;
}

/**
 * Sends a batch of alert deliveries, each at most once: a delivery is claimed in
 * Postgres before the email leaves and marked sent right after the server accepts
 * it, so retries, duplicate jobs and restarted workers skip what was sent.
 * Any delivery that could not be sent fails the job, which BullMQ retries with backoff.
 */
export async function runAlertJob(job: Job<AlertJobData>, deps: AlertJobDeps): Promise<AlertJobResult> {
  const result: AlertJobResult = { sent: 0, skipped: 0 };
  const failures: string[] = [];
  for (const deliveryId of job.data.deliveryIds) {
    const claim = await claimDelivery(deps.db, deliveryId, deps.config.alertLeaseSeconds);
    if (claim.kind === 'already_sent' || claim.kind === 'missing') {
      result.skipped++;
      continue;
    }
    if (claim.kind === 'held_elsewhere') {
      failures.push(`${deliveryId}: being sent by another worker`);
      continue;
    }
    try {
      await send(claim.delivery, deps);
      result.sent++;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await releaseDelivery(deps.db, claim.delivery, message);
      if (error instanceof UnrecoverableError) throw error;
      failures.push(`${deliveryId}: ${message}`);
    }
  }
  if (failures.length > 0) {
    deps.log.warn({ jobId: job.id, failures: failures.length }, 'alert delivery failed; will retry');
    throw new Error(`${failures.length} of ${job.data.deliveryIds.length} alert deliveries not sent yet: ${failures.join('; ')}`);
  }
  return result;
}

async function send(delivery: ClaimedDelivery, deps: AlertJobDeps): Promise<void> {
  const { email, itemId } = await render(delivery, deps);
  // One Message-ID per delivery: should a send ever be repeated, mail clients show it once.
  const messageId = `<${delivery.id}@earshot>`;
  const sent = await deps.mail.send(
    {
      from: deps.config.alertFrom,
      to: delivery.recipient,
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId,
      headers: itemId ? { 'X-Earshot-Item': itemId } : { 'X-Earshot-Source': delivery.sourceId ?? '' },
    },
    `${delivery.createdAt.toISOString().replace(/[:.]/g, '-')}-${delivery.id}.eml`,
  );
  await markDeliverySent(deps.db, delivery, { messageId, kind: delivery.kind });
  deps.log.info({ deliveryId: delivery.id, itemId: delivery.itemId, sourceId: delivery.sourceId, receipt: sent.receipt }, 'alert sent');
}

/** An item alert, or a notice about a source; a subject that no longer exists cannot be sent, ever. */
async function render(delivery: ClaimedDelivery, deps: AlertJobDeps): Promise<{ email: RenderedEmail; itemId: string | null }> {
  if (delivery.itemId !== null) {
    const context = await loadAlertContext(deps.db, delivery.itemId);
    if (!context) throw new UnrecoverableError(`item ${delivery.itemId} of delivery ${delivery.id} no longer exists`);
    return { email: renderNegativeItemEmail(context, deps.config.publicUrl), itemId: context.item.id };
  }
  const context = delivery.sourceId === null ? undefined : await loadSourceNoticeContext(deps.db, delivery.sourceId);
  if (!context) throw new UnrecoverableError(`the source of delivery ${delivery.id} no longer exists`);
  return { email: renderSourceNoticeEmail(delivery.kind, context, deps.config.publicUrl), itemId: null };
}
