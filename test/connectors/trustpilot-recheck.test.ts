import nock from 'nock';
import { describe, expect, test } from 'vitest';
import { trustpilot } from '../../connectors/trustpilot/index.ts';
import { reviewToItem } from '../../connectors/trustpilot/reviews.ts';
import page1 from '../fixtures/trustpilot/reviews-page-1.json' with { type: 'json' };
import { connectorFailure, testContext, type TestContext } from './connector-context.ts';
import { offlineWithNock } from './offline-with-nock.ts';

const API = 'https://api.trustpilot.com';
const UNIT = '5a1b2c3d4e5f60718293a4b5';
const KEY = 'synthetic-trustpilot-key-9876543210';
const [henrik, ida] = page1.reviews;

let ctx: TestContext;
offlineWithNock(() => ctx?.http.close());

function recheck(reviewIds: string[]) {
  const parsed = trustpilot.parseConfig({ businessUnitId: UNIT }, { apiKey: KEY });
  ctx = testContext({ platform: 'trustpilot', now: new Date('2026-03-02T12:30:00Z') });
  return trustpilot.recheck!(parsed.config, parsed.credentials, reviewIds, ctx);
}

describe('recheck', () => {
  test('an edited review is fetched with the apikey header and normalised as fetch does', async () => {
    const edited = { ...henrik!, stars: 3, text: 'The parcel turned up in the end, three weeks late.', updatedAt: '2026-03-02T12:20:00.000Z' };
    const lookup = nock(API).get(`/v1/reviews/${henrik!.id}`).matchHeader('apikey', KEY).reply(200, edited);

    const answer = await recheck([henrik!.id]);

    expect(lookup.isDone()).toBe(true);
    expect(answer).toEqual({
      items: [{ ...reviewToItem(henrik!), rating: 3, body: 'The parcel turned up in the end, three weeks late.', updatedAt: new Date('2026-03-02T12:20:00.000Z'), raw: edited }],
      removed: [],
    });
    expect(answer.items[0]).toMatchObject({ externalId: henrik!.id, title: 'Parcel never arrived', url: `https://www.trustpilot.com/reviews/${henrik!.id}` });
  });

  test('404 and 410 are removed; 403 is neither', async () => {
    nock(API).get(`/v1/reviews/${henrik!.id}`).reply(404, { message: 'Not found' });
    nock(API).get('/v1/reviews/6601f00dcafe000000000a99').reply(410, { message: 'Gone' });
    nock(API).get(`/v1/reviews/${ida!.id}`).reply(403, { message: 'Forbidden' });

    expect(await recheck([henrik!.id, '6601f00dcafe000000000a99', ida!.id])).toEqual({ items: [], removed: [henrik!.id, '6601f00dcafe000000000a99'] });
  });

  test('an answer that is not the review asked for is a bad payload, not an emptied review', async () => {
    nock(API).get(`/v1/reviews/${henrik!.id}`).reply(200, { review: henrik });
    expect((await connectorFailure(recheck([henrik!.id]))).kind).toBe('bad_payload');
  });

  test('401 (a refused key) and 5xx propagate', async () => {
    nock(API).get(`/v1/reviews/${henrik!.id}`).reply(401, { message: 'Invalid ApiKey' });
    expect((await connectorFailure(recheck([henrik!.id]))).kind).toBe('config');
    await ctx.http.close();

    nock(API).get(`/v1/reviews/${henrik!.id}`).reply(500, 'oops');
    expect((await connectorFailure(recheck([henrik!.id]))).kind).toBe('transient');
  });
});
