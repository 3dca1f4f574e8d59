import type { Db } from '../../db/database.ts';
import type { AlertContext } from '../../db/repositories/alert-deliveries.ts';
import { findEscalation, type EscalationRecord } from '../../db/repositories/sla-escalations.ts';
import { slaStatus } from '../inbox/sla-status.ts';
import { openingClock } from '../response-times/opening-clock.ts';
import { escapeHtml, sourceName, type RenderedEmail } from './alert-email.ts';
import { alertDate, starsOf } from './channels/item-facts.ts';

/** The delivery kind of an SLA escalation (services/scheduler/escalate-overdue.ts): an item delivery. */
export const SLA_OVERDUE = 'sla_overdue';

/**
 * The escalation message: the item is overdue, by how long, against which SLA, with the item
 * and a link to answer it. How long is measured now (or when it was answered, should that have
 * happened since it was escalated), in the hours the business's SLA counts.
 */
export async function renderSlaOverdueEmail(db: Db, context: AlertContext, publicUrl: string, now = new Date()): Promise<RenderedEmail> {
  const escalation = await findEscalation(db, context.item.id);
  if (escalation === undefined) throw new Error(`item ${context.item.id} has an escalation delivery but no escalation on record`);
  return overdueEmail(context, escalation, publicUrl, now);
}

function overdueEmail(context: AlertContext, escalation: EscalationRecord, publicUrl: string, now: Date): RenderedEmail {
  const { item, businessName } = context;
  const { business } = escalation;
  const platform = sourceName(context.sourceType);
  const what = item.kind === 'review' ? `${item.rating !== null ? `${item.rating}-star ` : ''}${platform} review` : `${platform} mention`;
  const sla = business.openingHours === null ? `${business.slaHours} h` : `${business.slaHours} opening hours`;
  const over = durationText(overdueMs(escalation, now));
  const link = `${publicUrl}/items/${item.id}`;
  const subject = `Reply overdue by ${over}: ${what} for ${businessName}`;
  const lead = `No one has answered this ${what} within ${businessName}'s SLA of ${sla}: the reply is ${over} overdue.`;
  const fields: Array<[string, string]> = [
    ['Business', businessName],
    ['Source', platform],
    ...(item.rating !== null ? [['Rating', starsOf(item.rating)] as [string, string]] : []),
    ['Author', item.author ?? 'unknown'],
    ['Published', alertDate(item.publishedAt ?? item.firstSeenAt)],
    ['Reply due within', sla],
    ['Overdue by', over],
  ];
  const words = item.title ? `${item.title}\n\n${item.body}` : item.body;
  const text = [lead, '', ...fields.map(([label, value]) => `${label}: ${value}`), '', words, '', `Answer it in Earshot: ${link}`].join('\n');
  const html = `<!doctype html>
<html><body style="font-family:sans-serif">
<p><strong>${escapeHtml(lead)}</strong></p>
<table>${fields.map(([label, value]) => `<tr><th align="left" style="padding-right:12px">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join('\n')}</table>
<blockquote style="border-left:3px solid #c33;padding-left:12px;white-space:pre-wrap">${escapeHtml(words)}</blockquote>
<p><a href="${escapeHtml(link)}">Answer it in Earshot</a></p>
</body></html>`;
  return { subject, text, html };
}

/** How far past its SLA the item is now, or was when answered after its escalation. */
function overdueMs(escalation: EscalationRecord, now: Date): number {
  const answeredAt = escalation.firstResponseAt;
  const at = answeredAt !== null && answeredAt < now ? answeredAt : now;
  const { business } = escalation;
  const item = { publishedAt: escalation.publishedAt, firstSeenAt: escalation.firstSeenAt, firstResponseAt: null, repliable: true };
  const status = slaStatus(item, { slaHours: business.slaHours, clock: openingClock(business.timezone, business.openingHours) }, at);
  // Only a business that lengthened its SLA since leaves nothing over.
  return status.kind === 'overdue' ? status.overMs : 0;
}

/** "45 min", "1 h", "3 h 20 min", "2 d 5 h". */
function durationText(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours >= 48) return `${Math.floor(hours / 24)} d ${hours % 24} h`;
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}
