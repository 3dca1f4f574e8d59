import { expect, test } from 'vitest';
import type { BusinessClockRow, ResponseFactRow } from '../../db/repositories/response-facts.ts';
import type { ItemKind, SentimentLabel } from '../../db/schema.ts';
import { packFactChunks } from '../../services/response-times/fact-chunk.ts';
import { CALENDAR_CLOCK, OpeningClocks } from '../../services/response-times/opening-clock.ts';
import type { OpeningHours } from '../../services/response-times/opening-hours.ts';
import { RESPONSE_TIME_GROUPINGS, type ResponseTimeGroup, type ResponseTimeQuery } from '../../services/response-times/response-time-query.ts';
import { responseTimeReport } from '../../services/response-times/response-time-report.ts';
import { percentileBySort as bySort, seededRandom } from '../support/reference-percentile.ts';

/**
 * The report reads sorted segments and positions instead of items; this checks it
 * against the definitions applied item by item, with a full sort for percentiles,
 * on random items and random queries.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const isoDay = (ms: number) => new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
function weekOf(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  return isoDay((day - ((day + 3) % 7)) * DAY_MS);
}

/** The figures, item by item. */
function itemByItem(businesses: BusinessClockRow[], rows: ResponseFactRow[], query: ResponseTimeQuery, clocks: OpeningClocks) {
  const settings = new Map(businesses.map((b) => [b.id, b]));
  const now = query.now.getTime();
  const groups = new Map<string | null, { items: number; responses: number[]; resolutions: number[]; overdue: number }>();
  const unrepliable = new Map<string, number>();
  for (const row of rows) {
    const business = settings.get(row.business_id);
    if (business === undefined) continue;
    if (query.businessIds.length > 0 && !query.businessIds.includes(row.business_id)) continue;
    if (query.from && row.cohort_ms < query.from.getTime()) continue;
    if (query.to && row.cohort_ms >= query.to.getTime()) continue;
    if (query.sourceType !== undefined && row.source_type !== query.sourceType) continue;
    if (query.kind !== undefined && row.kind !== query.kind) continue;
    if (query.sentiment !== undefined && row.sentiment_label !== query.sentiment) continue;
    if (query.flagged !== undefined && row.flagged !== query.flagged) continue;
    if (query.ratingMax !== undefined && (row.rating === null || row.rating > query.ratingMax)) continue;
    if (row.source_type === 'rss') {
      unrepliable.set('rss', (unrepliable.get('rss') ?? 0) + 1);
      continue;
    }
    const key = {
      business: row.business_id,
      source: row.source_type,
      week: weekOf(row.cohort_ms),
      month: row.cohort_month,
      responder: row.responder,
      'business,week': `${row.business_id}/${weekOf(row.cohort_ms)}`,
      'business,month': `${row.business_id}/${row.cohort_month}`,
    }[query.groupBy];
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { items: 0, responses: [], resolutions: [], overdue: 0 }));
    const clock = query.businessHours ? clocks.of(business.timezone, business.opening_hours as OpeningHours | null) : CALENDAR_CLOCK;
    group.items++;
    if (row.first_response_ms !== null) group.responses.push(clock.openMsBetween(row.cohort_ms, row.first_response_ms) / 1000);
    else if (clock.openMsBetween(row.cohort_ms, now) > business.sla_hours * HOUR_MS) group.overdue++;
    if (row.resolved_ms !== null) group.resolutions.push(clock.openMsBetween(row.cohort_ms, row.resolved_ms) / 1000);
  }
  const round = (value: number | null) => (value === null ? null : Math.round(value));
  const pct = (part: number, whole: number) => Math.round((part * 1000) / whole) / 10;
  const reported: ResponseTimeGroup[] = [...groups].map(([key, g]) => ({
    key,
    items: g.items,
    responded: g.responses.length,
    respondedPct: pct(g.responses.length, g.items),
    medianSeconds: round(bySort(g.responses, 0.5)),
    p90Seconds: round(bySort(g.responses, 0.9)),
    meanSeconds: g.responses.length === 0 ? null : Math.round(g.responses.reduce((a, b) => a + b, 0) / g.responses.length),
    within24hPct: pct(g.responses.filter((s) => s <= 86_400).length, g.items),
    within48hPct: pct(g.responses.filter((s) => s <= 172_800).length, g.items),
    open: g.items - g.responses.length,
    overdue: g.overdue,
    resolved: g.resolutions.length,
    medianResolutionSeconds: round(bySort(g.resolutions, 0.5)),
  }));
  reported.sort((a, b) => (a.key === b.key ? 0 : a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : 1));
  const total = [...unrepliable.values()].reduce((a, b) => a + b, 0);
  return { groups: reported, unrepliable: { items: total, sourceTypes: [...unrepliable].map(([sourceType, items]) => ({ sourceType, items })) } };
}

test('every figure, every grouping and filter, matches the definitions applied item by item', () => {
  const random = seededRandom(42);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const weekdays = { mon: [{ open: '09:00', close: '12:00' }, { open: '14:00', close: '18:00' }], fri: [{ open: '10:00', close: '24:00' }] };
  const businesses: BusinessClockRow[] = [
    { id: 'b1', name: 'One', timezone: 'Europe/Paris', opening_hours: weekdays, sla_hours: 24 },
    { id: 'b2', name: 'Two', timezone: 'America/New_York', opening_hours: { sat: [{ open: '08:00', close: '20:00' }] }, sla_hours: 4 },
    { id: 'b3', name: 'Three', timezone: 'UTC', opening_hours: null, sla_hours: 48 },
  ];
  // Mid-February to early May 2026: both DST changes, month and week boundaries.
  const start = Date.parse('2026-02-14T00:00:00Z');
  const span = 80 * DAY_MS;
  const now = start + span + 3 * DAY_MS;
  const boundaries = ['2026-02-16', '2026-03-01', '2026-03-02', '2026-03-30', '2026-04-01', '2026-04-06', '2026-05-01'].map((day) => Date.parse(`${day}T00:00:00Z`));
  const rows: ResponseFactRow[] = [];
  for (let n = 0; n < 3_000; n++) {
    // Whole hours now and then, so equal instants and equal durations occur; some exactly where a week or month starts.
    const cohort = n % 29 === 0 ? pick(boundaries) : n % 7 === 0 ? start + Math.floor((random() * span) / HOUR_MS) * HOUR_MS : start + random() * span;
    const answered = random() < 0.7;
    const responseAt = !answered ? null : n % 11 === 0 ? cohort - random() * HOUR_MS : cohort + random() ** 3 * 20 * DAY_MS;
    rows.push({
      business_id: pick(['b1', 'b2', 'b3']),
      cohort_month: `${new Date(cohort).toISOString().slice(0, 7)}-01`,
      cohort_ms: cohort,
      first_response_ms: n % 13 === 0 && answered ? cohort : responseAt,
      resolved_ms: random() < 0.3 ? cohort + random() * 15 * DAY_MS : null,
      source_type: pick(['google_places', 'trustpilot', 'rss']),
      kind: pick<ItemKind>(['review', 'mention']),
      sentiment_label: pick<SentimentLabel | null>([null, 'negative', 'neutral', 'positive', 'unknown']),
      flagged: random() < 0.4,
      rating: pick([null, 1, 2, 3, 4, 5]),
      responder: answered ? pick(['platform', 'key:alice', 'key:bob']) : null,
    });
  }
  const chunks = [...packFactChunks(rows).values()];
  const clocks = new OpeningClocks();
  const instant = () => new Date(random() < 0.2 ? pick(boundaries) : start + random() * span);

  for (let round = 0; round < 300; round++) {
    const from = random() < 0.5 ? instant() : undefined;
    const to = random() < 0.5 ? instant() : undefined;
    const query: ResponseTimeQuery = {
      businessIds: random() < 0.3 ? [pick(['b1', 'b2', 'b3'])] : [],
      sourceType: random() < 0.2 ? pick(['google_places', 'rss', 'yelp']) : undefined,
      kind: random() < 0.2 ? pick<ItemKind>(['review', 'mention']) : undefined,
      sentiment: random() < 0.2 ? pick<SentimentLabel>(['negative', 'neutral', 'positive', 'unknown']) : undefined,
      flagged: random() < 0.2 ? random() < 0.5 : undefined,
      ratingMax: random() < 0.2 ? pick([1, 2, 3, 4, 5]) : undefined,
      from: from && to && from > to ? to : from,
      to: from && to && from > to ? from : to,
      businessHours: random() < 0.5,
      groupBy: pick(RESPONSE_TIME_GROUPINGS),
      now: new Date(now - random() * 20 * DAY_MS),
    };
    const expected = itemByItem(businesses, rows, query, clocks);
    expect(responseTimeReport({ businesses, chunks, clocks }, query), JSON.stringify(query)).toEqual(expected);
  }
});

test('a chunk keeps its opening-hours durations for one clock and measures again for another', () => {
  const rows: ResponseFactRow[] = [
    {
      business_id: 'b', cohort_month: '2026-03-01', cohort_ms: Date.parse('2026-03-02T08:00:00Z'),
      first_response_ms: Date.parse('2026-03-02T12:00:00Z'), resolved_ms: null,
      source_type: 'google_places', kind: 'review', sentiment_label: 'negative', flagged: true, rating: 1, responder: 'platform',
    },
  ];
  const chunks = [...packFactChunks(rows).values()];
  const clocks = new OpeningClocks();
  const query: ResponseTimeQuery = { businessIds: [], businessHours: true, groupBy: 'business', now: new Date('2026-03-10T00:00:00Z') };
  const business = (hours: OpeningHours): BusinessClockRow => ({ id: 'b', name: 'B', timezone: 'UTC', opening_hours: hours, sla_hours: 24 });
  const mornings = responseTimeReport({ businesses: [business({ mon: [{ open: '09:00', close: '11:00' }] })], chunks, clocks }, query);
  const allDay = responseTimeReport({ businesses: [business({ mon: [{ open: '00:00', close: '24:00' }] })], chunks, clocks }, query);
  expect(mornings.groups[0]!.medianSeconds).toBe(2 * 3_600);
  expect(allDay.groups[0]!.medianSeconds).toBe(4 * 3_600);
});
