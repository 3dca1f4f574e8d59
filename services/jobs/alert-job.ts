import path from 'node:path';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../../config/config.ts';
import type { Db } from '../../db/database.ts';
import {
  claimDelivery,
  loadAlertContext,
  markDeliverySent,
  markJournalledSend,
  releaseDelivery,
  type ClaimedDelivery,
} from '../../db/repositories/alert-deliveries.ts';
import { loadSourceNoticeContext } from '../../db/repositories/source-notices.ts';
import { renderNegativeItemEmail, type RenderedEmail } from '../mail/alert-email.ts';
import { renderSourceNoticeEmail } from '../mail/source-notice-email.ts';
import type { MailTransport } from '../mail/mail-transport.ts';
import { openSentJournal, type SentJournal } from '../mail/sent-journal.ts';
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

/** The email left but PostgreSQL could not be told; the local note stands in until it can. */
class SentButNotRecorded extends Error {
  constructor(cause: unknown) {
    super(`sent, but not yet recorded as sent: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'SentButNotRecorded';
  }
}

/** Where this worker notes accepted emails until PostgreSQL has them. */
export function sentJournalDirectory(config: Config): string {
  return path.join(config.dataDir, 'sent-journal');
}

/**
 * Sends a batch of alert deliveries, each at most once: a delivery is claimed in
 * Postgres before the email leaves and marked sent right after the server accepts
 * it, so retries, duplicate jobs and restarted workers skip what was sent.
 * Between the two, the acceptance is noted on local disk (services/mail/sent-journal.ts):
 * if PostgreSQL cannot be reached to mark it sent, the claim is kept (never released for
 * a retry), and every alert job first replays those notes, before it claims anything, so
 * a delivery known to be sent is marked sent rather than sent again once its lease runs out.
 * Any delivery that could not be sent fails the job, which BullMQ retries with backoff.
 */
export async function runAlertJob(job: Job<AlertJobData>, deps: AlertJobDeps): Promise<AlertJobResult> {
  const result: AlertJobResult = { sent: 0, skipped: 0 };
  const failures: string[] = [];
  const journal = openSentJournal(sentJournalDirectory(deps.config));
  // While PostgreSQL is still unreachable this throws and the job is retried later, having claimed nothing.
  await replaySentJournal(deps, journal);
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
      await send(claim.delivery, deps, journal);
      result.sent++;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof SentButNotRecorded) {
        // Released, a retry would send it again; kept `sending`, the next job's replay records it.
        failures.push(`${deliveryId}: ${message}`);
        continue;
      }
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

/** Records in PostgreSQL every send noted while it was unreachable; throws while it still is. */
async function replaySentJournal(deps: AlertJobDeps, journal: SentJournal): Promise<void> {
  for (const record of await journal.unconfirmed()) {
    await markJournalledSend(deps.db, { ...record, sentAt: new Date(record.sentAt) });
    await journal.confirm(record.deliveryId);
    deps.log.info({ deliveryId: record.deliveryId }, 'alert sent earlier recorded after the database came back');
  }
}

async function send(delivery: ClaimedDelivery, deps: AlertJobDeps, journal: SentJournal): Promise<void> {
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
  const noted = await journal
    .record({ deliveryId: delivery.id, messageId, kind: delivery.kind, sentAt: new Date().toISOString() })
    .then(() => true)
    .catch((error: unknown) => {
      deps.log.warn({ deliveryId: delivery.id, err: error instanceof Error ? error.message : String(error) }, 'could not note the send on local disk');
      return false;
    });
  try {
    await markDeliverySent(deps.db, delivery, { messageId, kind: delivery.kind });
  } catch (error) {
    // Without the note, releasing is the only way the alert is not lost: at-least-once, as before.
    if (noted) throw new SentButNotRecorded(error);
    throw error;
  }
  // A note left behind is harmless: replaying it finds the delivery already sent.
  if (noted) await journal.confirm(delivery.id).catch(() => undefined);
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
