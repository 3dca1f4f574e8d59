import { sql } from 'kysely';
import nock from 'nock';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ingestPage } from '../../services/ingest/ingest-page.ts';
import { checkQuietSources } from '../../services/scheduler/quiet-sources.ts';
import { createBusinessAndSource, review } from '../support/items.ts';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { startRecordingSmtp, type RecordingSmtp } from '../support/smtp.ts';
import { sleep, waitUntil } from '../support/wait.ts';

let pipeline: Pipeline;
let smtp: RecordingSmtp;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  smtp = await startRecordingSmtp();
  pipeline = await startPipeline({ SMTP_URL: smtp.url });
  pipeline.startWorkers();
});
afterAll(async () => {
  await pipeline.stop();
  await smtp.stop();
  nock.cleanAll();
  nock.enableNetConnect();
});

const health = async (sourceId: string) => (await pipeline.api('GET', `/v1/sources/${sourceId}`)).body.health;

test('refused credentials pause the source and email the owner once, until the source is fixed', async () => {
  const { sourceId } = await createBusinessAndSource(pipeline, ['owner@diner.test', 'ops@diner.test'], 'place-refused');
  const refuse = () =>
    nock('https://places.googleapis.com')
      .get('/v1/places/place-refused')
      .reply(403, { error: { code: 403, message: 'API key not valid. Please pass a valid API key.', status: 'PERMISSION_DENIED' } });
  refuse();
  await pipeline.api('POST', `/v1/sources/${sourceId}/poll`);
  await waitUntil('the source to need attention', async () => (await health(sourceId)).status === 'needs_attention');
  const mails = await smtp.waitFor(2);
  expect(mails.map((m) => m.subject)).toEqual([expect.stringContaining('needs attention'), expect.stringContaining('needs attention')]);
  expect(mails[0]?.text).toContain('API key not valid');

  // Checking by hand while it is still broken does not email again.
  refuse();
  await pipeline.api('POST', `/v1/sources/${sourceId}/poll`);
  await waitUntil('the second refusal', async () => (await health(sourceId)).consecutiveFailures >= 2);
  await pipeline.idle();
  await sleep(500);
  expect(smtp.messages).toHaveLength(2);

  // New credentials put it back to work.
  const fixed = await pipeline.api('PATCH', `/v1/sources/${sourceId}`, { credentials: { apiKey: 'a-new-key' } });
  expect(fixed.body.health.status).toBe('ok');
});

test('a source that has gone quiet for far longer than usual is flagged, and the owner told once', async () => {
  const before = smtp.messages.length;
  const { sourceId } = await createBusinessAndSource(pipeline, ['owner@quiet.test'], 'place-quiet');
  const source = await pipeline.db.selectFrom('sources').select(['id', 'account_id', 'business_id']).where('id', '=', sourceId).executeTakeFirstOrThrow();
  // A review every day or so, the last one 30 days ago, while polls keep succeeding.
  const history = Array.from({ length: 10 }, (_, n) => review(`q${n}`, 5, 'Lovely.', 24 * (30 + n)));
  await ingestPage(pipeline.db, source, { items: history, cursor: null });
  await sql`UPDATE sources SET last_success_at = now() WHERE id = ${sourceId}`.execute(pipeline.db);

  expect(await checkQuietSources(pipeline.db, pipeline.queues)).toBe(1);
  const mails = await smtp.waitFor(before + 1);
  expect(mails.at(-1)?.subject).toContain('heard nothing');
  expect(await health(sourceId)).toMatchObject({ possiblyBroken: true, quietSince: expect.any(String) });

  expect(await checkQuietSources(pipeline.db, pipeline.queues)).toBe(0);
  await sleep(500);
  expect(smtp.messages).toHaveLength(before + 1);

  // Hearing something again ends the quiet spell.
  await ingestPage(pipeline.db, source, { items: [review('q-new', 4, 'Back again, still good.', 1)], cursor: null });
  expect(await health(sourceId)).toMatchObject({ possiblyBroken: false, quietSince: null });
});
