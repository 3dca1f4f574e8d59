import { escapeHtml } from '../alert-email.ts';
import { starsOf } from '../channels/item-facts.ts';
import { countsByStars, countsByTopic } from './digest-counts.ts';
import { firstLine, type DigestItem } from './digest-item.ts';
import type { DigestCadence } from './digest-schedule.ts';

/**
 * A digest as a message: its title, its plain text (every channel's fallback) and an
 * email-safe HTML body (tables and inline styles only: mail clients drop stylesheets and
 * classes). What it says, in order: how many items and of which stars, what the complaints
 * were about, what could not be judged, what is still unanswered, then what was answered,
 * each item with a link to its page. Pure: the caller reads the items and the period.
 */

export interface DigestContent {
  businessName: string;
  cadence: DigestCadence;
  /** The period the digest covers (services/alerts/digests/digest-schedule.ts). */
  period: { start: Date; end: Date };
  /** The business's time zone: the period and dates are shown in it. */
  timeZone: string;
  items: readonly DigestItem[];
  /** Earshot's inbox, where a list cut short goes on. */
  inboxUrl: string;
}

export interface RenderedDigest {
  /** One line: the email subject, the notification title. */
  title: string;
  text: string;
  html: string;
}

/** Items listed per section at most; a digest is a summary, the inbox has the rest. */
export const DIGEST_SECTION_LIMIT = 25;

interface Section {
  heading: string;
  /** One sentence under the heading saying what the section is for. */
  note: string;
  items: DigestItem[];
  /** Marks which items of the section are answered, where the section mixes both. */
  markAnswered: boolean;
}

const CADENCE_NAMES: Record<DigestCadence, string> = { daily: 'Daily', weekly: 'Weekly' };

/** The digest to send, or null when the period brought nothing: an empty digest is not sent. */
export function renderDigest(content: DigestContent): RenderedDigest | null {
  if (content.items.length === 0) return null;
  const unjudged = content.items.filter((item) => item.sentiment === 'unknown');
  const judged = content.items.filter((item) => item.sentiment !== 'unknown');
  const unanswered = content.items.filter((item) => !item.answered);
  const sections: Section[] = [
    { heading: 'Could not be judged — please look', note: 'Earshot could not tell whether these are good or bad (a language it does not read yet).', items: unjudged, markAnswered: true },
    { heading: 'Still unanswered', note: 'Lowest stars first, then the oldest.', items: judged.filter((item) => !item.answered), markAnswered: false },
    { heading: 'Answered', note: 'Already responded to or resolved.', items: judged.filter((item) => item.answered), markAnswered: false },
  ]
    .filter((section) => section.items.length > 0)
    .map((section) => ({ ...section, items: worstFirst(section.items) }));

  const title = `${CADENCE_NAMES[content.cadence]} digest for ${content.businessName}: ${content.items.length} new, ${
    unanswered.length === 0 ? 'all answered' : `${unanswered.length} still unanswered`
  }`;
  const complaints = countsByTopic(content.items);
  const summary = [
    `${content.items.length} new: ${countsByStars(content.items).join(', ')}.`,
    ...(complaints.length === 0 ? [] : [`${sentenceCase(complaints.join(', '))}.`]),
    unanswered.length === 0 ? 'Everything is answered.' : `${unanswered.length} still unanswered.`,
    ...(unjudged.length === 0 ? [] : [`${unjudged.length} could not be judged — please look.`]),
  ];
  const dates = dateFormats(content.timeZone);
  const periodLine = `${dates.moment.format(content.period.start)} to ${dates.moment.format(content.period.end)} (${content.timeZone})`;
  return {
    title,
    text: renderText(content, sections, summary, periodLine, dates.day),
    html: renderHtml(content, sections, summary, periodLine, dates.day),
  };
}

function renderText(content: DigestContent, sections: readonly Section[], summary: readonly string[], periodLine: string, day: Intl.DateTimeFormat): string {
  const lines = [`${CADENCE_NAMES[content.cadence]} digest for ${content.businessName}`, periodLine, '', ...summary];
  for (const section of sections) {
    lines.push('', `${section.heading} (${section.items.length})`, section.note);
    for (const item of section.items.slice(0, DIGEST_SECTION_LIMIT)) {
      lines.push(`- ${itemHeadline(item, day)}${section.markAnswered && item.answered ? ' · answered' : ''}`, `  "${firstLine(item)}"`, `  ${item.itemUrl}`);
    }
    const more = section.items.length - DIGEST_SECTION_LIMIT;
    if (more > 0) lines.push(`…and ${more} more in the inbox: ${content.inboxUrl}`);
  }
  lines.push('', `Open the inbox: ${content.inboxUrl}`);
  return lines.join('\n');
}

const CELL = 'padding:6px 12px 6px 0;vertical-align:top;text-align:left';

function renderHtml(content: DigestContent, sections: readonly Section[], summary: readonly string[], periodLine: string, day: Intl.DateTimeFormat): string {
  const body = sections.map((section) => {
    const rows = section.items.slice(0, DIGEST_SECTION_LIMIT).map((item) => {
      const answered = section.markAnswered && item.answered ? ' · answered' : '';
      return `<tr><td style="${CELL};white-space:nowrap">${escapeHtml(ratingOf(item))}</td><td style="${CELL}">${escapeHtml(`${sourceOf(item)} · ${item.author ?? 'unknown'} · ${day.format(item.publishedAt)}${answered}`)}<br><a href="${escapeHtml(item.itemUrl)}">${escapeHtml(firstLine(item))}</a></td></tr>`;
    });
    const more = section.items.length - DIGEST_SECTION_LIMIT;
    const moreLine = more > 0 ? `<p>…and ${more} more <a href="${escapeHtml(content.inboxUrl)}">in the inbox</a>.</p>` : '';
    return `<h2 style="font-size:18px;margin:24px 0 4px">${escapeHtml(`${section.heading} (${section.items.length})`)}</h2>
<p style="margin:0 0 8px;color:#555555">${escapeHtml(section.note)}</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0">${rows.join('\n')}</table>
${moreLine}`;
  });
  return `<!doctype html>
<html><body style="font-family:sans-serif;line-height:1.4">
<h1 style="font-size:22px;margin:0 0 4px">${escapeHtml(`${CADENCE_NAMES[content.cadence]} digest for ${content.businessName}`)}</h1>
<p style="margin:0 0 16px;color:#555555">${escapeHtml(periodLine)}</p>
${summary.map((line) => `<p style="margin:0 0 4px">${escapeHtml(line)}</p>`).join('\n')}
${body.join('\n')}
<p style="margin-top:24px"><a href="${escapeHtml(content.inboxUrl)}">Open the inbox in Earshot</a></p>
</body></html>`;
}

/** "Google review · ★★☆☆☆ (2/5) · Pat · 29 Mar"; an unrated item leaves its stars out. */
function itemHeadline(item: DigestItem, day: Intl.DateTimeFormat): string {
  const stars = item.rating === null ? [] : [starsOf(item.rating)];
  return [sourceOf(item), ...stars, item.author ?? 'unknown', day.format(item.publishedAt)].join(' · ');
}

function ratingOf(item: DigestItem): string {
  return item.rating === null ? 'no stars' : starsOf(item.rating);
}

function sourceOf(item: DigestItem): string {
  return item.kind === 'mention' ? `${item.sourceName} mention` : `${item.sourceName} review`;
}

/** Lowest stars first (unrated last), then the oldest: what needs an answer soonest leads. */
function worstFirst(items: readonly DigestItem[]): DigestItem[] {
  return [...items].sort((a, b) => (a.rating ?? 6) - (b.rating ?? 6) || a.publishedAt.getTime() - b.publishedAt.getTime() || a.itemId.localeCompare(b.itemId));
}

function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function dateFormats(timeZone: string): { moment: Intl.DateTimeFormat; day: Intl.DateTimeFormat } {
  return {
    // "Sun, 29 Mar 2026, 03:30"
    moment: new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
    // "29 Mar"
    day: new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short' }),
  };
}
