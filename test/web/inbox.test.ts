import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApiHarness, freshSource, insertItem, type ApiHarness, type TestItem } from '../support/api.ts';
import type { TestDatabase } from '../support/database.ts';
import { addShop } from '../support/shop.ts';
import { addPerson, signInWithForm, type WebSession } from '../support/web.ts';

let h: ApiHarness & { testDb: TestDatabase };
let shopA: TestItem;
let shopB: TestItem;
let owner: WebSession;
let staff: WebSession;
let scopedToA: WebSession;
let consultant: WebSession;
let staffId: string;

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);

/** The item ids of the inbox rows on a page, in the order shown. */
function rowIds(body: string): string[] {
  return [...body.matchAll(/<li class="inbox-row" data-id="([^"]+)"/g)].map((match) => match[1]!);
}

const problemOf = (body: string) => /<p class="notice problem"[^>]*>([^<]*)</.exec(body)?.[1]?.replaceAll('&quot;', '"');

beforeAll(async () => {
  h = await createApiHarness();
  shopA = await addShop(h, { name: 'Bistro A' });
  shopB = await addShop(h, { name: 'Bistro B' });
  await addPerson(h.db, h.tenant.accountId, { email: 'olive@bistro.test', role: 'owner', displayName: 'Olive' });
  staffId = (await addPerson(h.db, h.tenant.accountId, { email: 'sam@bistro.test', role: 'staff', displayName: 'Sam' })).id;
  await addPerson(h.db, h.tenant.accountId, { email: 'paula@bistro.test', role: 'staff', displayName: 'Paula', businessIds: [shopA.businessId] });
  await addPerson(h.db, h.tenant.accountId, { email: 'carl@consult.test', role: 'consultant' });
  owner = await signInWithForm(h, 'olive@bistro.test');
  staff = await signInWithForm(h, 'sam@bistro.test');
  scopedToA = await signInWithForm(h, 'paula@bistro.test');
  consultant = await signInWithForm(h, 'carl@consult.test');
});
afterAll(() => h.close());

describe('inbox tabs', () => {
  test('opens on Needs reply: flagged and unanswered, fewest stars first, then oldest', async () => {
    const shop = await freshSource(h);
    const twoOld = await insertItem(h.db, shop, { rating: 2, flagged: true, published_at: hoursAgo(30), sort_at: hoursAgo(30), body: 'Cold soup\nand more' });
    const oneNew = await insertItem(h.db, shop, { rating: 1, flagged: true, published_at: hoursAgo(2), sort_at: hoursAgo(2), body: 'Rude waiter' });
    const oneOld = await insertItem(h.db, shop, { rating: 1, flagged: true, published_at: hoursAgo(5), sort_at: hoursAgo(5), body: 'Never again' });
    const mention = await insertItem(h.db, shop, { kind: 'mention', rating: null, flagged: true, published_at: hoursAgo(50), sort_at: hoursAgo(50), body: 'Awful place' });
    await insertItem(h.db, shop, { rating: 1, flagged: false, body: 'Not flagged' });
    await insertItem(h.db, shop, { rating: 1, flagged: true, status: 'responded', first_response_at: new Date(), body: 'Answered' });
    await insertItem(h.db, shop, { rating: 1, flagged: true, removed_at: new Date(), body: 'Gone from the platform' });
    const page = await staff.get(`/?source=${shop.sourceId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Inbox</h1>');
    expect(page.body).toMatch(/<a href="\/\?source=[^"]+" aria-current="page">Needs reply<\/a>/);
    expect(rowIds(page.body)).toEqual([oneOld, oneNew, twoOld, mention]);
    expect(page.body).toContain('Cold soup');
    expect(page.body).not.toContain('and more');
    expect(page.body).toContain('>Overdue 6 h<'); // 30 h old of 24 h
    expect(page.body).toMatch(/>18 h left</); // 2 h old of 24 h, less the moments since
    expect(page.body).toContain('aria-label="2 of 5 stars"');
  });

  test('Mine, Waiting, Done and All', async () => {
    const shop = await freshSource(h);
    const mine = await insertItem(h.db, shop, { assignee: 'Sam', assignee_user_id: staffId, sort_at: hoursAgo(1) });
    const someoneElses = await insertItem(h.db, shop, { assignee: 'Olive', sort_at: hoursAgo(2) });
    const answered = await insertItem(h.db, shop, { status: 'responded', first_response_at: hoursAgo(1), sort_at: hoursAgo(3) });
    const resolved = await insertItem(h.db, shop, { status: 'resolved', sort_at: hoursAgo(4) });
    const awaitingReReview = await insertItem(h.db, shop, { status: 'resolved', sort_at: hoursAgo(5) });
    await h.db
      .insertInto('re_review_requests')
      .values({ account_id: shop.accountId, business_id: shop.businessId, item_id: awaitingReReview, channel: 'email', requested_by: 'Sam' })
      .execute();
    const ids = async (tab: string) => rowIds((await staff.get(`/?tab=${tab}&source=${shop.sourceId}`)).body);
    expect(await ids('mine')).toEqual([mine]);
    expect(await ids('waiting')).toEqual([answered, awaitingReReview]);
    expect(await ids('done')).toEqual([resolved, awaitingReReview]);
    expect(await ids('all')).toEqual([mine, someoneElses, answered, resolved, awaitingReReview]);
    expect((await owner.get(`/?tab=mine&source=${shop.sourceId}`)).body).toContain('Nothing is assigned to you.');
  });

  test('tab links keep the filters, and the filter form keeps the tab', async () => {
    const page = await staff.get(`/?tab=done&stars=2&q=soup`);
    expect(page.body).toContain('href="/?tab=waiting&amp;stars=2&amp;q=soup"');
    expect(page.body).toContain('<input type="hidden" name="tab" value="done">');
    expect(page.body).toContain('<option value="2" selected>2 stars</option>');
    expect(page.body).toContain('name="q" type="search" maxlength="200" value="soup"');
  });
});

describe('inbox filters', () => {
  test('by business, source, stars, sentiment, topic and text', async () => {
    const shop = await freshSource(h);
    const cold = await insertItem(h.db, shop, { rating: 1, sentiment_label: 'negative', topics: ['quality'], body: 'The SOUP was cold', sort_at: hoursAgo(1) });
    const rude = await insertItem(h.db, shop, { rating: 2, sentiment_label: 'negative', topics: ['staff_attitude'], body: 'Rude staff', sort_at: hoursAgo(2) });
    const nice = await insertItem(h.db, shop, { rating: 5, sentiment_label: 'positive', title: 'Lovely soup', body: 'Great', sort_at: hoursAgo(3) });
    const base = `/?tab=all&source=${shop.sourceId}`;
    const ids = async (query: string) => rowIds((await staff.get(`${base}&${query}`)).body);
    expect(await ids('stars=1')).toEqual([cold]);
    expect(await ids('sentiment=negative')).toEqual([cold, rude]);
    expect(await ids('topic=staff_attitude')).toEqual([rude]);
    expect(await ids('q=soup')).toEqual([cold, nice]);
    expect(await ids('q=50%25')).toEqual([]);
    expect(await ids(`business=${shop.businessId}`)).toEqual([cold, rude, nice]);
    expect(await ids(`business=${shopA.businessId}`)).toEqual([]);
  });

  test('a value that cannot be read is a 400 naming the filter; the rest of the view stays', async () => {
    const response = await staff.get('/?tab=all&stars=9&sentiment=angry&q=soup');
    expect(response.statusCode).toBe(400);
    expect(problemOf(response.body)).toBe('Stars: choose 1 to 5. Sentiment: choose one from the list.');
    expect(response.body).toContain('value="soup"');
    expect(response.body).toContain('aria-current="page">All</a>');
  });

  test('every control of the filter form has a label', async () => {
    const page = (await owner.get('/')).body;
    const form = /<form method="get"[\s\S]*?<\/form>/.exec(page)![0];
    for (const [, id] of form.matchAll(/<(?:select|input) id="([^"]+)"/g)) expect(form).toContain(`<label for="${id}">`);
  });
});

describe('paging', () => {
  test('Older pages through every item once, in order', async () => {
    const shop = await freshSource(h);
    const same = hoursAgo(10);
    const made: string[] = [];
    for (let i = 0; i < 55; i++) made.push(await insertItem(h.db, shop, { sort_at: i < 10 ? same : hoursAgo(20 + i) }));
    const first = await staff.get(`/?tab=all&source=${shop.sourceId}`);
    const firstIds = rowIds(first.body);
    expect(firstIds).toHaveLength(50);
    const older = /<a class="button secondary" href="([^"]+)">Older<\/a>/.exec(first.body)![1]!.replaceAll('&amp;', '&');
    const second = await staff.get(older);
    expect(second.statusCode).toBe(200);
    const secondIds = rowIds(second.body);
    expect(secondIds).toHaveLength(5);
    expect(new Set([...firstIds, ...secondIds])).toEqual(new Set(made));
    expect(second.body).not.toContain('>Older</a>');
    expect(second.body).not.toContain('data-events=');
  });

  test('Needs reply pages in its own order: stars, then age', async () => {
    const shop = await freshSource(h);
    const made: string[] = [];
    for (let i = 0; i < 60; i++) made.push(await insertItem(h.db, shop, { flagged: true, rating: (i % 3) + 1, sort_at: hoursAgo(i % 7) }));
    const first = await staff.get(`/?source=${shop.sourceId}`);
    const more = /href="([^"]+)">More<\/a>/.exec(first.body)![1]!.replaceAll('&amp;', '&');
    const all = [...rowIds(first.body), ...rowIds((await staff.get(more)).body)];
    expect(all).toHaveLength(60);
    expect(new Set(all)).toEqual(new Set(made));
  });

  test('a damaged page link shows the first page with a notice', async () => {
    const response = await staff.get('/?tab=all&after=nonsense');
    expect(response.statusCode).toBe(400);
    expect(problemOf(response.body)).toBe('That page link is damaged; showing the first page.');
  });
});

describe('who sees what', () => {
  test('a staff member scoped to business A sees no item of B in any tab, nor B in the filters', async () => {
    const a = await insertItem(h.db, shopA, { flagged: true, rating: 1, body: 'A item', assignee_user_id: null });
    const b = await insertItem(h.db, shopB, { flagged: true, rating: 1, body: 'B item' });
    await insertItem(h.db, shopB, { status: 'responded', body: 'B answered' });
    await insertItem(h.db, shopB, { status: 'resolved', body: 'B resolved' });
    for (const tab of ['needs', 'mine', 'waiting', 'done', 'all']) {
      const page = await scopedToA.get(`/?tab=${tab}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('B item');
      expect(page.body).not.toContain('B answered');
      expect(page.body).not.toContain('B resolved');
      expect(page.body).not.toContain('Bistro B');
    }
    expect(rowIds((await scopedToA.get('/?tab=all')).body)).toContain(a);
    // Naming B in the filter shows nothing rather than B's items.
    expect(rowIds((await scopedToA.get(`/?tab=all&business=${shopB.businessId}`)).body)).toEqual([]);
    expect(rowIds((await scopedToA.get(`/?tab=all&source=${shopB.sourceId}`)).body)).toEqual([]);
    expect(rowIds((await owner.get(`/?tab=all&source=${shopB.sourceId}`)).body)).toContain(b);
  });

  test("another account's items are never shown", async () => {
    await insertItem(h.db, h.stranger, { flagged: true, rating: 1, body: 'Mallory secret' });
    for (const tab of ['needs', 'all']) expect((await owner.get(`/?tab=${tab}`)).body).not.toContain('Mallory secret');
  });

  test('consultants read the inbox; signed out, it asks to sign in', async () => {
    expect((await consultant.get('/')).statusCode).toBe(200);
    const anonymous = await h.app.inject({ method: 'GET', url: '/?tab=mine' });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe(`/sign-in?next=${encodeURIComponent('/?tab=mine')}`);
  });

  test("a review's words are text, never markup", async () => {
    const shop = await freshSource(h);
    await insertItem(h.db, shop, { author: '<img src=x onerror=alert(1)>', body: '<script>alert(1)</script>' });
    const page = await owner.get(`/?tab=all&source=${shop.sourceId}`);
    expect(page.body).not.toContain('<script>alert');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

/** An open server-sent-events stream: everything received so far, and how to wait for more. */
interface OpenStream {
  text(): string;
  until(predicate: (text: string) => boolean, timeoutMs: number): Promise<string>;
  ended: Promise<void>;
  request: http.ClientRequest;
}

function openStream(port: number, path: string, cookie: string): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path, headers: { cookie, accept: 'text/event-stream' } }, (response) => {
      let received = '';
      const waiters: Array<() => void> = [];
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        received += chunk;
        for (const wake of waiters.splice(0)) wake();
      });
      const ended = new Promise<void>((done) => response.on('end', done).on('close', done));
      resolve({
        text: () => received,
        request,
        ended,
        async until(predicate, timeoutMs) {
          const deadline = Date.now() + timeoutMs;
          while (!predicate(received)) {
            if (Date.now() > deadline) throw new Error(`stream did not say it in time; got: ${received}`);
            await new Promise<void>((wake) => {
              waiters.push(wake);
              setTimeout(wake, 200);
            });
          }
          return received;
        },
      });
    });
    request.on('error', reject);
  });
}

describe('live rows', () => {
  let live: ApiHarness & { testDb: TestDatabase };
  let port: number;
  let session: WebSession;
  let shop: TestItem;

  beforeAll(async () => {
    live = await createApiHarness();
    await live.app.listen({ host: '127.0.0.1', port: 0 });
    port = (live.app.server.address() as AddressInfo).port;
    shop = await freshSource(live);
    await addPerson(live.db, live.tenant.accountId, { email: 'sam@live.test', role: 'staff', displayName: 'Sam' });
    session = await signInWithForm(live, 'sam@live.test');
  });
  afterAll(() => live.close());

  test('the page points its live rows at the stream of its own tab and filters', async () => {
    const page = await session.get(`/?tab=all&stars=1`);
    expect(page.body).toMatch(/data-events="\/inbox\/events\?tab=all&amp;stars=1&amp;since=[^"]+"/);
  });

  test('a new item of the view is sent as a rendered row; others, and rows already shown, are not', async () => {
    const page = await session.get(`/?source=${shop.sourceId}`);
    const events = /data-events="([^"]+)"/.exec(page.body)![1]!.replaceAll('&amp;', '&');
    const stream = await openStream(port, events, session.cookie);
    expect(stream.text()).toContain('retry:');
    const unflagged = await insertItem(live.db, shop, { body: 'Nice enough' });
    const flagged = await insertItem(live.db, shop, { flagged: true, rating: 1, body: 'Arrived <live>' });
    const text = await stream.until((so) => so.includes('event: rows'), 15_000);
    const message = JSON.parse(/event: rows\ndata: (.*)\n/.exec(text)![1]!) as { count: number; html: string };
    expect(message.count).toBe(1);
    expect(message.html).toContain(`data-id="${flagged}"`);
    expect(message.html).toContain('Arrived &lt;live&gt;');
    expect(message.html).not.toContain(unflagged);
    // Nothing is sent twice.
    await new Promise((wait) => setTimeout(wait, 6_000));
    expect(stream.text().split('event: rows').length).toBe(2);
    stream.request.destroy();
  }, 30_000);

  test('signing out ends the stream', async () => {
    const other = await signInWithForm(live, 'sam@live.test');
    const stream = await openStream(port, '/inbox/events', other.cookie);
    await other.post('/sign-out', {});
    await stream.until((so) => so.includes('event: signed-out'), 10_000);
    await stream.ended;
  }, 20_000);

  test('app.close() ends open streams instead of waiting for them', async () => {
    const stream = await openStream(port, '/inbox/events?tab=all', session.cookie);
    const started = Date.now();
    await live.app.close();
    await stream.ended;
    expect(Date.now() - started).toBeLessThan(3_000);
  }, 20_000);
});
