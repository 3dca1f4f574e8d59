import { afterAll, beforeAll, expect, test } from 'vitest';
import { createAccount } from '../../db/repositories/accounts.ts';
import { createApiKey } from '../../services/keys/create-api-key.ts';
import { freePort } from '../../services/runtime/free-port.ts';
import { createBusinessAndSource, ingestAndQueue, review } from '../support/items.ts';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { startRecordingSmtp, type RecordingSmtp } from '../support/smtp.ts';
import { waitUntil } from '../support/wait.ts';

let pipeline: Pipeline;
let smtp: RecordingSmtp | undefined;
let smtpPort: number;

beforeAll(async () => {
  smtpPort = await freePort();
  // Nothing listens on the port yet: every attempt is refused, as when the mail server is down.
  pipeline = await startPipeline({ SMTP_URL: `smtp://127.0.0.1:${smtpPort}` });
  pipeline.startWorkers();
});
afterAll(async () => {
  await pipeline.stop();
  await smtp?.stop();
});

const readyz = async () => {
  const response = await pipeline.app.inject({ method: 'GET', url: '/readyz' });
  return { status: response.statusCode, body: response.json() };
};

test('while SMTP is down, readiness, the alerts health route and the item timeline all say mail is waiting, and why', async () => {
  const { sourceId } = await createBusinessAndSource(pipeline, ['owner@diner.test']);
  const [itemId] = await ingestAndQueue(pipeline, sourceId, [review('down-1', 1, 'Waited an hour and the order was wrong.')]);

  await waitUntil('several refused attempts', async () => {
    const row = await pipeline.db.selectFrom('alert_deliveries').select(['attempts', 'status']).executeTakeFirst();
    return row !== undefined && row.attempts >= 3 && row.status === 'pending';
  });

  // Degraded, not unready: the API and the pipeline still work and the alert is kept.
  const ready = await readyz();
  expect(ready.status).toBe(200);
  expect(ready.body).toMatchObject({ postgres: 'ok', redis: 'ok' });
  expect(ready.body.mail).toMatchObject({ status: 'degraded', waiting: 1, failing: 1, oldestWaitingSince: expect.any(String), lastErrorAt: expect.any(String) });
  expect(ready.body.mail.lastError).toMatch(/ECONNREFUSED/);
  expect(ready.body.mail.oldestWaitingSeconds).toBeGreaterThanOrEqual(0);

  const health = await pipeline.api('GET', '/v1/alerts/health');
  expect(health.status).toBe(200);
  expect(health.body).toMatchObject({ status: 'degraded', waiting: 1, failing: 1 });
  expect(health.body.lastError).toMatch(/ECONNREFUSED/);

  // Another account sees nothing of it.
  const other = await createAccount(pipeline.db, 'Other account');
  const { key } = await createApiKey(pipeline.db, { accountId: other.id, role: 'owner', name: 'Other owner' });
  const foreign = await pipeline.app.inject({ method: 'GET', url: '/v1/alerts/health', headers: { authorization: `Bearer ${key}` } });
  expect(foreign.json()).toMatchObject({ status: 'ok', waiting: 0, lastError: null, oldestWaitingSince: null });

  // A key limited to another business of the same account sees nothing of it either.
  const elsewhere = await createBusinessAndSource(pipeline, ['other@diner.test'], 'ChIJelsewhere');
  const limited = await createApiKey(pipeline.db, { accountId: pipeline.accountId, role: 'staff', name: 'Other desk', businessIds: [elsewhere.businessId] });
  const scoped = await pipeline.app.inject({ method: 'GET', url: '/v1/alerts/health', headers: { authorization: `Bearer ${limited.key}` } });
  expect(scoped.json()).toMatchObject({ status: 'ok', waiting: 0 });

  // One timeline entry for the change of state, however many retries followed.
  const item = await pipeline.api('GET', `/v1/items/${itemId}`);
  const waiting = item.body.events.filter((event: { type: string }) => event.type === 'alert_waiting');
  expect(waiting).toHaveLength(1);
  expect(waiting[0].data).toMatchObject({ to: 'owner@diner.test', kind: expect.any(String), reason: expect.stringMatching(/ECONNREFUSED/) });

  smtp = await startRecordingSmtp(smtpPort);
  await smtp.waitFor(1, 30_000);
  await waitUntil('the delivery marked sent', async () => (await readyz()).body.mail?.waiting === 0);
  expect((await readyz()).body.mail).toMatchObject({ status: 'ok', waiting: 0, failing: 0, lastError: null, oldestWaitingSince: null });
  expect((await pipeline.api('GET', '/v1/alerts/health')).body).toMatchObject({ status: 'ok', waiting: 0 });
  const after = await pipeline.api('GET', `/v1/items/${itemId}`);
  const types = after.body.events.map((event: { type: string }) => event.type);
  expect(types.filter((type: string) => type === 'alert_waiting')).toHaveLength(1);
  expect(types.indexOf('alerted')).toBeGreaterThan(types.indexOf('alert_waiting'));
});

test('a consultant key cannot read delivery health', async () => {
  const { key } = await createApiKey(pipeline.db, { accountId: pipeline.accountId, role: 'consultant', name: 'Agency' });
  const response = await pipeline.app.inject({ method: 'GET', url: '/v1/alerts/health', headers: { authorization: `Bearer ${key}` } });
  expect(response.statusCode).toBe(403);
});
