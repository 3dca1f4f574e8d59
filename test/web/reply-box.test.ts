import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createBusiness } from '../../db/repositories/businesses.ts';
import { addReplyTemplate } from '../../services/replies/templates.ts';
import { createSource } from '../../services/sources/store-source.ts';
import { createApiHarness, insertItem, type ApiHarness, type TestItem } from '../support/api.ts';
import type { TestDatabase } from '../support/database.ts';
import { addShop, addShopSource } from '../support/shop.ts';
import { addPerson, signInWithForm, type WebSession } from '../support/web.ts';

let h: ApiHarness & { testDb: TestDatabase };
let staff: WebSession;
let owner: WebSession;
let consultant: WebSession;
let google: TestItem;

const everything = () => ({ accountId: h.tenant.accountId, businessIds: null });

beforeAll(async () => {
  // A long undo window: nothing here is ever sent, the page only schedules and undoes.
  h = await createApiHarness({ config: { replyUndoSeconds: 600 } });
  await addPerson(h.db, h.tenant.accountId, { email: 'sam@bistro.test', role: 'staff', displayName: 'Sam' });
  await addPerson(h.db, h.tenant.accountId, { email: 'olive@bistro.test', role: 'owner' });
  await addPerson(h.db, h.tenant.accountId, { email: 'cora@bistro.test', role: 'consultant' });
  staff = await signInWithForm(h, 'sam@bistro.test');
  owner = await signInWithForm(h, 'olive@bistro.test');
  consultant = await signInWithForm(h, 'cora@bistro.test');
  const business = await createBusiness(h.db, h.tenant.accountId, { name: 'Alice Bistro', timezone: 'UTC', alertEmails: ['a@example.com'] });
  const source = await createSource(h.db, h.credentialsKey, {
    accountId: h.tenant.accountId,
    businessId: business.id,
    type: 'google_business',
    config: { accountId: '1', locationId: '2', baseUrl: 'http://127.0.0.1:9', tokenBaseUrl: 'http://127.0.0.1:9' },
    credentials: { clientId: 'id', clientSecret: 'secret', refreshToken: 'token' },
    pollEveryMinutes: 15,
    scheduled: false,
  });
  google = { accountId: h.tenant.accountId, businessId: business.id, sourceId: source.id };
  await addReplyTemplate(h.db, everything(), business.id, { name: 'Sorry', body: 'Dear {first_name}, sorry from {business}.', defaultMinRating: 1, defaultMaxRating: 2 });
  await addReplyTemplate(h.db, everything(), business.id, { name: 'Thanks', body: 'Thank you, {author}!', defaultMinRating: null, defaultMaxRating: null });
});
afterAll(() => h.close());

async function googleReview(): Promise<string> {
  return insertItem(h.db, google, { rating: 1, author: 'Maria Garcia', external_id: `accounts/1/locations/2/reviews/r${Math.random()}`, url: 'https://maps.google.com/r' });
}

describe('the reply box on the item page', () => {
  test('offers the templates filled in, the default for the rating first, and the platform limit', async () => {
    const page = await staff.get(`/items/${await googleReview()}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h2 id="replies-title">Reply</h2>');
    expect(page.body).toMatch(/<textarea id="reply-text" name="text"[^>]*>Dear Maria, sorry from Alice Bistro\.<\/textarea>/);
    expect(page.body).toMatch(/<option value="[0-9a-f-]{36}" data-text="Thank you, Maria Garcia!">Thanks<\/option>/);
    expect(page.body).toContain('Up to 4096 bytes');
    expect(page.body).toContain('<input type="hidden" name="replaces" value="">');
    expect(page.body).toContain('src="/assets/replies.js"');
  });

  test('without script, "Use template" brings the page back with that template filled in', async () => {
    const id = await googleReview();
    const thanks = /<option value="([0-9a-f-]{36})" data-text="Thank you/.exec((await staff.get(`/items/${id}`)).body)?.[1];
    const page = await staff.get(`/items/${id}?template=${thanks}`);
    expect(page.body).toMatch(/<textarea id="reply-text"[^>]*>Thank you, Maria Garcia!<\/textarea>/);
  });

  test('Send schedules the reply with Undo; Undo takes it back and puts the text back in the box', async () => {
    const id = await googleReview();
    const sent = await staff.post(`/items/${id}/replies`, { text: 'We are sorry, Maria.', replaces: '' });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`/items/${id}?done=reply#replies`);
    const waiting = await staff.get(`/items/${id}?done=reply`);
    expect(waiting.body).toContain('Reply scheduled');
    expect(waiting.body).toMatch(/Sending in <span data-send-at="[^"]+">\d+ s<\/span>/);
    expect(waiting.body).toContain('data-reply-waiting');
    expect(waiting.body).toContain('A reply is on its way');
    const replyId = /action="\/items\/[0-9a-f-]{36}\/replies\/([0-9a-f-]{36})\/cancel"/.exec(waiting.body)?.[1];
    expect((await consultant.post(`/items/${id}/replies/${replyId}/cancel`, {})).statusCode).toBe(403);

    const undone = await staff.post(`/items/${id}/replies/${replyId}/cancel`, {});
    expect(undone.statusCode).toBe(303);
    const after = await staff.get(`/items/${id}?done=reply-cancelled`);
    expect(after.body).toContain('<strong>Undone</strong>: not sent');
    expect(after.body).toMatch(/<textarea id="reply-text"[^>]*>We are sorry, Maria\.<\/textarea>/);
    const again = await staff.post(`/items/${id}/replies/${replyId}/cancel`, {});
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('Too late to undo');
  });

  test('a refused reply comes back with the text as typed and the problem named', async () => {
    const id = await googleReview();
    const empty = await staff.post(`/items/${id}/replies`, { text: '   ', replaces: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Your reply: Write the reply before sending it.');
    const long = 'é'.repeat(2049);
    const tooLong = await staff.post(`/items/${id}/replies`, { text: long, replaces: '' });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('The reply is too long for Google: 4098 bytes');
    expect(tooLong.body).toContain(`>${long}</textarea>`);
  });

  test('consultants read the replies but get no box and cannot send', async () => {
    const id = await googleReview();
    await staff.post(`/items/${id}/replies`, { text: 'Hello', replaces: '' });
    const page = await consultant.get(`/items/${id}`);
    expect(page.body).toContain('Sending in');
    expect(page.body).not.toContain('id="reply-text"');
    expect(page.body).not.toContain('>Undo<');
    expect((await consultant.post(`/items/${id}/replies`, { text: 'Hi', replaces: '' })).statusCode).toBe(403);
  });

  test('a platform without a reply API offers the manual way, and "I replied there" records the response', async () => {
    const yelp = await addShopSource(h, google.businessId, 'yelp');
    const id = await insertItem(h.db, yelp, { rating: 2, author: 'Bo', url: 'https://www.yelp.com/biz/alice?hrid=1' });
    const page = await staff.get(`/items/${id}`);
    expect(page.body).toContain('<a class="button" href="https://www.yelp.com/biz/alice?hrid=1" target="_blank" rel="noopener noreferrer">Reply on Yelp</a>');
    expect(page.body).toMatch(/<textarea id="reply-draft"[^>]*>Dear Bo, sorry from Alice Bistro\.<\/textarea>/);
    expect(page.body).toContain('data-copy="reply-draft" hidden>Copy the text</button>');
    expect(page.body).not.toContain('id="reply-text"');
    const replied = await staff.post(`/items/${id}/respond`, { at: '', note: 'Replied on Yelp' });
    expect(replied.statusCode).toBe(303);
    const after = await staff.get(`/items/${id}?done=respond`);
    expect(after.body).toContain('Marked responded');
    const refused = await staff.post(`/items/${id}/replies`, { text: 'Hi', replaces: '' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('Yelp has no way for Earshot to publish a reply');
  });

  test('a source without the credentials replies need says what to add; owners get the link to its settings', async () => {
    const trustpilot = await addShop(h, { name: 'Corner Shop' });
    const id = await insertItem(h.db, trustpilot, { rating: 1, author: 'Al' });
    const forOwner = await owner.get(`/items/${id}`);
    expect(forOwner.body).toContain('Replies to Trustpilot are not set up for this source: Add the API secret');
    expect(forOwner.body).toContain(`<a href="/sources/${trustpilot.sourceId}">Add them in the source's settings</a>`);
    const forStaff = await staff.get(`/items/${id}`);
    expect(forStaff.body).toContain('Ask an owner to add them.');
    expect(forStaff.body).toContain('I replied there');
  });
});
