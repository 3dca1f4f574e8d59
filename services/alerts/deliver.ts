import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../../config/config.ts';
import type { Db } from '../../db/database.ts';
import {
  claimDelivery,
  dropDelivery,
  markDeliverySent,
  markJournalledSend,
  releaseDelivery,
  type ClaimedDelivery,
  type SentDetail,
} from '../../db/repositories/alert-deliveries.ts';
import { deriveSignInLinkKey, type SignInLinkSettings } from '../people/sign-in-link-token.ts';
import type { CredentialsKey } from '../sources/credentials.ts';
import type { MailTransport } from './mail-transport.ts';
import { attemptChannelDelivery } from './deliver-to-channel.ts';
import { DeliveryNoLongerNeeded, DeliverySubjectGoneError, renderDelivery } from './render-delivery.ts';
import { openSentJournal, type SentJournal } from './sent-journal.ts';

export interface DeliveryDeps {
  db: Db;
  mail: MailTransport;
  config: Config;
  /** The instance's key: invitation and reset links are signed again when their email is rendered. */
  credentialsKey: CredentialsKey;
  log: Logger;
}

export interface DeliveryOutcome {
  sent: number;
  skipped: number;
  /** The earliest instant a delivery of the batch held by quiet hours may go; null when none is held. */
  heldUntil: Date | null;
}

/** The email left but PostgreSQL could not be told; the local note stands in until it can. */
class SentButNotRecorded extends Error {
  constructor(cause: unknown) {
    super(`sent, but not yet recorded as sent: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'SentButNotRecorded';
  }
}

/** Some deliveries of a batch are not sent yet; `retryAfterMs` is set when a channel said how long to wait. */
export class AlertsNotSentYet extends Error {
  readonly retryAfterMs: number | null;
  constructor(message: string, retryAfterMs: number | null) {
    super(message);
    this.name = 'AlertsNotSentYet';
    this.retryAfterMs = retryAfterMs;
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
 * Between the two, the acceptance is noted on local disk (services/alerts/sent-journal.ts):
 * if PostgreSQL cannot be reached to mark it sent, the claim is kept (never released for
 * a retry), and every alert job first replays those notes, before it claims anything, so
 * a delivery known to be sent is marked sent rather than sent again once its lease runs out.
 * A delivery with a channel goes through that channel (services/alerts/deliver-to-channel.ts
 * says what each of its errors means); its acceptance is journalled and recorded the same way.
 * Any delivery that could not be sent makes the whole batch throw AlertsNotSentYet, for the
 * job to be retried (after the wait a rate-limited channel asked for);
 * a delivery whose item or source is gone throws DeliverySubjectGoneError at once.
 */
export async function deliverAlerts(deliveryIds: string[], deps: DeliveryDeps, jobId?: string): Promise<DeliveryOutcome> {
  const result: DeliveryOutcome = { sent: 0, skipped: 0, heldUntil: null };
  const failures: string[] = [];
  let retryAfterMs: number | null = null;
  // Notices written along the way (a channel that now needs attention) are sent in this batch too.
  const batch = [...deliveryIds];
  const journal = openSentJournal(sentJournalDirectory(deps.config));
  const links: SignInLinkSettings = { key: deriveSignInLinkKey(deps.credentialsKey), publicUrl: deps.config.publicUrl };
  // While PostgreSQL is still unreachable this throws and the job is retried later, having claimed nothing.
  await replaySentJournal(deps, journal);
  for (const deliveryId of batch) {
    const claim = await claimDelivery(deps.db, deliveryId, deps.config.alertLeaseSeconds);
    if (claim.kind === 'already_sent' || claim.kind === 'missing') {
      result.skipped++;
      continue;
    }
    if (claim.kind === 'held_elsewhere') {
      failures.push(`${deliveryId}: being sent by another worker`);
      continue;
    }
    if (claim.kind === 'held_until') {
      if (result.heldUntil === null || claim.until < result.heldUntil) result.heldUntil = claim.until;
      continue;
    }
    try {
      const channelId = claim.delivery.channelId;
      if (channelId === null) {
        await recordSend(claim.delivery, await sendEmail(claim.delivery, deps, links), deps, journal);
        result.sent++;
        continue;
      }
      const attempt = await attemptChannelDelivery(claim.delivery, channelId, deps);
      if (attempt.outcome === 'accepted') {
        await recordSend(claim.delivery, attempt.detail, deps, journal);
        result.sent++;
      } else if (attempt.outcome === 'unknown') {
        result.skipped++;
      } else {
        failures.push(`${deliveryId}: ${attempt.message}`);
        if (attempt.retryAfterMs !== null) retryAfterMs = Math.max(retryAfterMs ?? 0, attempt.retryAfterMs);
        batch.push(...attempt.notices);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof SentButNotRecorded) {
        // Released, a retry would send it again; kept `sending`, the next job's replay records it.
        failures.push(`${deliveryId}: ${message}`);
        continue;
      }
      if (error instanceof DeliveryNoLongerNeeded) {
        await dropDelivery(deps.db, claim.delivery);
        result.skipped++;
        continue;
      }
      await releaseDelivery(deps.db, claim.delivery, message);
      if (error instanceof DeliverySubjectGoneError) throw error;
      failures.push(`${deliveryId}: ${message}`);
    }
  }
  if (failures.length > 0) {
    deps.log.warn({ jobId, failures: failures.length }, 'alert delivery failed; will retry');
    throw new AlertsNotSentYet(`${failures.length} of ${batch.length} alert deliveries not sent yet: ${failures.join('; ')}`, retryAfterMs);
  }
  return result;
}

/** Records in PostgreSQL every send noted while it was unreachable; throws while it still is. */
async function replaySentJournal(deps: DeliveryDeps, journal: SentJournal): Promise<void> {
  for (const record of await journal.unconfirmed()) {
    await markJournalledSend(deps.db, { ...record, sentAt: new Date(record.sentAt) });
    await journal.confirm(record.deliveryId);
    deps.log.info({ deliveryId: record.deliveryId }, 'alert sent earlier recorded after the database came back');
  }
}

/** Renders and sends one email delivery; what the server accepted is recorded by recordSend. */
async function sendEmail(delivery: ClaimedDelivery, deps: DeliveryDeps, links: SignInLinkSettings): Promise<SentDetail> {
  const { email, header } = await renderDelivery(deps.db, delivery, links);
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
      headers: header,
    },
    `${delivery.createdAt.toISOString().replace(/[:.]/g, '-')}-${delivery.id}.eml`,
  );
  deps.log.info({ deliveryId: delivery.id, receipt: sent.receipt }, 'alert email accepted');
  return { kind: delivery.kind, messageId };
}

/**
 * Records an accepted send: noted on local disk first, then marked sent in PostgreSQL,
 * so a database that cannot be told never turns a sent alert into a second one.
 */
async function recordSend(delivery: ClaimedDelivery, detail: SentDetail, deps: DeliveryDeps, journal: SentJournal): Promise<void> {
  // A channel send has no Message-ID; the journal's replay names the channel instead.
  const messageId = 'messageId' in detail ? detail.messageId : `channel:${detail.channel.id}`;
  const noted = await journal
    .record({ deliveryId: delivery.id, messageId, kind: delivery.kind, sentAt: new Date().toISOString() })
    .then(() => true)
    .catch((error: unknown) => {
      deps.log.warn({ deliveryId: delivery.id, err: error instanceof Error ? error.message : String(error) }, 'could not note the send on local disk');
      return false;
    });
  try {
    await markDeliverySent(deps.db, delivery, detail);
  } catch (error) {
    // Without the note, releasing is the only way the alert is not lost: at-least-once, as before.
    if (noted) throw new SentButNotRecorded(error);
    throw error;
  }
  // A note left behind is harmless: replaying it finds the delivery already sent.
  if (noted) await journal.confirm(delivery.id).catch(() => undefined);
  deps.log.info({ deliveryId: delivery.id, itemId: delivery.itemId, sourceId: delivery.sourceId, signInLinkId: delivery.signInLinkId, channelId: delivery.channelId }, 'alert sent');
}
