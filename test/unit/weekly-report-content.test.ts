import { describe, expect, test } from 'vitest';
import type { DigestItem } from '../../services/alerts/digests/digest-item.ts';
import { reportWeeks } from '../../services/alerts/weekly-report/report-weeks.ts';
import { BAD_COLOUR, barParts, CHART_HEIGHT_PX, chartHtml, chartText, OTHER_COLOUR } from '../../services/alerts/weekly-report/weekly-report-chart.ts';
import {
  answeredWords,
  durationWords,
  ratingWords,
  receivedWords,
  renderWeeklyReport,
  reReviewWords,
  waitingWords,
  type ReportResponses,
  type ReportWeek,
  type WeeklyReportContent,
} from '../../services/alerts/weekly-report/weekly-report-content.ts';

/** The twelve weeks of the report due Monday 30 March 2026, 08:00 in London; `figures` fill the newest of them, the last being the report's own week. */
const PERIODS = reportWeeks('weekly:2026-03-30', { at: '08:00', timeZone: 'Europe/London' });
function weeks(...figures: Array<Partial<ReportWeek>>): ReportWeek[] {
  return PERIODS.map((period, index) => ({
    start: period.start,
    end: period.end,
    reviews: 0,
    mentions: 0,
    bad: 0,
    rated: 0,
    ratingSum: 0,
    ...figures[index - (PERIODS.length - figures.length)],
  }));
}

const noResponses: ReportResponses = { items: 0, responded: 0, respondedPct: null, medianSeconds: null, unrepliable: 0, openingHoursOnly: false };

function waitingItem(overrides: Partial<DigestItem> = {}): DigestItem {
  return {
    itemId: '00000000-0000-4000-8000-000000000001',
    kind: 'review',
    sourceName: 'Google',
    rating: 1,
    sentiment: 'negative',
    topics: ['wait'],
    author: 'Pat',
    title: null,
    text: 'We waited an hour for cold soup.',
    publishedAt: new Date('2026-03-28T12:00:00Z'),
    itemUrl: 'https://earshot.example.com/items/00000000-0000-4000-8000-000000000001',
    answered: false,
    ...overrides,
  };
}

function content(overrides: Partial<WeeklyReportContent> = {}): WeeklyReportContent {
  return {
    businessName: 'Café Luna',
    timeZone: 'Europe/London',
    weeks: weeks({ reviews: 4, mentions: 1, bad: 1, rated: 4, ratingSum: 16 }, { reviews: 6, mentions: 2, bad: 2, rated: 6, ratingSum: 21 }),
    responses: { items: 8, responded: 6, respondedPct: 75, medianSeconds: 3 * 3600 + 20 * 60, unrepliable: 0, openingHoursOnly: false },
    reReviews: { requested: 2, revised: 1, averageRatingChange: 3 },
    waiting: { total: 1, items: [waitingItem()] },
    inboxUrl: 'https://earshot.example.com/?business=b1',
    ...overrides,
  };
}

describe('figures in words', () => {
  test('what came in: reviews and mentions with the bad ones, or plainly nothing', () => {
    const [week] = weeks({ reviews: 12, mentions: 3, bad: 2 }).slice(-1);
    expect(receivedWords(week!)).toBe('12 reviews and 3 mentions this week (2 bad).');
    expect(receivedWords({ ...week!, reviews: 1, mentions: 0, bad: 0 })).toBe('1 review this week.');
    expect(receivedWords({ ...week!, reviews: 0, mentions: 1, bad: 1 })).toBe('1 mention this week (1 bad).');
    expect(receivedWords({ ...week!, reviews: 0, mentions: 0, bad: 0 })).toBe('No new reviews or mentions this week.');
  });

  test('the average rating against the four weeks before, over the stars given in them (not an average of averages)', () => {
    // Before: 5 stars once, then 2+2+2 — 11 over 4 is 2.75, where averaging the weekly averages would say 3.5.
    const before = [{ rated: 1, ratingSum: 5 }, { rated: 3, ratingSum: 6 }, {}, {}];
    expect(ratingWords(weeks(...before, { rated: 2, ratingSum: 9 }))).toBe('Average rating 4.5 from 2 rated reviews, up from 2.8 over the four weeks before.');
    expect(ratingWords(weeks(...before, { rated: 1, ratingSum: 1 }))).toBe('Average rating 1.0 from 1 rated review, down from 2.8 over the four weeks before.');
    expect(ratingWords(weeks({ rated: 2, ratingSum: 8 }, {}, {}, {}, { rated: 1, ratingSum: 4 }))).toBe(
      'Average rating 4.0 from 1 rated review, the same as over the four weeks before (4.0).',
    );
    expect(ratingWords(weeks({ rated: 2, ratingSum: 7 }, {}, {}, {}, {}))).toBe('No rated reviews this week; 3.5 on average over the four weeks before.');
    expect(ratingWords(weeks({ rated: 3, ratingSum: 12 }))).toBe('Average rating 4.0 from 3 rated reviews; no rated reviews in the four weeks before to compare with.');
    expect(ratingWords(weeks())).toBe('No rated reviews this week or in the four weeks before.');
  });

  test('a week five weeks back is not one of the four compared with', () => {
    expect(ratingWords(weeks({ rated: 1, ratingSum: 1 }, {}, {}, {}, {}, { rated: 1, ratingSum: 5 }))).toBe(
      'Average rating 5.0 from 1 rated review; no rated reviews in the four weeks before to compare with.',
    );
  });

  test('durations as a person says them', () => {
    expect(durationWords(20)).toBe('under a minute');
    expect(durationWords(60)).toBe('1 minute');
    expect(durationWords(45 * 60)).toBe('45 minutes');
    expect(durationWords(3600)).toBe('1 hour');
    expect(durationWords(3 * 3600 + 20 * 60)).toBe('3 hours 20 minutes');
    expect(durationWords(47 * 3600 + 59 * 60)).toBe('47 hours 59 minutes');
    expect(durationWords(2 * 86_400 + 5 * 3600)).toBe('2 days 5 hours');
    expect(durationWords(3 * 86_400)).toBe('3 days');
  });

  test('the answered share and median, with what is left out and how time is counted', () => {
    expect(answeredWords({ ...noResponses, items: 10, responded: 8, respondedPct: 80, medianSeconds: 5400 })).toBe('8 of 10 answered (80%), in 1 hour 30 minutes at the median.');
    expect(answeredWords({ ...noResponses, items: 3, responded: 2, respondedPct: 66.7, medianSeconds: 600, unrepliable: 1, openingHoursOnly: true })).toBe(
      '2 of 3 answered (66.7%), in 10 minutes at the median. 1 news or blog item takes no answer and is left out. Response times count opening hours only.',
    );
    expect(answeredWords({ ...noResponses, items: 4, respondedPct: 0 })).toBe('None of this week’s 4 items answered yet.');
    expect(answeredWords({ ...noResponses, unrepliable: 2 })).toBe('Nothing this week to answer. 2 news or blog items take no answer and are left out.');
    expect(answeredWords(noResponses)).toBe('Nothing this week to answer.');
  });

  test('re-reviews asked for and revised, and how the stars moved', () => {
    expect(reReviewWords({ requested: 2, revised: 1, averageRatingChange: 3 })).toBe('2 customers asked to re-review; 1 review revised, rating up 3 stars on average.');
    expect(reReviewWords({ requested: 1, revised: 2, averageRatingChange: 1.25 })).toBe('1 customer asked to re-review; 2 reviews revised, rating up 1.3 stars on average.');
    expect(reReviewWords({ requested: 0, revised: 1, averageRatingChange: -1 })).toBe('No customer asked to re-review; 1 review revised, rating down 1 star on average.');
    expect(reReviewWords({ requested: 3, revised: 0, averageRatingChange: null })).toBe('3 customers asked to re-review; none revised yet.');
    expect(reReviewWords({ requested: 0, revised: 1, averageRatingChange: null })).toBe('No customer asked to re-review; 1 review revised.');
    expect(reReviewWords({ requested: 0, revised: 0, averageRatingChange: null })).toBe('No re-reviews asked for or revised this week.');
  });

  test('what is waiting for an answer', () => {
    expect(waitingWords(0)).toBe('No bad items waiting for an answer.');
    expect(waitingWords(1)).toBe('1 bad item waiting for an answer, the worst first:');
  });
});

describe('the chart', () => {
  const chart = [
    { label: '2 Mar', total: 10, bad: 2 },
    { label: '9 Mar', total: 0, bad: 0 },
    { label: '16 Mar', total: 5, bad: 5 },
    { label: '23 Mar', total: 1, bad: 0 },
  ];

  test('bars are as tall as their week against the busiest, the bad part at the foot', () => {
    expect(barParts(chart[0]!, 10)).toEqual({ bad: 16, other: CHART_HEIGHT_PX - 16 });
    expect(barParts(chart[1]!, 10)).toEqual({ bad: 0, other: 0 });
    expect(barParts(chart[2]!, 10)).toEqual({ bad: 40, other: 0 });
    expect(barParts(chart[3]!, 10)).toEqual({ bad: 0, other: 8 });
    // One bad item among a thousand still shows.
    expect(barParts({ label: '', total: 1000, bad: 1 }, 1000)).toEqual({ bad: 2, other: 78 });
  });

  test('is one email-safe table of cells with heights and colours: no image, class, style sheet or script', () => {
    const html = chartHtml(chart);
    expect(html).not.toMatch(/<img|<svg|<script|<style|class=|url\(|data:/i);
    expect(html.match(/<table/g)).toHaveLength(1 + chart.length);
    // Each column: its number above its bar, its day below.
    const heights = [...html.matchAll(/<td height="(\d+)" bgcolor="(#[0-9a-f]{6})"/g)].map((match) => [Number(match[1]), match[2]]);
    expect(heights).toEqual([
      [CHART_HEIGHT_PX - 16, OTHER_COLOUR],
      [16, BAD_COLOUR],
      [1, '#dddddd'],
      [40, BAD_COLOUR],
      [8, OTHER_COLOUR],
    ]);
    for (const week of chart) expect(html).toContain(`>${week.total}</td>`);
    expect([...html.matchAll(/white-space:nowrap">([^<]+)</g)].map((match) => match[1])).toEqual(['2 Mar', '9 Mar', '16 Mar', '23 Mar']);
  });

  test('in plain text, one line per week with the same numbers', () => {
    expect(chartText(chart)).toEqual(['2 Mar   ████████████████████ 10 (2 bad)', '9 Mar   0', '16 Mar  ██████████ 5 (5 bad)', '23 Mar  ██ 1']);
  });
});

describe('the report', () => {
  test('title, period in the business’s zone, figures, the twelve weeks and the waiting items with links', () => {
    const report = renderWeeklyReport(content());
    expect(report.title).toBe('Weekly report for Café Luna (week to 30 Mar): 8 new, 2 bad, 1 waiting for an answer');
    // The week across the clock change: 08:00 GMT to 08:00 BST.
    expect(report.text).toContain('Mon, 23 Mar 2026, 08:00 to Mon, 30 Mar 2026, 08:00 (Europe/London)');
    for (const line of [
      'Received: 6 reviews and 2 mentions this week (2 bad).',
      'Rating: Average rating 3.5 from 6 rated reviews, down from 4.0 over the four weeks before.',
      'Answered: 6 of 8 answered (75%), in 3 hours 20 minutes at the median.',
      'Re-reviews: 2 customers asked to re-review; 1 review revised, rating up 3 stars on average.',
      '1 bad item waiting for an answer, the worst first:',
      '- Google review · ★☆☆☆☆ (1/5) · Pat · 28 Mar',
      '  "We waited an hour for cold soup."',
      '  https://earshot.example.com/items/00000000-0000-4000-8000-000000000001',
      'Open the inbox: https://earshot.example.com/?business=b1',
    ]) {
      expect(report.text.split('\n')).toContain(line);
    }
    expect(report.text).toContain('Reviews and mentions received in each of the last 12 weeks');
    expect(report.text).toContain('16 Mar  █████████████ 5 (1 bad)');
    expect(report.html).toContain('Average rating 3.5 from 6 rated reviews, down from 4.0 over the four weeks before.');
    expect(report.html).toContain('<a href="https://earshot.example.com/items/00000000-0000-4000-8000-000000000001">We waited an hour for cold soup.</a>');
    expect(report.html).toContain('>The last 12 weeks</h2>');
    expect(report.html.match(/<td valign="bottom"/g)).toHaveLength(12);
  });

  test('a week with nothing in it says so plainly, and is still a report', () => {
    const report = renderWeeklyReport(content({ weeks: weeks(), responses: noResponses, reReviews: { requested: 0, revised: 0, averageRatingChange: null }, waiting: { total: 0, items: [] } }));
    expect(report.title).toBe('Weekly report for Café Luna (week to 30 Mar): nothing new');
    for (const words of ['No new reviews or mentions this week.', 'No rated reviews this week or in the four weeks before.', 'Nothing this week to answer.', 'No bad items waiting for an answer.']) {
      expect(report.text).toContain(words);
      expect(report.html).toContain(words);
    }
  });

  test('more waiting than listed points to the inbox for the rest', () => {
    const report = renderWeeklyReport(content({ waiting: { total: 14, items: [waitingItem()] } }));
    expect(report.text).toContain('…and 13 more in the inbox.');
    expect(report.html).toContain('<p>…and 13 more <a href="https://earshot.example.com/?business=b1">in the inbox</a>.</p>');
  });

  test('names, texts and links are escaped in HTML, and the HTML has no style sheet, class or script', () => {
    const report = renderWeeklyReport(
      content({
        businessName: 'Tom & Jerry\'s <script>alert(1)</script>',
        waiting: { total: 1, items: [waitingItem({ author: '<b>Eve</b>', text: 'Bad "food" & <i>worse</i> service', itemUrl: 'https://earshot.example.com/items/x?a=1&b="2"' })] },
        inboxUrl: 'https://earshot.example.com/?business=b1&x=<y>',
      }),
    );
    expect(report.html).not.toContain('<script>');
    expect(report.html).not.toContain('<b>Eve</b>');
    expect(report.html).not.toContain('<i>worse</i>');
    expect(report.html).toContain('Weekly report for Tom &amp; Jerry&#39;s &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(report.html).toContain('&lt;b&gt;Eve&lt;/b&gt;');
    expect(report.html).toContain('>Bad &quot;food&quot; &amp; &lt;i&gt;worse&lt;/i&gt; service</a>');
    expect(report.html).toContain('href="https://earshot.example.com/items/x?a=1&amp;b=&quot;2&quot;"');
    expect(report.html).toContain('href="https://earshot.example.com/?business=b1&amp;x=&lt;y&gt;"');
    expect(report.html).not.toMatch(/<style|class=|<script|<img|<link/i);
    // The subject and the plain text are not HTML: they keep the name as it is.
    expect(report.title).toContain('Tom & Jerry\'s <script>alert(1)</script>');
  });
});

describe('the report’s weeks', () => {
  test('the week its key names and the eleven before, oldest first, without gap or overlap, across a clock change', () => {
    const list = reportWeeks('weekly:2026-03-30', { at: '08:00', timeZone: 'Europe/London' });
    expect(list).toHaveLength(12);
    const last = list.at(-1)!;
    // 08:00 GMT on 23 March to 08:00 BST on 30 March: 167 hours.
    expect(last).toEqual({ start: new Date('2026-03-23T08:00:00Z'), end: new Date('2026-03-30T07:00:00Z'), key: 'weekly:2026-03-30' });
    expect(list[0]!.start).toEqual(new Date('2026-01-05T08:00:00Z'));
    for (let index = 1; index < list.length; index++) expect(list[index]!.start).toEqual(list[index - 1]!.end);
  });

  test('a key that is not a weekly one is refused', () => {
    expect(() => reportWeeks('daily:2026-03-30', { at: '08:00', timeZone: 'UTC' })).toThrow(RangeError);
  });
});
