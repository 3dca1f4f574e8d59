import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import nock from 'nock';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { claimDelivery, listStrandedDeliveries } from '../../db/repositories/alert-deliveries.ts';
import { AlertsNotSentYet, deliverAlerts, type DeliveryDeps } from '../../services/alerts/deliver.ts';
import { enqueueAlerts } from '../../services/alerts/enqueue-alerts.ts';
import { createMailTransport, type MailTransport } from '../../services/alerts/mail-transport.ts';
import { ingestPage } from '../../services/ingest/ingest-page.ts';
import { review } from '../support/items.ts';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { waitUntil } from '../support/wait.ts';
import type { FakeReceiver } from './channels/adapter.ts';
import { nockReceiver } from './channels/nock-receiver.ts';

let pipeline: Pipeline;
let mail: MailTransport;
let outboxDir: string;
let deps: DeliveryDeps;
let businessId: string;
let source: { id: string; account_id: string; business_id: string };
const receivers: FakeReceiver[] = [];

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  pipeline = await startPipeline();
  outboxDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-channel-notices-'));
  mail = createMailTransport({ smtpUrl: undefined, outboxDir });
  deps = { db: pipeline.db, mail, config: pipeline.config, credentialsKey: pipeline.credentialsKey, log: pino({ level: 'silent' }) };
  // Written directly, not through the API: a source made there would be polled on a real platform.
  const business = await pipeline.db
    .insertInto('businesses')
    .values({ account_id: pipeline.accountId, name: 'Test Diner', alert_emails: ['owner@diner.test'] })
    .returning('id')
    .executeTakeFirstOrThrow();
  businessId = business.id;
  source = await pipeline.db
    .insertInto('sources')
    .values({ id: crypto.randomUUID(), account_id: pipeline.accountId, business_id: businessId, type: 'google_places', config: '{}', poll_every_minutes: 15 })
    .returning(['id', 'account_id', 'business_id'])
    .executeTakeFirstOrThrow();
});
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.stop()));
  nock.cleanAll();
});
afterAll(async () => {
  mail.close();
  await pipeline.stop();
  await rm(outboxDir, { recursive: true, force: true });
  nock.enableNetConnect();
});

let counter = 0;

/** A Slack channel made by the owner through the API, and its fake receiver. */
async function slackChannel(): Promise<{ channelId: string; name: string; receiver: FakeReceiver; webhookUrl: string }> {
  counter++;
  const webhookUrl = `https://hooks.slack.test/services/T0000/B000${counter}/secret${counter}XXXXXXXX`;
  const name = `Kitchen ${counter}`;
  const created = await pipeline.api('POST', '/v1/channels', { type: 'slack', name, config: { webhookUrl } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const receiver = nockReceiver(webhookUrl, { status: 200, body: 'ok' });
  receivers.push(receiver);
  return { channelId: created.body.id, name, receiver, webhookUrl };
}

/** A 1★ review and a pending delivery of it through the channel. */
async function channelDelivery(channelId: string, text = 'Cold soup and a long wait.'): Promise<{ itemId: string; deliveryId: string }> {
  counter++;
  const page = await ingestPage(pipeline.db, source, { items: [review(`channel-${counter}`, 1, text)], cursor: null });
  const itemId = page.toAnalyze[0]!;
  const row = await pipeline.db
    .insertInto('alert_deliveries')
    .values({ account_id: pipeline.accountId, item_id: itemId, channel_id: channelId, recipient: `channel:${channelId}`, kind: 'negative_item' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { itemId, deliveryId: row.id };
}

const deliveryRow = (id: string) => pipeline.db.selectFrom('alert_deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const channelRow = (id: string) => pipeline.db.selectFrom('alert_channels').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

test('a channel delivery is sent once in Slack Block Kit; a repeat or a second job sends nothing, and the timeline names the channel', async () => {
  const { channelId, name, receiver } = await slackChannel();
  const { itemId, deliveryId } = await channelDelivery(channelId, 'The soup was cold and nobody came.');

  await expect(deliverAlerts([deliveryId], deps)).resolves.toEqual({ sent: 1, skipped: 0, heldUntil: null });
  await expect(deliverAlerts([deliveryId], deps)).resolves.toEqual({ sent: 0, skipped: 1, heldUntil: null });
  await Promise.all([deliverAlerts([deliveryId], deps), deliverAlerts([deliveryId], deps)]);

  expect(receiver.received).toHaveLength(1);
  const payload = JSON.parse(receiver.accepted[0]!.body) as { text: string; blocks: unknown[] };
  expect(payload.text).toContain('The soup was cold and nobody came.');
  expect(JSON.stringify(payload.blocks)).toContain(`${pipeline.config.publicUrl}/items/${itemId}`);
  expect(await deliveryRow(deliveryId)).toMatchObject({ status: 'sent', last_error: null, attempts: 1 });
  expect((await channelRow(channelId)).last_success_at).not.toBeNull();
  const events = await pipeline.db.selectFrom('item_events').select(['type', 'data']).where('item_id', '=', itemId).where('type', '=', 'alerted').execute();
  expect(events).toEqual([{ type: 'alerted', data: expect.objectContaining({ to: name, channelId, channelType: 'slack', kind: 'negative_item' }) }]);

  // One delivery per item, channel and kind, whatever the recipient text.
  await expect(
    pipeline.db
      .insertInto('alert_deliveries')
      .values({ account_id: pipeline.accountId, item_id: itemId, channel_id: channelId, recipient: 'another text', kind: 'negative_item' })
      .execute(),
  ).rejects.toThrow(/alert_deliveries_item_channel/);
});

test('a 500 and then success through the real alert queue: one message, after a retry', async () => {
  const { channelId, receiver } = await slackChannel();
  const { deliveryId } = await channelDelivery(channelId);
  receiver.failNext({ kind: 'refuse', status: 500, body: 'internal error' });

  // Stopped with the pipeline; the other tests queue nothing.
  pipeline.startWorkers();
  await enqueueAlerts(pipeline.queues, `channel-test-${deliveryId}`, [deliveryId]);
  const sent = await waitUntil('the delivery is sent', async () => {
    const row = await deliveryRow(deliveryId);
    return row.status === 'sent' ? row : undefined;
  });
  expect(sent.attempts).toBe(2);
  await pipeline.idle();
  expect(receiver.received).toHaveLength(2);
  expect(receiver.accepted).toHaveLength(1);
  // A passing outage is no reason to bother the owner.
  expect((await channelRow(channelId)).status).toBe('ok');
});

test('a 404 marks the channel as needing attention and tells the owner by email once, however many alerts it refuses', async () => {
  const { channelId, name, receiver, webhookUrl } = await slackChannel();
  const first = await channelDelivery(channelId);
  const second = await channelDelivery(channelId);
  for (let i = 0; i < 4; i++) receiver.failNext({ kind: 'refuse', status: 404, body: 'no_service' });
  const before = new Set(await readdir(outboxDir));

  const failed = await deliverAlerts([first.deliveryId, second.deliveryId], deps).catch((error: unknown) => error);
  expect(failed).toBeInstanceOf(AlertsNotSentYet);
  await expect(deliverAlerts([first.deliveryId, second.deliveryId], deps)).rejects.toThrow(AlertsNotSentYet);

  const channel = await channelRow(channelId);
  expect(channel.status).toBe('needs_attention');
  expect(channel.last_error).toMatch(/404/);
  expect(channel.last_error).not.toContain('secret');
  expect(await deliveryRow(first.deliveryId)).toMatchObject({ status: 'pending', last_error: expect.stringContaining(name) });

  const notices = await pipeline.db.selectFrom('alert_deliveries').selectAll().where('kind', '=', 'channel_needs_attention').where('incident', 'like', `${channelId}@%`).execute();
  expect(notices).toHaveLength(1);
  expect(notices[0]).toMatchObject({ recipient: 'owner@diner.test', status: 'sent', channel_id: null });
  const written = (await readdir(outboxDir)).filter((file) => !before.has(file));
  expect(written).toHaveLength(1);
  // Quoted-printable breaks long lines with a trailing '='.
  const email = (await readFile(path.join(outboxDir, written[0]!), 'utf8')).replace(/=\r?\n/g, '');
  expect(email).toContain(name);
  expect(email).toContain('so alerts meant for it are not arriving');
  expect(email).not.toContain(webhookUrl);
  // The notice is about the channel, not the item: the item's timeline does not say it was alerted.
  const alerted = await pipeline.db.selectFrom('item_events').select('type').where('item_id', '=', first.itemId).where('type', '=', 'alerted').execute();
  expect(alerted).toEqual([]);

  // The owner gives new settings: the channel is healthy again and the waiting alerts go out.
  const changed = await pipeline.api('PATCH', `/v1/channels/${channelId}`, { config: { webhookUrl } });
  expect(changed.status).toBe(200);
  await expect(deliverAlerts([first.deliveryId, second.deliveryId], deps)).resolves.toEqual({ sent: 2, skipped: 0, heldUntil: null });
  expect(receiver.accepted).toHaveLength(2);
});

test('a rate limit releases the delivery and asks the job to wait as long as the channel said', async () => {
  const { channelId, receiver } = await slackChannel();
  const { deliveryId } = await channelDelivery(channelId);
  receiver.failNext({ kind: 'rate_limit', retryAfterSeconds: 7 });

  const failed = await deliverAlerts([deliveryId], deps).catch((error: unknown) => error);
  expect(failed).toBeInstanceOf(AlertsNotSentYet);
  expect((failed as AlertsNotSentYet).retryAfterMs).toBe(7000);
  expect(await deliveryRow(deliveryId)).toMatchObject({ status: 'pending' });
  expect((await channelRow(channelId)).status).toBe('ok');

  await expect(deliverAlerts([deliveryId], deps)).resolves.toEqual({ sent: 1, skipped: 0, heldUntil: null });
  expect(receiver.accepted).toHaveLength(1);
});

test('a send that is never answered is kept as unknown, never sent again, and shown in delivery health', async () => {
  const { channelId, name, receiver } = await slackChannel();
  const { itemId, deliveryId } = await channelDelivery(channelId);
  receiver.failNext({ kind: 'hang' });

  await expect(deliverAlerts([deliveryId], deps)).resolves.toEqual({ sent: 0, skipped: 1, heldUntil: null });
  const row = await deliveryRow(deliveryId);
  expect(row).toMatchObject({ status: 'unknown', claim_token: null });
  expect(row.last_error).toContain(name);

  await expect(deliverAlerts([deliveryId], deps)).resolves.toEqual({ sent: 0, skipped: 1, heldUntil: null });
  expect(await claimDelivery(pipeline.db, deliveryId, 0)).toEqual({ kind: 'already_sent' });
  expect((await listStrandedDeliveries(pipeline.db, { graceSeconds: 0, idleSeconds: 0, leaseSeconds: 0 })).map((d) => d.id)).not.toContain(deliveryId);
  expect(receiver.received).toHaveLength(1);

  const health = await pipeline.api('GET', '/v1/alerts/health');
  expect(health.status).toBe(200);
  expect(health.body.unknown.count).toBeGreaterThanOrEqual(1);
  expect(health.body.unknown.latest).toContainEqual(expect.objectContaining({ deliveryId, itemId, channelId, reason: expect.stringContaining(name) }));
  // Nothing waits for it any more: it does not count as waiting.
  const waiting = await pipeline.db.selectFrom('alert_deliveries').select('id').where('status', 'in', ['pending', 'sending']).execute();
  expect(health.body.waiting).toBe(waiting.length);
}, 40_000);

test("deleting a channel takes its unsent deliveries with it", async () => {
  const { channelId } = await slackChannel();
  const { deliveryId } = await channelDelivery(channelId);
  const deleted = await pipeline.api('DELETE' as 'GET', `/v1/channels/${channelId}`);
  expect(deleted.status).toBe(204);
  expect(await pipeline.db.selectFrom('alert_deliveries').select('id').where('id', '=', deliveryId).executeTakeFirst()).toBeUndefined();
  await expect(deliverAlerts([deliveryId], deps)).resolves.toEqual({ sent: 0, skipped: 1, heldUntil: null });
});
