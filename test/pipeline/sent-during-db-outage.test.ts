/**
 * The mail server accepts an alert and PostgreSQL is cut away in that instant, before
 * the delivery is marked sent. The worker's local note of the send is replayed before
 * anything is claimed again, so the lease running out does not send the email twice.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Job } from 'bullmq';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createDb, type Db } from '../../db/database.ts';
import { ingestPage } from '../../services/ingest/ingest-page.ts';
import { createDeliveries } from '../../services/alerts/create-deliveries.ts';
import { sentJournalDirectory } from '../../services/alerts/deliver.ts';
import { runAlertJob } from '../../services/jobs/alert-job.ts';
import { createMailTransport, type MailTransport } from '../../services/alerts/mail-transport.ts';
import type { AlertJobData } from '../../services/jobs/queues.ts';
import { createBusinessAndSource, review } from '../support/items.ts';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { startRecordingSmtp, type RecordingSmtp } from '../support/smtp.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { sleep } from '../support/wait.ts';

let pipeline: Pipeline;
let smtp: RecordingSmtp;
let proxy: TcpProxy;
let throughProxy: Db;
let smtpTransport: MailTransport;

beforeAll(async () => {
  pipeline = await startPipeline();
  smtp = await startRecordingSmtp();
  const direct = new URL(pipeline.dbUrl);
  proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
  const proxied = new URL(pipeline.dbUrl);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  throughProxy = createDb(proxied.toString(), { maxConnections: 2 });
  smtpTransport = createMailTransport({ smtpUrl: smtp.url, outboxDir: '' });
});
afterAll(async () => {
  await proxy.accept();
  await throughProxy.destroy();
  smtpTransport.close();
  await pipeline.stop();
  await smtp.stop();
  await proxy.stop();
});

test('an email accepted while PostgreSQL is unreachable is recorded when it is back, not sent again after the lease', async () => {
  const { sourceId } = await createBusinessAndSource(pipeline, ['owner@diner.test']);
  const source = await pipeline.db.selectFrom('sources').select(['id', 'account_id', 'business_id']).where('id', '=', sourceId).executeTakeFirstOrThrow();
  const { toAnalyze } = await ingestPage(pipeline.db, source, { items: [review('cut-1', 1, 'Cold soup and a forty minute wait.')], cursor: null });
  const deliveryIds = await createDeliveries(pipeline.db, { kind: 'negative_item', itemIds: toAnalyze });
  expect(deliveryIds).toHaveLength(1);

  // The worker reaches PostgreSQL through the proxy, which is cut the moment SMTP accepts.
  let cutAfterNextSend = true;
  const mail: MailTransport = {
    async send(message, fileName) {
      const sent = await smtpTransport.send(message, fileName);
      if (cutAfterNextSend) {
        cutAfterNextSend = false;
        await proxy.goDown();
      }
      return sent;
    },
    close: () => undefined,
  };
  const config = { ...pipeline.config, dataDir: await mkdtemp(path.join(pipeline.config.dataDir, 'worker-')) };
  const deps = { db: throughProxy, mail, config, credentialsKey: pipeline.credentialsKey, log: pino({ level: 'silent' }) };
  const job = { id: 'alert-cut', data: { deliveryIds } } as Job<AlertJobData>;

  await expect(runAlertJob(job, deps)).rejects.toThrow(/not yet recorded as sent/);
  expect(smtp.messages).toHaveLength(1);
  expect(await readdir(sentJournalDirectory(config))).toEqual([`${deliveryIds[0]}.sent.json`]);

  // Retries during the outage fail before claiming anything.
  await expect(runAlertJob(job, deps)).rejects.toThrow();

  // PostgreSQL never heard of the send; make the lease run out, as a long outage would.
  const stuck = await pipeline.db.selectFrom('alert_deliveries').select(['status', 'attempts']).where('id', '=', deliveryIds[0]!).executeTakeFirstOrThrow();
  expect(stuck).toEqual({ status: 'sending', attempts: 1 });
  await pipeline.db.updateTable('alert_deliveries').set({ claimed_at: new Date(Date.now() - 3_600_000) }).execute();

  await proxy.accept();
  await expect(runAlertJob(job, deps)).resolves.toEqual({ sent: 0, skipped: 1, heldUntil: null });
  await sleep(500);
  expect(smtp.messages).toHaveLength(1);
  const row = await pipeline.db.selectFrom('alert_deliveries').selectAll().where('id', '=', deliveryIds[0]!).executeTakeFirstOrThrow();
  expect(row.status).toBe('sent');
  expect(row.attempts).toBe(1);
  const alerted = await pipeline.db.selectFrom('item_events').select(['type', 'data']).where('item_id', '=', toAnalyze[0]!).where('type', '=', 'alerted').execute();
  expect(alerted).toHaveLength(1);
  expect(alerted[0]?.data).toMatchObject({ to: 'owner@diner.test', messageId: `<${deliveryIds[0]}@earshot>` });
  expect(await readdir(sentJournalDirectory(config))).toEqual([]);
});

test('a normal send leaves no note behind', async () => {
  const { sourceId } = await createBusinessAndSource(pipeline, ['second@diner.test']);
  const source = await pipeline.db.selectFrom('sources').select(['id', 'account_id', 'business_id']).where('id', '=', sourceId).executeTakeFirstOrThrow();
  const { toAnalyze } = await ingestPage(pipeline.db, source, { items: [review('ok-1', 2, 'Rude staff.')], cursor: null });
  const deliveryIds = await createDeliveries(pipeline.db, { kind: 'negative_item', itemIds: toAnalyze });
  const config = { ...pipeline.config, dataDir: await mkdtemp(path.join(pipeline.config.dataDir, 'worker-')) };
  const deps = { db: throughProxy, mail: smtpTransport, config, credentialsKey: pipeline.credentialsKey, log: pino({ level: 'silent' }) };
  await expect(runAlertJob({ id: 'alert-ok', data: { deliveryIds } } as Job<AlertJobData>, deps)).resolves.toEqual({ sent: 1, skipped: 0, heldUntil: null });
  expect(await readdir(sentJournalDirectory(config))).toEqual([]);
});
