import { escapeHtml } from '../alert-email.ts';
import type { RenderedBusinessMessage } from '../business-deliveries.ts';
import { starsOf } from '../channels/item-facts.ts';
import { firstLine, type DigestItem } from '../digests/digest-item.ts';
import { BAD_COLOUR, chartHtml, chartText, OTHER_COLOUR, type ChartWeek } from './weekly-report-chart.ts';

/**
 * The weekly report as a message: "the weekly picture" an owner reads on Monday morning.
 * What it says, in order: what came in this week, the average rating against the four
 * weeks before, how much was answered and how fast, re-reviews asked for and revised, a
 * chart of the last weeks, then the bad items still waiting for an answer with links.
 * A week with nothing in it says so plainly; the report still goes, so a silent week is
 * told from a broken one. Title, plain text and email-safe HTML (tables and inline styles
 * only: mail clients drop stylesheets, classes and scripts). Pure: the figures are read
 * by weekly-report-figures.ts.
 */

/** One week's items, by published time; `rated`/`ratingSum` add up over several weeks. */
export interface ReportWeek {
  start: Date;
  end: Date;
  reviews: number;
  mentions: number;
  bad: number;
  rated: number;
  ratingSum: number;
}

/** This week's response-time figures, as GET /v1/metrics/response-times gives them for the week's items. */
export interface ReportResponses {
  /** Items published this week that can be answered. */
  items: number;
  responded: number;
  /** The API's share, one decimal; null when there are no items. */
  respondedPct: number | null;
  /** Over answered items only; null when none is answered. */
  medianSeconds: number | null;
  /** Items from sources that take no answer (news, blogs), left out of the figures. */
  unrepliable: number;
  /** Durations count only the business's opening hours (it has some set). */
  openingHoursOnly: boolean;
}

export interface ReportReReviews {
  /** Customers asked this week to update their review. */
  requested: number;
  /** Reviews revised this week after such a request. */
  revised: number;
  /** How the stars of those revised moved, on average; null when none had stars before and after. */
  averageRatingChange: number | null;
}

export interface WeeklyReportContent {
  businessName: string;
  /** The business's time zone: dates are shown in it. */
  timeZone: string;
  /** The chart's weeks, oldest first; the last is the report's own week. */
  weeks: readonly ReportWeek[];
  responses: ReportResponses;
  reReviews: ReportReReviews;
  /** The bad items waiting for an answer now (the inbox's "Needs reply"): how many, and the first few. */
  waiting: { total: number; items: readonly DigestItem[] };
  /** The business's "Needs reply" in Earshot's inbox. */
  inboxUrl: string;
}

/** The four weeks the report's average rating is compared with. */
const WEEKS_COMPARED = 4;

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function thisWeekOf(weeks: readonly ReportWeek[]): ReportWeek {
  const week = weeks.at(-1);
  if (week === undefined) throw new RangeError('a weekly report needs its week');
  return week;
}

/** An average of stars to one decimal: "4.2", "3.0". */
function averageOf(rated: number, ratingSum: number): string | null {
  return rated === 0 ? null : (ratingSum / rated).toFixed(1);
}

/** "12 reviews and 3 mentions this week (2 bad)."; an empty week says so. */
export function receivedWords(week: ReportWeek): string {
  const parts = [...(week.reviews > 0 ? [plural(week.reviews, 'review', 'reviews')] : []), ...(week.mentions > 0 ? [plural(week.mentions, 'mention', 'mentions')] : [])];
  if (parts.length === 0) return 'No new reviews or mentions this week.';
  return `${parts.join(' and ')} this week${week.bad > 0 ? ` (${week.bad} bad)` : ''}.`;
}

/** The week's average rating against the four weeks before it, each over the stars given in it. */
export function ratingWords(weeks: readonly ReportWeek[]): string {
  const week = thisWeekOf(weeks);
  const before = weeks.slice(-1 - WEEKS_COMPARED, -1);
  const now = averageOf(week.rated, week.ratingSum);
  const then = averageOf(
    before.reduce((sum, w) => sum + w.rated, 0),
    before.reduce((sum, w) => sum + w.ratingSum, 0),
  );
  if (now === null) return then === null ? 'No rated reviews this week or in the four weeks before.' : `No rated reviews this week; ${then} on average over the four weeks before.`;
  const average = `Average rating ${now} from ${plural(week.rated, 'rated review', 'rated reviews')}`;
  if (then === null) return `${average}; no rated reviews in the four weeks before to compare with.`;
  const change = Number(now) > Number(then) ? `up from ${then}` : Number(now) < Number(then) ? `down from ${then}` : `the same as`;
  return `${average}, ${change} over the four weeks before${change === 'the same as' ? ` (${then})` : ''}.`;
}

/** "3 hours 20 minutes", "45 minutes", "2 days 5 hours": as precise as a weekly summary needs. */
export function durationWords(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return plural(minutes, 'minute', 'minutes');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? plural(hours, 'hour', 'hours') : `${plural(hours, 'hour', 'hours')} ${plural(minutes % 60, 'minute', 'minutes')}`;
  const roundHours = Math.round(minutes / 60);
  const days = Math.floor(roundHours / 24);
  return roundHours % 24 === 0 ? plural(days, 'day', 'days') : `${plural(days, 'day', 'days')} ${plural(roundHours % 24, 'hour', 'hours')}`;
}

/** The answered share and median response time of the week's items, with what they leave out. */
export function answeredWords(responses: ReportResponses): string {
  const notes = [
    ...(responses.unrepliable > 0 ? [`${plural(responses.unrepliable, 'news or blog item takes', 'news or blog items take')} no answer and ${responses.unrepliable === 1 ? 'is' : 'are'} left out.`] : []),
    ...(responses.openingHoursOnly && responses.medianSeconds !== null ? ['Response times count opening hours only.'] : []),
  ];
  let main: string;
  if (responses.items === 0) main = 'Nothing this week to answer.';
  else if (responses.responded === 0) main = `None of this week’s ${plural(responses.items, 'item', 'items')} answered yet.`;
  else {
    const share = `${responses.responded} of ${responses.items} answered (${responses.respondedPct ?? 0}%)`;
    main = responses.medianSeconds === null ? `${share}.` : `${share}, in ${durationWords(responses.medianSeconds)} at the median.`;
  }
  return [main, ...notes].join(' ');
}

/** Re-reviews asked for this week and reviews revised this week. */
export function reReviewWords(reReviews: ReportReReviews): string {
  if (reReviews.requested === 0 && reReviews.revised === 0) return 'No re-reviews asked for or revised this week.';
  const asked = reReviews.requested === 0 ? 'No customer asked to re-review' : `${plural(reReviews.requested, 'customer', 'customers')} asked to re-review`;
  const change = reReviews.averageRatingChange;
  const amount = change === null ? 0 : Number(Math.abs(change).toFixed(1));
  const stars =
    change === null || reReviews.revised === 0 ? ''
    : amount === 0 ? ', rating unchanged on average'
    : `, rating ${change > 0 ? 'up' : 'down'} ${amount} ${amount === 1 ? 'star' : 'stars'} on average`;
  const revised = reReviews.revised === 0 ? 'none revised yet' : `${plural(reReviews.revised, 'review', 'reviews')} revised${stars}`;
  return `${asked}; ${revised}.`;
}

/** "3 bad items waiting for an answer, the worst first:" or that none is. */
export function waitingWords(total: number): string {
  return total === 0 ? 'No bad items waiting for an answer.' : `${plural(total, 'bad item', 'bad items')} waiting for an answer, the worst first:`;
}

export function renderWeeklyReport(content: WeeklyReportContent): RenderedBusinessMessage {
  const week = thisWeekOf(content.weeks);
  const dates = dateFormats(content.timeZone);
  const received = week.reviews + week.mentions;
  const headline = [
    received === 0 ? 'nothing new' : `${received} new`,
    ...(week.bad > 0 ? [`${week.bad} bad`] : []),
    ...(content.waiting.total > 0 ? [`${content.waiting.total} waiting for an answer`] : []),
  ].join(', ');
  const heading = `Weekly report for ${content.businessName}`;
  const periodLine = `${dates.moment.format(week.start)} to ${dates.moment.format(week.end)} (${content.timeZone})`;
  const figures: Array<[string, string]> = [
    ['Received', receivedWords(week)],
    ['Rating', ratingWords(content.weeks)],
    ['Answered', answeredWords(content.responses)],
    ['Re-reviews', reReviewWords(content.reReviews)],
  ];
  const chart: ChartWeek[] = content.weeks.map((w) => ({ label: dates.day.format(w.start), total: w.reviews + w.mentions, bad: w.bad }));
  const rendered = { heading, periodLine, figures, chart };
  return {
    title: `${heading} (week to ${dates.day.format(week.end)}): ${headline}`,
    text: renderText(content, rendered, dates.day),
    html: renderHtml(content, rendered, dates.day),
  };
}

interface Rendered {
  heading: string;
  periodLine: string;
  figures: ReadonlyArray<[string, string]>;
  chart: ChartWeek[];
}

const chartCaption = (weeks: number) => `Reviews and mentions received in each of the last ${weeks} weeks; the bad ones at the foot of each bar.`;

function renderText(content: WeeklyReportContent, rendered: Rendered, day: Intl.DateTimeFormat): string {
  const lines = [rendered.heading, rendered.periodLine, '', ...rendered.figures.map(([label, words]) => `${label}: ${words}`)];
  lines.push('', chartCaption(rendered.chart.length), ...chartText(rendered.chart));
  lines.push('', waitingWords(content.waiting.total));
  for (const item of content.waiting.items) lines.push(`- ${itemHeadline(item, day)}`, `  "${firstLine(item)}"`, `  ${item.itemUrl}`);
  const more = content.waiting.total - content.waiting.items.length;
  if (more > 0) lines.push(`…and ${more} more in the inbox.`);
  lines.push('', `Open the inbox: ${content.inboxUrl}`, '', footer(content));
  return lines.join('\n');
}

const CELL = 'padding:6px 12px 6px 0;vertical-align:top;text-align:left';
const H2 = 'font-size:18px;margin:24px 0 4px';

function renderHtml(content: WeeklyReportContent, rendered: Rendered, day: Intl.DateTimeFormat): string {
  const figureRows = rendered.figures.map(([label, words]) => `<tr><td style="${CELL};font-weight:bold;white-space:nowrap">${escapeHtml(label)}</td><td style="${CELL}">${escapeHtml(words)}</td></tr>`);
  const itemRows = content.waiting.items.map(
    (item) =>
      `<tr><td style="${CELL};white-space:nowrap">${escapeHtml(item.rating === null ? 'no stars' : starsOf(item.rating))}</td><td style="${CELL}">${escapeHtml(itemHeadline({ ...item, rating: null }, day))}<br><a href="${escapeHtml(item.itemUrl)}">${escapeHtml(firstLine(item))}</a></td></tr>`,
  );
  const more = content.waiting.total - content.waiting.items.length;
  const inbox = escapeHtml(content.inboxUrl);
  return `<!doctype html>
<html><body style="font-family:sans-serif;line-height:1.4;color:#222222">
<h1 style="font-size:22px;margin:0 0 4px">${escapeHtml(rendered.heading)}</h1>
<p style="margin:0 0 16px;color:#555555">${escapeHtml(rendered.periodLine)}</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0">${figureRows.join('\n')}</table>
<h2 style="${H2}">The last ${rendered.chart.length} weeks</h2>
<p style="margin:0 0 8px;color:#555555">${escapeHtml(chartCaption(rendered.chart.length))} <span style="color:${BAD_COLOUR}">&#9632;</span> bad <span style="color:${OTHER_COLOUR}">&#9632;</span> the rest</p>
${chartHtml(rendered.chart)}
<h2 style="${H2}">Waiting for an answer</h2>
<p style="margin:0 0 8px">${escapeHtml(waitingWords(content.waiting.total))}</p>
${itemRows.length === 0 ? '' : `<table role="presentation" cellpadding="0" cellspacing="0" border="0">${itemRows.join('\n')}</table>`}
${more > 0 ? `<p>…and ${more} more <a href="${inbox}">in the inbox</a>.</p>` : ''}
<p style="margin-top:24px"><a href="${inbox}">Open the inbox in Earshot</a></p>
<p style="margin-top:24px;font-size:12px;color:#777777">${escapeHtml(footer(content))}</p>
</body></html>`;
}

function footer(content: WeeklyReportContent): string {
  return `The weekly report of ${content.businessName} is sent every week; it can be turned off in the business's settings in Earshot.`;
}

/** "Google review · ★★☆☆☆ (2/5) · Pat · 29 Mar"; an unrated item leaves its stars out. */
function itemHeadline(item: DigestItem, day: Intl.DateTimeFormat): string {
  const source = `${item.sourceName} ${item.kind}`;
  return [source, ...(item.rating === null ? [] : [starsOf(item.rating)]), item.author ?? 'unknown', day.format(item.publishedAt)].join(' · ');
}

function dateFormats(timeZone: string): { moment: Intl.DateTimeFormat; day: Intl.DateTimeFormat } {
  return {
    // "Mon, 30 Mar 2026, 08:00"
    moment: new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
    // "30 Mar"
    day: new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short' }),
  };
}
