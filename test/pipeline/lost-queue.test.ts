import { sql } from 'kysely';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { analyzeItems } from '../../services/analysis/analyze-items.ts';
import { ingestPage } from '../../services/ingest/ingest-page.ts';
import { reconcile } from '../../services/scheduler/reconciler.ts';
import { createBusinessAndSource, review } from '../support/items.ts';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { startRecordingSmtp, type RecordingSmtp } from '../support/smtp.ts';
import { sleep, waitUntil } from '../support/wait.ts';

let pipeline: Pipeline;
let smtp: RecordingSmtp;

beforeAll(async () => {
  smtp = await startRecordingSmtp();
  pipeline = await startPipeline({ SMTP_URL: smtp.url });
});
afterAll(async () => {
  await pipeline.stop();
  await smtp.stop();
});

test('after the queue is lost, the reconciler finishes from Postgres what was unfinished: nothing lost, nothing twice', async () => {
  const { sourceId } = await createBusinessAndSource(pipeline, ['owner@diner.test']);
  const source = await pipeline.db.selectFrom('sources').select(['id', 'account_id', 'business_id']).where('id', '=', sourceId).executeTakeFirstOrThrow();
  // One item ingested but never analysed, one analysed with its alert never sent; then the queue disappears.
  const unanalysed = await ingestPage(pipeline.db, source, { items: [review('lost-1', 1, 'Nobody answered the phone all week.')], cursor: null });
  const analysed = await ingestPage(pipeline.db, source, { items: [review('lost-2', 2, 'The delivery came two hours late and cold.')], cursor: null });
  await analyzeItems(pipeline.db, analysed.toAnalyze, { alertMaxAgeDays: 14 });
  // Both happened longer ago than the reconciler's grace period.
  await sql`UPDATE items SET first_seen_at = now() - interval '5 minutes'`.execute(pipeline.db);
  await sql`UPDATE alert_deliveries SET created_at = now() - interval '5 minutes', updated_at = now() - interval '5 minutes'`.execute(pipeline.db);
  // The run's Redis is shared with other test files: lose only this file's queues.
  for (const queue of [pipeline.queues.poll, pipeline.queues.analyze, pipeline.queues.alert]) await queue.obliterate({ force: true });

  expect(await reconcile(pipeline)).toEqual({ analyze: 1, alerts: 1, replies: 0 });
  pipeline.startWorkers();
  const mails = await smtp.waitFor(2);
  expect(mails.map((m) => m.text).join('\n')).toContain('Nobody answered the phone');
  expect(mails.map((m) => m.text).join('\n')).toContain('two hours late');
  expect(unanalysed.toAnalyze).toHaveLength(1);

  // A second pass finds nothing left to do, and nothing is sent again.
  await waitUntil('all deliveries sent', async () => {
    const open = await pipeline.db.selectFrom('alert_deliveries').select('id').where('status', '<>', 'sent').execute();
    return open.length === 0;
  });
  expect(await reconcile(pipeline)).toEqual({ analyze: 0, alerts: 0, replies: 0 });
  await sleep(1000);
  expect(smtp.messages).toHaveLength(2);
});
