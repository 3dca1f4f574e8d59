import { afterAll, describe, expect, test } from 'vitest';
import { createBusiness } from '../../db/repositories/businesses.ts';
import { addChannel } from '../../services/alerts/channel-changes.ts';
import { addKey, createApiHarness } from '../support/api.ts';
import { addPerson } from '../support/web.ts';

const h = await createApiHarness();
afterAll(() => h.close());

const { accountId, businessId } = h.tenant;
const rulesOf = (business: string, key?: string) => h.call({ method: 'GET', url: `/v1/businesses/${business}/alert-rules`, ...(key !== undefined && { key }) });
const create = (business: string, payload: object, key?: string) =>
  h.call({ method: 'POST', url: `/v1/businesses/${business}/alert-rules`, payload, ...(key !== undefined && { key }) });

describe('the default rule', () => {
  test('a business starts with a rule equal to the old behaviour and one for what could not be judged, listed like any other', async () => {
    const response = await rulesOf(businessId);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().rules).toEqual([
      {
        id: expect.any(String),
        businessId,
        name: 'Flagged items to the alert addresses',
        when: { flaggedOnly: true },
        to: { alertAddresses: true },
        delivery: 'instant',
        urgent: false,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      },
      {
        id: expect.any(String),
        businessId,
        name: 'Items Earshot could not judge, in the daily digest',
        when: { sentiments: ['unknown'], flaggedOnly: false },
        to: { alertAddresses: true },
        delivery: 'daily',
        urgent: false,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      },
    ]);
  });

  test('a business added through the API has it too', async () => {
    const added = await h.call({ method: 'POST', url: '/v1/businesses', payload: { name: 'Second café', alertEmails: ['c@example.com'] } });
    expect(added.statusCode, added.body).toBe(201);
    const rules = (await rulesOf(added.json().id)).json().rules;
    expect(rules.map((rule: { to: unknown; delivery: string }) => [rule.to, rule.delivery])).toEqual([
      [{ alertAddresses: true }, 'instant'],
      [{ alertAddresses: true }, 'daily'],
    ]);
  });
});

describe('adding, changing and deleting rules', () => {
  test('a rule is created with its conditions, listed after the defaults, changed and deleted', async () => {
    const business = await createBusiness(h.db, accountId, { name: 'Rules shop', timezone: 'UTC', alertEmails: ['o@example.com'] });
    const created = await create(business.id, {
      name: 'Bad Google reviews',
      when: { ratingMax: 2, sourceTypes: ['google_places'], keywords: ['refund'], sentiments: ['negative', 'unknown'], flaggedOnly: false },
      to: { email: 'manager@example.com' },
      delivery: 'instant',
      urgent: true,
    });
    expect(created.statusCode, created.body).toBe(201);
    const rule = created.json();
    expect(rule).toMatchObject({
      businessId: business.id,
      name: 'Bad Google reviews',
      when: { ratingMax: 2, sourceTypes: ['google_places'], keywords: ['refund'], sentiments: ['negative', 'unknown'], flaggedOnly: false },
      to: { email: 'manager@example.com' },
      delivery: 'instant',
      urgent: true,
    });
    expect((await rulesOf(business.id)).json().rules.map((listed: { id: string }) => listed.id)).toEqual([expect.any(String), expect.any(String), rule.id]);

    const changed = await h.call({ method: 'PATCH', url: `/v1/alert-rules/${rule.id}`, payload: { delivery: 'daily', when: { topics: ['wait'] } } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ name: 'Bad Google reviews', when: { topics: ['wait'], flaggedOnly: true }, delivery: 'daily', urgent: true });

    const deleted = await h.call({ method: 'DELETE', url: `/v1/alert-rules/${rule.id}` });
    expect(deleted.statusCode).toBe(204);
    expect((await h.call({ method: 'DELETE', url: `/v1/alert-rules/${rule.id}` })).statusCode).toBe(404);
  });

  test('the default rule can be changed and deleted like any rule', async () => {
    const business = await createBusiness(h.db, accountId, { name: 'Default shop', timezone: 'UTC', alertEmails: ['o@example.com'] });
    const [rule] = (await rulesOf(business.id)).json().rules;
    const changed = await h.call({ method: 'PATCH', url: `/v1/alert-rules/${rule.id}`, payload: { when: { ratingMax: 1 } } });
    expect(changed.json()).toMatchObject({ when: { ratingMax: 1, flaggedOnly: true }, to: { alertAddresses: true } });
    expect((await h.call({ method: 'DELETE', url: `/v1/alert-rules/${rule.id}` })).statusCode).toBe(204);
    expect((await rulesOf(business.id)).json().rules.map((left: { delivery: string }) => left.delivery)).toEqual(['daily']);
  });

  test("to a person or a channel of the account: another account's are refused like unknown ones", async () => {
    const person = await addPerson(h.db, accountId, { email: 'sam@example.com', role: 'staff' });
    const stranger = await addPerson(h.db, h.stranger.accountId, { email: 'eve@example.com', role: 'owner' });
    const store = { db: h.db, credentialsKey: h.credentialsKey, allowPrivateUrls: false };
    const channel = await addChannel(store, accountId, { type: 'email', name: 'Managers', config: { to: ['m@example.com'] } });
    const theirs = await addChannel(store, h.stranger.accountId, { type: 'email', name: 'Theirs', config: { to: ['t@example.com'] } });

    expect((await create(businessId, { to: { userId: person.id }, delivery: 'instant' })).statusCode).toBe(201);
    expect((await create(businessId, { to: { channelId: channel.channel.id }, delivery: 'weekly' })).statusCode).toBe(201);
    for (const to of [{ userId: stranger.id }, { userId: crypto.randomUUID() }]) {
      const refused = await create(businessId, { to, delivery: 'instant' });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error).toMatchObject({ code: 'validation_failed', field: 'body.to.userId', message: 'body.to.userId is not a person of this account' });
    }
    for (const to of [{ channelId: theirs.channel.id }, { channelId: crypto.randomUUID() }]) {
      const refused = await create(businessId, { to, delivery: 'instant' });
      expect(refused.json().error).toMatchObject({ field: 'body.to.channelId', message: 'body.to.channelId is not a channel of this account' });
    }
    const other = await createBusiness(h.db, accountId, { name: 'Not theirs', timezone: 'UTC', alertEmails: ['o@example.com'] });
    const limited = await addPerson(h.db, accountId, { email: 'lim@example.com', role: 'staff', businessIds: [other.id] });
    expect((await create(businessId, { to: { userId: limited.id }, delivery: 'instant' })).json().error.message).toBe(
      'body.to.userId names a person who cannot see this business',
    );
  });

  test('bad input is a 400 naming the field', async () => {
    const cases: Array<[object, string]> = [
      [{ to: { email: 'm@example.com' } }, 'body.delivery'],
      [{ to: { email: 'm@example.com' }, delivery: 'hourly' }, 'body.delivery'],
      [{ to: {}, delivery: 'instant' }, 'body.to'],
      [{ to: { email: 'm@example.com', alertAddresses: true }, delivery: 'instant' }, 'body.to'],
      [{ to: { email: 'nope' }, delivery: 'instant' }, 'body.to.email'],
      [{ to: { alertAddresses: true }, when: { ratingMax: 6 }, delivery: 'instant' }, 'body.when.ratingMax'],
      [{ to: { alertAddresses: true }, when: { topics: ['noise'] }, delivery: 'instant' }, 'body.when.topics[0]'],
      [{ to: { alertAddresses: true }, when: { keywords: ['  '] }, delivery: 'instant' }, 'body.when.keywords[0]'],
      [{ to: { alertAddresses: true }, when: { colour: 'red' }, delivery: 'instant' }, 'body.when.colour'],
    ];
    for (const [payload, field] of cases) {
      const response = await create(businessId, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.field, JSON.stringify(payload)).toBe(field);
    }
    const [rule] = (await rulesOf(businessId)).json().rules;
    const patch = await h.call({ method: 'PATCH', url: `/v1/alert-rules/${rule.id}`, payload: {} });
    expect(patch.statusCode).toBe(400);
  });
});

describe('who may', () => {
  test("staff keys are refused; another tenant's business and rules are 404 like unknown ones", async () => {
    const staff = await addKey(h.db, accountId, 'staff');
    expect((await rulesOf(businessId, staff.key)).statusCode).toBe(403);
    const theirRule = (await rulesOf(h.stranger.businessId, h.stranger.key)).json().rules[0];
    expect((await rulesOf(h.stranger.businessId)).statusCode).toBe(404);
    expect((await create(h.stranger.businessId, { to: { alertAddresses: true }, delivery: 'instant' })).statusCode).toBe(404);
    const patched = await h.call({ method: 'PATCH', url: `/v1/alert-rules/${theirRule.id}`, payload: { urgent: true } });
    const unknown = await h.call({ method: 'PATCH', url: `/v1/alert-rules/${crypto.randomUUID()}`, payload: { urgent: true } });
    expect(patched.statusCode).toBe(404);
    expect(patched.json()).toEqual(unknown.json());
    expect((await h.call({ method: 'DELETE', url: `/v1/alert-rules/${theirRule.id}` })).statusCode).toBe(404);
    expect((await rulesOf(h.stranger.businessId, h.stranger.key)).json().rules).toHaveLength(2);
  });
});
