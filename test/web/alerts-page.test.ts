import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { addChannel } from '../../services/alerts/channel-changes.ts';
import { addKey, createApiHarness } from '../support/api.ts';
import { addPerson, csrfOf, signInWithForm, type WebSession } from '../support/web.ts';

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-alerts-page-'));
const h = await createApiHarness({ config: { dataDir } });
const SLACK_URL = 'https://hooks.slack.com/services/T0000/B0000/slackSecretPath12345678';
const SLACK_PATH = new URL(SLACK_URL).pathname;
const SECRETS = [SLACK_URL, SLACK_PATH, 'slackSecretPath12345678'];

let owner: WebSession;
let ownerKey: string;

beforeAll(async () => {
  nock.disableNetConnect();
  await addPerson(h.db, h.tenant.accountId, { email: 'owner@alerts.test', role: 'owner', displayName: 'Olga Owner' });
  await addPerson(h.db, h.tenant.accountId, { email: 'staff@alerts.test', role: 'staff' });
  await addPerson(h.db, h.tenant.accountId, { email: 'consultant@alerts.test', role: 'consultant' });
  owner = await signInWithForm(h, 'owner@alerts.test');
  owner.csrf = csrfOf((await owner.get('/alerts')).body);
  ownerKey = (await addKey(h.db, h.tenant.accountId, 'owner')).key;
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  nock.enableNetConnect();
  await h.close();
  await rm(dataDir, { recursive: true, force: true });
});

function expectNoSecret(body: string): void {
  for (const secret of SECRETS) expect(body).not.toContain(secret);
}

async function addSlackThroughForm(name: string): Promise<string> {
  const added = await owner.post('/alerts/channels', { type: 'slack', name, 'config.webhookUrl': SLACK_URL });
  expect(added.statusCode, added.body.slice(0, 300)).toBe(303);
  const id = /#channel-([0-9a-f-]{36})/.exec(added.headers.location as string)?.[1];
  expect(id).toBeDefined();
  return id as string;
}

describe('channels', () => {
  test('a Slack channel added through the form is listed healthy, its URL never shown, only its hint on edit', async () => {
    const choose = await owner.get('/alerts/channels/new');
    expect(choose.body).toContain('value="slack"');
    const form = await owner.get('/alerts/channels/new?type=slack');
    expect(form.body).toContain('type="password"');
    const id = await addSlackThroughForm('#reviews');
    const list = await owner.get('/alerts');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('#reviews');
    expect(list.body).toContain('Send a test');
    expectNoSecret(list.body);
    const edit = await owner.get(`/alerts/channels/${id}`);
    expect(edit.body).toContain('Saved (https://hooks.slack.com/…/5678); leave empty to keep it.');
    expectNoSecret(edit.body);
    // Saved without the secret: it is kept.
    const saved = await owner.post(`/alerts/channels/${id}`, { name: '#reviews-renamed', 'config.webhookUrl': '' });
    expect(saved.statusCode, saved.body.slice(0, 300)).toBe(303);
    const api = await h.app.inject({ method: 'GET', url: `/v1/channels/${id}`, headers: { authorization: `Bearer ${ownerKey}` } });
    expect(api.json()).toMatchObject({ name: '#reviews-renamed', config: { webhookUrl: { set: true } } });
  });

  test('send a test: accepted, or the channel error shown', async () => {
    const id = await addSlackThroughForm('Test target');
    const slack = nock('https://hooks.slack.com').post(SLACK_PATH).reply(200, 'ok');
    const sent = await owner.post(`/alerts/channels/${id}/test`, {});
    expect(sent.statusCode).toBe(303);
    expect(slack.isDone()).toBe(true);
    const ok = await owner.get(sent.headers.location as string);
    expect(ok.body).toContain('Test target accepted the test message.');

    nock('https://hooks.slack.com').post(SLACK_PATH).reply(404, 'no_service');
    const failed = await owner.post(`/alerts/channels/${id}/test`, {});
    const shown = await owner.get(failed.headers.location as string);
    expect(shown.body).toMatch(/Test target did not take the test message: .*404/);
    expect(shown.body).toContain('Needs attention');
    expectNoSecret(shown.body);
  });

  test('bad input re-renders the form with the values kept (never the secret) and the field named', async () => {
    const response = await owner.post('/alerts/channels', { type: 'slack', name: 'Kept name', 'config.webhookUrl': 'hooks.slack.com/not-a-url' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('value="Kept name"');
    expect(response.body).toContain('Webhook URL');
    expect(response.body).toMatch(/name="config\.webhookUrl"[^>]*aria-invalid="true"/);
    expect(response.body).not.toContain('not-a-url');
    const blank = await owner.post('/alerts/channels', { type: 'slack', name: ' ', 'config.webhookUrl': SLACK_URL });
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain('Name: must not be blank');
    expectNoSecret(blank.body);
  });

  test('deleting asks first, then the channel is gone', async () => {
    const id = await addSlackThroughForm('Short-lived');
    const confirm = await owner.get(`/alerts/channels/${id}/delete`);
    expect(confirm.body).toContain('Delete this channel');
    const deleted = await owner.post(`/alerts/channels/${id}/delete`, {});
    expect(deleted.headers.location).toBe('/alerts?done=channel-deleted');
    expect((await owner.get(`/alerts/channels/${id}`)).statusCode).toBe(404);
  });

  test("another tenant's channel is a 404 page; staff and consultants get 403", async () => {
    const theirs = await addChannel({ db: h.db, credentialsKey: h.credentialsKey, allowPrivateUrls: false }, h.stranger.accountId, { type: 'slack', name: 'Theirs', config: { webhookUrl: SLACK_URL } });
    for (const url of [`/alerts/channels/${theirs.channel.id}`, `/alerts/channels/${theirs.channel.id}/delete`]) expect((await owner.get(url)).statusCode).toBe(404);
    expect((await owner.post(`/alerts/channels/${theirs.channel.id}/test`, {})).statusCode).toBe(404);
    for (const email of ['staff@alerts.test', 'consultant@alerts.test']) {
      const session = await signInWithForm(h, email);
      expect((await session.get('/alerts')).statusCode).toBe(403);
      expect((await session.get('/alerts/channels/new')).statusCode).toBe(403);
    }
  });

  test('an owner limited to some businesses sees the channels but cannot change them', async () => {
    await addPerson(h.db, h.tenant.accountId, { email: 'limited@alerts.test', role: 'owner', businessIds: [h.tenant.businessId] });
    const limited = await signInWithForm(h, 'limited@alerts.test');
    const page = await limited.get('/alerts');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('Add a channel</a>');
    expect((await limited.get('/alerts/channels/new')).statusCode).toBe(403);
  });
});

describe('alert rules', () => {
  test('the default rule reads in words; rules added through the form are listed in words and seen by the API', async () => {
    const page = await owner.get('/alerts');
    expect(page.body).toContain('Every flagged item · at once · to the alert addresses');
    const channelId = await addSlackThroughForm('#one-star');
    const added = await owner.post(`/alerts/businesses/${h.tenant.businessId}/rules`, { ratingMax: '1', to: 'channelId', channelId, delivery: 'instant' });
    expect(added.statusCode, added.body.slice(0, 400)).toBe(303);
    const listed = await owner.get('/alerts');
    expect(listed.body).toContain('1★ only · at once · to #one-star on Slack');
    const api = await h.app.inject({ method: 'GET', url: `/v1/businesses/${h.tenant.businessId}/alert-rules`, headers: { authorization: `Bearer ${ownerKey}` } });
    expect(api.json().rules).toContainEqual(expect.objectContaining({ when: { ratingMax: 1, flaggedOnly: false }, to: { channelId }, delivery: 'instant' }));
  });

  test('a bad rule keeps what was typed and names the field; a rule is edited and deleted', async () => {
    const bad = await owner.post(`/alerts/businesses/${h.tenant.businessId}/rules`, { to: 'email', email: 'not-an-address', keywords: 'refund', flaggedOnly: 'yes' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Email address: ');
    expect(bad.body).toContain('value="not-an-address"');
    expect(bad.body).toContain('>refund</textarea>');
    const added = await owner.post(`/alerts/businesses/${h.tenant.businessId}/rules`, { to: 'email', email: 'desk@shop.test', keywords: 'refund', flaggedOnly: 'yes', urgent: 'yes' });
    expect(added.statusCode).toBe(303);
    const listed = (await owner.get('/alerts')).body;
    expect(listed).toContain('mentioning &quot;refund&quot;, if flagged · at once · to desk@shop.test · urgent');
    const ruleId = new RegExp(`/alerts/rules/([0-9a-f-]{36})" aria-label="Edit rule [^"]*desk@shop.test`).exec(listed)?.[1];
    expect(ruleId).toBeDefined();
    const edit = await owner.get(`/alerts/rules/${ruleId}`);
    expect(edit.body).toContain('value="desk@shop.test"');
    const changed = await owner.post(`/alerts/rules/${ruleId}`, { to: 'alertAddresses', sentiments: ['negative', 'unknown'], flaggedOnly: 'yes', delivery: 'instant' });
    expect(changed.statusCode, changed.body.slice(0, 300)).toBe(303);
    expect((await owner.get('/alerts')).body).toContain('negative or unknown sentiment, if flagged · at once · to the alert addresses');
    const deleted = await owner.post(`/alerts/rules/${ruleId}/delete`, {});
    expect(deleted.statusCode).toBe(303);
    expect((await owner.get(`/alerts/rules/${ruleId}`)).statusCode).toBe(404);
  });

  test('the form offers the daily and weekly digest at the business’s time; a digest rule reads so, and follows a change of time', async () => {
    const form = (await owner.get(`/alerts/businesses/${h.tenant.businessId}/rules/new`)).body;
    expect(form).toMatch(/<input type="radio" id="delivery-instant" name="delivery" value="instant" checked><label for="delivery-instant">At once<\/label>/);
    expect(form).toMatch(/<input type="radio" id="delivery-daily" name="delivery" value="daily"><label for="delivery-daily">In the daily digest at 08:00<\/label>/);
    expect(form).toMatch(/<input type="radio" id="delivery-weekly" name="delivery" value="weekly"><label for="delivery-weekly">In the weekly digest on Monday at 08:00<\/label>/);
    expect(form).toContain(`<a href="/businesses/${h.tenant.businessId}">the business's settings</a>`);
    expect(form).not.toContain('coming');

    const added = await owner.post(`/alerts/businesses/${h.tenant.businessId}/rules`, { to: 'email', email: 'weekly@shop.test', ratingMax: '3', delivery: 'weekly' });
    expect(added.statusCode, added.body.slice(0, 300)).toBe(303);
    expect((await owner.get('/alerts')).body).toContain('1–3★ · weekly digest on Monday at 08:00 · to weekly@shop.test');
    // The default rule for what cannot be judged is a daily digest.
    expect((await owner.get('/alerts')).body).toContain('unknown sentiment · daily digest at 08:00 · to the alert addresses');
    const api = await h.app.inject({ method: 'GET', url: `/v1/businesses/${h.tenant.businessId}/alert-rules`, headers: { authorization: `Bearer ${ownerKey}` } });
    const rule = api.json().rules.find((r: { to: { email?: string } }) => r.to.email === 'weekly@shop.test');
    expect(rule).toMatchObject({ when: { ratingMax: 3 }, delivery: 'weekly' });

    const moved = await h.app.inject({
      method: 'PATCH',
      url: `/v1/businesses/${h.tenant.businessId}`,
      headers: { authorization: `Bearer ${ownerKey}` },
      payload: { digest: { time: '07:30', weekday: 'friday' } },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect((await owner.get('/alerts')).body).toContain('1–3★ · weekly digest on Friday at 07:30 · to weekly@shop.test');
    const edit = (await owner.get(`/alerts/rules/${rule.id}`)).body;
    expect(edit).toMatch(/value="weekly" checked><label for="delivery-weekly">In the weekly digest on Friday at 07:30<\/label>/);

    const daily = await owner.post(`/alerts/rules/${rule.id}`, { to: 'email', email: 'weekly@shop.test', ratingMax: '3', delivery: 'daily' });
    expect(daily.statusCode, daily.body.slice(0, 300)).toBe(303);
    expect((await owner.get('/alerts')).body).toContain('1–3★ · daily digest at 07:30 · to weekly@shop.test');
    const refused = await owner.post(`/alerts/rules/${rule.id}`, { to: 'email', email: 'weekly@shop.test', delivery: 'hourly' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Delivery: must be one of instant, daily, weekly');
    expect(refused.body).toMatch(/<fieldset aria-invalid="true"><legend>Delivery<\/legend>/);
  });

  test("another tenant's business and rule are 404 pages", async () => {
    expect((await owner.get(`/alerts/businesses/${h.stranger.businessId}/rules/new`)).statusCode).toBe(404);
    const response = await owner.post(`/alerts/businesses/${h.stranger.businessId}/rules`, { to: 'alertAddresses' });
    expect(response.statusCode).toBe(404);
  });
});
