import { afterAll, beforeAll, expect, test } from 'vitest';
import { freePort } from '../../services/runtime/free-port.ts';
import { createBusinessAndSource, ingestAndQueue, review } from '../support/items.ts';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { startRecordingSmtp, type RecordingSmtp } from '../support/smtp.ts';
import { sleep, waitUntil } from '../support/wait.ts';

let pipeline: Pipeline;
let smtp: RecordingSmtp | undefined;
let smtpPort: number;

beforeAll(async () => {
  smtpPort = await freePort();
  pipeline = await startPipeline({ SMTP_URL: `smtp://127.0.0.1:${smtpPort}` });
  pipeline.startWorkers();
});
afterAll(async () => {
  await pipeline.stop();
  await smtp?.stop();
});

test('while SMTP refuses connections the alert is retried, and it goes out once when SMTP is back', async () => {
  const { sourceId } = await createBusinessAndSource(pipeline, ['owner@diner.test']);
  await ingestAndQueue(pipeline, sourceId, [review('outage-1', 2, 'The fries were soggy and the bill was wrong.')]);

  // Between attempts the delivery is back to pending, with the reason it failed.
  const refused = await waitUntil('several refused attempts', async () => {
    const row = await pipeline.db.selectFrom('alert_deliveries').selectAll().executeTakeFirst();
    return row && row.attempts >= 3 && row.status === 'pending' ? row : undefined;
  });
  expect(refused.last_error).toMatch(/ECONNREFUSED/);
  expect(refused.sent_at).toBeNull();

  smtp = await startRecordingSmtp(smtpPort);
  const [mail] = await smtp.waitFor(1, 30_000);
  expect(mail?.text).toContain('The fries were soggy');
  await sleep(3000);
  expect(smtp.messages).toHaveLength(1);
  const sent = await pipeline.db.selectFrom('alert_deliveries').selectAll().where('id', '=', refused.id).executeTakeFirstOrThrow();
  expect(sent.status).toBe('sent');
  expect(sent.sent_at).not.toBeNull();
});
