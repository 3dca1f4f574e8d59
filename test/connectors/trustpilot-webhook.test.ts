import { describe, expect, test } from 'vitest';
import { trustpilot } from '../../connectors/trustpilot/index.ts';
import { reviewToItem, type TrustpilotReview } from '../../connectors/trustpilot/reviews.ts';
import { webhookSecretMatches } from '../../connectors/trustpilot/webhook-auth.ts';
import { readWebhookEvents, TrustpilotWebhookError } from '../../connectors/trustpilot/webhook-events.ts';
import page1 from '../fixtures/trustpilot/reviews-page-1.json' with { type: 'json' };

const ARRIVED = new Date('2026-03-02T12:00:00Z');
const LISTED = page1.reviews[0] as TrustpilotReview & { consumer: { id: string; displayName: string } };

/** The listed review as Trustpilot's webhook carries it: the reviewer is `consumer.name`, no reply, no businessUnit. */
const webhookReview = {
  id: LISTED.id,
  language: LISTED.language,
  title: LISTED.title,
  text: LISTED.text,
  referenceId: 'ABC-123-xyz',
  stars: LISTED.stars,
  createdAt: LISTED.createdAt,
  isVerified: true,
  link: `https://api.trustpilot.com/v1/reviews/${LISTED.id}`,
  consumer: { id: LISTED.consumer.id, name: LISTED.consumer.displayName, link: 'https://api.trustpilot.com/v1/consumers/x' },
  tags: [{ group: 'Generic', value: 'Tag value' }],
};

function refusal(body: unknown): string {
  try {
    readWebhookEvents(body, ARRIVED);
  } catch (error) {
    if (error instanceof TrustpilotWebhookError) return error.field;
    throw error;
  }
  throw new Error('the body was accepted');
}

describe('readWebhookEvents', () => {
  test('a created review normalises to the item the poll makes of the same review, but for raw', () => {
    const batch = readWebhookEvents({ events: [{ eventName: 'service-review-created', version: '1', eventData: webhookReview }] }, ARRIVED);
    const { raw: _pushed, ...pushed } = batch.items[0]!;
    const { raw: _polled, ...polled } = reviewToItem(LISTED);
    expect(pushed).toEqual(polled);
    expect(batch).toMatchObject({ removed: [], ignored: 0 });
  });

  test('an updated review carries its edit time, or the arrival when Trustpilot gives none; a deleted one is a removal', () => {
    const batch = readWebhookEvents(
      {
        events: [
          { eventName: 'service-review-updated', eventData: { ...webhookReview, id: 'a1', updatedAt: '2026-03-02T11:59:00Z' } },
          { eventName: 'service-review-updated', eventData: { ...webhookReview, id: 'a2' } },
          { eventName: 'service-review-deleted', eventData: { id: 'a3' } },
          { eventName: 'product-review-created', eventData: { anything: true } },
        ],
      },
      ARRIVED,
    );
    expect(batch.items.map((item) => [item.externalId, item.updatedAt])).toEqual([
      ['a1', new Date('2026-03-02T11:59:00Z')],
      ['a2', ARRIVED],
    ]);
    expect(batch.removed).toEqual(['a3']);
    expect(batch.ignored).toBe(1);
  });

  test('a review only created in the request is stored only if new; one also updated is not held back', () => {
    const created = (id: string) => ({ eventName: 'service-review-created', eventData: { ...webhookReview, id } });
    const batch = readWebhookEvents({ events: [created('b1'), created('b2'), { eventName: 'service-review-updated', eventData: { ...webhookReview, id: 'b2' } }] }, ARRIVED);
    expect([...batch.onlyIfNew]).toEqual(['b1']);
  });

  test.each([
    ['not an object', [], 'body'],
    ['no events', {}, 'body.events'],
    ['an event that is not an object', { events: ['x'] }, 'body.events[0]'],
    ['no event name', { events: [{ eventData: webhookReview }] }, 'body.events[0].eventName'],
    ['no review', { events: [{ eventName: 'service-review-created' }] }, 'body.events[0].eventData'],
    ['no id', { events: [{ eventName: 'service-review-deleted', eventData: {} }] }, 'body.events[0].eventData.id'],
    ['an id with a slash', { events: [{ eventName: 'service-review-deleted', eventData: { id: 'a/b' } }] }, 'body.events[0].eventData.id'],
    ['stars out of range', { events: [{ eventName: 'service-review-created', eventData: { ...webhookReview, stars: 0 } }] }, 'body.events[0].eventData.stars'],
    ['a text that is a number', { events: [{ eventName: 'service-review-created', eventData: { ...webhookReview, text: 5 } }] }, 'body.events[0].eventData.text'],
    ['a creation time that is no date', { events: [{ eventName: 'service-review-created', eventData: { ...webhookReview, createdAt: 'yesterday' } }] }, 'body.events[0].eventData.createdAt'],
  ])('refuses %s, naming the field', (_name, body, field) => {
    expect(refusal(body)).toBe(field);
  });
});

describe('the webhook secret', () => {
  const parse = (webhookSecret: string) => trustpilot.parseConfig({ businessUnitId: '5a1b2c3d4e5f60718293a4b5' }, { apiKey: 'k', webhookSecret });

  test('is optional, at least 32 URL-safe characters', () => {
    expect(trustpilot.parseConfig({ businessUnitId: '5a1b2c3d4e5f60718293a4b5' }, { apiKey: 'k' }).credentials.webhookSecret).toBeUndefined();
    expect(parse('a'.repeat(32)).credentials.webhookSecret).toBe('a'.repeat(32));
    expect(() => parse('a'.repeat(31))).toThrow(/credentials\.webhookSecret/);
    expect(() => parse(`${'a'.repeat(32)}/x`)).toThrow(/credentials\.webhookSecret/);
  });

  test('matches only itself, and never when none is set', () => {
    expect(webhookSecretMatches('s'.repeat(32), 's'.repeat(32))).toBe(true);
    expect(webhookSecretMatches('s'.repeat(32), 's'.repeat(31))).toBe(false);
    expect(webhookSecretMatches(undefined, '')).toBe(false);
    expect(webhookSecretMatches('', '')).toBe(false);
  });
});
