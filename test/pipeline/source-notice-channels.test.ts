import { sql } from 'kysely';
import nock from 'nock';
import { beforeAll, expect, test } from 'vitest';
import { ingestPage } from '../../services/ingest/ingest-page.ts';
import { checkQuietSources } from '../../services/scheduler/quiet-sources.ts';
import { createBusinessAndSource, review } from '../support/items.ts';
import { useNoticePipeline } from '../support/notice-pipeline.ts';
import type { Pipeline } from '../support/pipeline.ts';
import type { RecordingSmtp } from '../support/smtp.ts';
import { sleep, waitUntil } from '../support/wait.ts';

const bed = useNoticePipeline();
let pipeline: Pipeline;
let smtp: RecordingSmtp;
beforeAll(() => {
  ({ pipeline, smtp } = bed);
});

const notices = (sourceId: string) =>
  pipeline.db.selectFrom('alert_deliveries').select(['kind', 'recipient', 'channel_id', 'status']).where('source_id', '=', sourceId).orderBy('recipient').execute();
const health = async (sourceId: string) => (await pipeline.api('GET', `/v1/sources/${sourceId}`)).body.health;

test('refused credentials reach the Slack channel an instant rule names, as well as the alert addresses; a channel only in a daily rule is not told', async () => {
  const { businessId, sourceId } = await createBusinessAndSource(pipeline, ['Owner@Refused.test'], 'place-refused-channel');
  const instant = await bed.slackRule(businessId, { when: { ratingMax: 1 }, delivery: 'instant' });
  const daily = await bed.slackRule(businessId, { when: { ratingMax: 1 }, delivery: 'daily' });
  nock('https://places.googleapis.com')
    .get('/v1/places/place-refused-channel')
    .reply(403, { error: { code: 403, message: 'API key not valid. Please pass a valid API key.', status: 'PERMISSION_DENIED' } });

  await pipeline.api('POST', `/v1/sources/${sourceId}/poll`);
  await waitUntil('the source to need attention', async () => (await health(sourceId)).status === 'needs_attention');
  await waitUntil('the notices sent', async () => {
    const rows = await notices(sourceId);
    return rows.length === 2 && rows.every((row) => row.status === 'sent');
  });
  expect(await notices(sourceId)).toEqual([
    { kind: 'source_needs_attention', recipient: `channel:${instant.channelId}`, channel_id: instant.channelId, status: 'sent' },
    { kind: 'source_needs_attention', recipient: 'owner@refused.test', channel_id: null, status: 'sent' },
  ]);
  expect(instant.receiver.accepted).toHaveLength(1);
  const slack = JSON.parse(instant.receiver.accepted[0]!.body) as { text: string };
  expect(slack.text).toContain('API key not valid');
  expect(slack.text).toContain(`/v1/sources/${sourceId}`);
  const mails = smtp.messages.filter((mail) => mail.headers.get('x-earshot-source') === sourceId);
  expect(mails.map((mail) => mail.subject)).toEqual([expect.stringContaining('needs attention')]);
  await pipeline.idle();
  await sleep(300);
  expect(daily.receiver.received).toEqual([]);
});

test('a source gone quiet is told on the Slack channel once per quiet spell', async () => {
  const { businessId, sourceId } = await createBusinessAndSource(pipeline, ['owner@quiet-channel.test'], 'place-quiet-channel');
  const { channelId, receiver } = await bed.slackRule(businessId, { when: { ratingMax: 1 }, delivery: 'instant' });
  const source = await pipeline.db.selectFrom('sources').select(['id', 'account_id', 'business_id']).where('id', '=', sourceId).executeTakeFirstOrThrow();
  const history = Array.from({ length: 10 }, (_, n) => review(`qc${n}`, 5, 'Lovely.', 24 * (30 + n)));
  await ingestPage(pipeline.db, source, { items: history, cursor: null });
  await sql`UPDATE sources SET last_success_at = now() WHERE id = ${sourceId}`.execute(pipeline.db);

  expect(await checkQuietSources(pipeline.db, pipeline.queues)).toBe(1);
  await waitUntil('the Slack notice', async () => receiver.accepted.length === 1);
  expect(JSON.parse(receiver.accepted[0]!.body).text).toContain('nothing new has arrived');
  expect((await notices(sourceId)).map((row) => row.recipient)).toEqual([`channel:${channelId}`, 'owner@quiet-channel.test']);

  expect(await checkQuietSources(pipeline.db, pipeline.queues)).toBe(0);
  await pipeline.idle();
  await sleep(300);
  expect(receiver.received).toHaveLength(1);
});
