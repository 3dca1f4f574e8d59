import { expect, test } from 'vitest';
import { renderNegativeItemEmail } from '../../services/alerts/alert-email.ts';
import { renderChannelEmail } from '../../services/alerts/channels/email/render.ts';

test('the alert email carries everything needed to act, and escapes what customers wrote', () => {
  const email = renderNegativeItemEmail(
    {
      businessName: 'Chez <Test>',
      sourceType: 'google_places',
      item: {
        id: '0d6f1c2e-0000-4000-8000-000000000001',
        kind: 'review',
        rating: 1,
        author: 'Pat',
        title: null,
        body: 'Terrible <script>alert(1)</script> service',
        url: 'https://maps.example/r/1',
        publishedAt: new Date('2026-11-20T10:30:00Z'),
        firstSeenAt: new Date('2026-11-20T10:35:00Z'),
        sentimentLabel: 'negative',
      },
    },
    'https://earshot.example.com',
  );
  expect(email.subject).toBe('New 1-star Google review for Chez <Test>: "Terrible <script>alert(1)</script> service"');
  for (const part of ['Business: Chez <Test>', 'Source: Google', 'Rating: ★☆☆☆☆ (1/5)', 'Author: Pat', 'Date: 2026-11-20 10:30 UTC', 'Original: https://maps.example/r/1', 'Earshot item: 0d6f1c2e-0000-4000-8000-000000000001']) {
    expect(email.text).toContain(part);
  }
  expect(email.html).not.toContain('<script>');
  expect(email.html).toContain('&lt;script&gt;');
  expect(email.html).toContain('href="https://maps.example/r/1"');
  expect(email.html).toContain('https://earshot.example.com/items/0d6f1c2e-0000-4000-8000-000000000001');
});

test('the first sentence says what the alert is: negative, could not be judged, or matched a rule — the same by the email channel', () => {
  const item = {
    itemId: '0d6f1c2e-0000-4000-8000-000000000002',
    kind: 'mention' as const,
    businessName: 'Chez Test',
    sourceType: 'mastodon',
    sourceName: 'Mastodon',
    rating: null,
    author: 'Camille',
    title: null,
    text: 'Franchement, le service était décevant.',
    publishedAt: new Date('2026-11-20T10:30:00Z'),
    originalUrl: null,
    itemUrl: 'https://earshot.example.com/items/0d6f1c2e-0000-4000-8000-000000000002',
  };
  const lead = (sentiment: 'negative' | 'positive' | 'unknown' | null) =>
    renderChannelEmail({ deliveryId: 'd', kind: 'negative_item', title: 't', text: 't', item: { ...item, sentiment } }).text.split('\n')[0];
  expect(lead('unknown')).toBe('A new Mastodon mention that Earshot could not judge — please look.');
  expect(lead('negative')).toBe('A new negative Mastodon mention needs attention.');
  expect(lead(null)).toBe('A new negative Mastodon mention needs attention.');
  expect(lead('positive')).toBe('A new Mastodon mention matched your alert rule.');
});
