import { describe, expect, test } from 'vitest';
import { DIGEST_SECTION_LIMIT, renderDigest, type DigestContent } from '../../services/alerts/digests/digest-content.ts';
import { countsByStars, countsByTopic } from '../../services/alerts/digests/digest-counts.ts';
import { firstLine, type DigestItem } from '../../services/alerts/digests/digest-item.ts';

let next = 0;
function item(overrides: Partial<DigestItem> = {}): DigestItem {
  next += 1;
  const itemId = `00000000-0000-4000-8000-${String(next).padStart(12, '0')}`;
  return {
    itemId,
    kind: 'review',
    sourceName: 'Google',
    rating: 2,
    sentiment: 'negative',
    topics: ['wait'],
    author: 'Pat',
    title: null,
    text: 'We waited forever.',
    publishedAt: new Date('2026-03-28T12:00:00Z'),
    itemUrl: `https://earshot.example.com/items/${itemId}`,
    answered: false,
    ...overrides,
  };
}

function digest(items: DigestItem[], overrides: Partial<DigestContent> = {}): DigestContent {
  return {
    businessName: 'Café Luna',
    cadence: 'daily',
    // The day clocks go forward in Paris: 08:00 to 08:00 is 23 hours.
    period: { start: new Date('2026-03-28T07:00:00Z'), end: new Date('2026-03-29T06:00:00Z') },
    timeZone: 'Europe/Paris',
    items,
    inboxUrl: 'https://earshot.example.com/',
    ...overrides,
  };
}

describe('counts in words', () => {
  test('by stars: worst first, zero counts left out, unrated reviews and mentions named apart', () => {
    const items = [item({ rating: 1 }), item({ rating: 1 }), item({ rating: 3 }), item({ rating: null }), item({ rating: null, kind: 'mention' }), item({ rating: null, kind: 'mention' })];
    expect(countsByStars(items)).toEqual(['2 one-star reviews', '1 three-star review', '1 review without stars', '2 mentions']);
  });

  test('by topic: "4 complaints about waiting", most common first, ties in the topic list’s order, other complaints last', () => {
    const items = [
      item({ topics: ['wait', 'price'] }),
      item({ topics: ['wait'] }),
      item({ topics: ['other'] }),
      item({ topics: ['cleanliness'] }),
      item({ topics: ['wait', 'wait'] }),
      item({ topics: ['staff_attitude', 'wait'] }),
      item({ topics: [] }),
    ];
    expect(countsByTopic(items)).toEqual([
      '4 complaints about waiting',
      '1 complaint about staff attitude',
      '1 complaint about price',
      '1 complaint about cleanliness',
      '1 other complaint',
    ]);
  });

  test('a topic this version does not know still reads as words', () => {
    expect(countsByTopic([item({ topics: ['noise_level'] })])).toEqual(['1 complaint about noise level']);
  });
});

describe('the digest message', () => {
  test('an empty period sends nothing', () => {
    expect(renderDigest(digest([]))).toBeNull();
  });

  test('says how many, of which stars, about what, what is unanswered, and links every item', () => {
    const waiting = [1, 2, 3, 4].map((n) => item({ rating: n === 1 ? 1 : 2, author: `Guest ${n}`, text: `Waited ${n} hours\nand more`, answered: n === 4 }));
    const price = item({ rating: 3, topics: ['price'], text: 'Too expensive', answered: true });
    const rendered = renderDigest(digest([...waiting, price]));
    expect(rendered).not.toBeNull();
    const { title, text, html } = rendered!;
    expect(title).toBe('Daily digest for Café Luna: 5 new, 3 still unanswered');
    expect(text).toContain('Sat, 28 Mar 2026, 08:00 to Sun, 29 Mar 2026, 08:00 (Europe/Paris)');
    expect(text).toContain('5 new: 1 one-star review, 3 two-star reviews, 1 three-star review.');
    expect(text).toContain('4 complaints about waiting, 1 complaint about price.');
    expect(text).toContain('3 still unanswered.');
    expect(text).not.toContain('could not be judged');
    // Unanswered first, worst first; the answered after; every item with its first line and link.
    const unansweredAt = text.indexOf('Still unanswered (3)');
    const answeredAt = text.indexOf('Answered (2)');
    expect(unansweredAt).toBeGreaterThan(-1);
    expect(answeredAt).toBeGreaterThan(unansweredAt);
    expect(text.indexOf('"Waited 1 hours"')).toBeGreaterThan(unansweredAt);
    expect(text.indexOf('"Waited 1 hours"')).toBeLessThan(text.indexOf('"Waited 2 hours"'));
    expect(text.indexOf('"Waited 4 hours"')).toBeGreaterThan(answeredAt);
    expect(text).toContain('- Google review · ★☆☆☆☆ (1/5) · Guest 1 · 28 Mar');
    for (const each of [...waiting, price]) {
      expect(text).toContain(each.itemUrl);
      expect(html).toContain(`href="${each.itemUrl}"`);
    }
    expect(text).not.toContain('and more');
  });

  test('items the analyzer could not judge come first, as "could not be judged — please look", answered or not', () => {
    const french = item({ rating: null, sentiment: 'unknown', topics: [], text: 'Service très lent', author: 'Amélie' });
    const german = item({ rating: null, sentiment: 'unknown', topics: [], text: 'Sehr gut', answered: true });
    const bad = item({ rating: 1 });
    const { title, text } = renderDigest(digest([bad, french, german]))!;
    expect(title).toBe('Daily digest for Café Luna: 3 new, 2 still unanswered');
    expect(text).toContain('2 could not be judged — please look.');
    expect(text.indexOf('Could not be judged — please look (2)')).toBeLessThan(text.indexOf('Still unanswered (1)'));
    expect(text).toContain('- Google review · Amélie · 28 Mar\n  "Service très lent"');
    expect(text).toMatch(/· answered\n {2}"Sehr gut"/);
    expect(text).not.toContain('Answered (');
  });

  test('a weekly digest with everything answered says so', () => {
    const { title, text } = renderDigest(digest([item({ answered: true })], { cadence: 'weekly' }))!;
    expect(title).toBe('Weekly digest for Café Luna: 1 new, all answered');
    expect(text).toContain('Everything is answered.');
  });

  test('a long section lists the first items and sends the rest to the inbox', () => {
    const many = Array.from({ length: DIGEST_SECTION_LIMIT + 3 }, () => item());
    const { text, html } = renderDigest(digest(many))!;
    expect(text).toContain(`Still unanswered (${DIGEST_SECTION_LIMIT + 3})`);
    expect(text.match(/^- /gm)).toHaveLength(DIGEST_SECTION_LIMIT);
    expect(text).toContain('…and 3 more in the inbox: https://earshot.example.com/');
    expect(html.match(/<tr>/g)).toHaveLength(DIGEST_SECTION_LIMIT);
    expect(html).toContain('…and 3 more <a href="https://earshot.example.com/">in the inbox</a>.');
  });

  test('the HTML is email-safe: what customers wrote is escaped, tables and inline styles, no classes or scripts', () => {
    const hostile = item({ author: '<b>Eve</b>', text: 'Bad <script>alert(1)</script> & worse', itemUrl: 'https://earshot.example.com/items/x"onmouseover="y' });
    const { html, text } = renderDigest(digest([hostile], { businessName: 'Chez <Test>' }))!;
    expect(html).not.toMatch(/<script|<b>|class=|<style/);
    expect(html).toContain('Bad &lt;script&gt;alert(1)&lt;/script&gt; &amp; worse');
    expect(html).toContain('&lt;b&gt;Eve&lt;/b&gt;');
    expect(html).toContain('Chez &lt;Test&gt;');
    expect(html).toContain('href="https://earshot.example.com/items/x&quot;onmouseover=&quot;y"');
    expect(html).toContain('<table role="presentation"');
    expect(text).toContain('"Bad <script>alert(1)</script> & worse"');
  });
});

describe('an item’s first line', () => {
  test.each([
    [{ title: null, text: '\n\n  First   line  \nsecond' }, 'First line'],
    [{ title: 'A title', text: '' }, 'A title'],
    [{ title: null, text: '   ' }, '(no text)'],
    [{ title: null, text: 'x'.repeat(200) }, `${'x'.repeat(139)}…`],
  ])('%j → %s', (input, expected) => {
    expect(firstLine(input)).toBe(expected);
  });
});
