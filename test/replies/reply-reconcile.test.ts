import { sql } from 'kysely';
import { afterAll, expect, test } from 'vitest';
import { createBusiness } from '../../db/repositories/businesses.ts';
import { reconcile } from '../../services/scheduler/reconciler.ts';
import { createReply } from '../../services/replies/create-reply.ts';
import { createApiHarness, insertItem } from '../support/api.ts';
import { googleSource } from './google-reviews.ts';

const h = await createApiHarness();
afterAll(() => h.close());

const business = await createBusiness(h.db, h.tenant.accountId, { name: 'Lost Diner', timezone: 'UTC', alertEmails: ['o@example.com'] });
const owner = { accountId: h.tenant.accountId, businessId: business.id };
const sourceId = await googleSource(h.db, h.credentialsKey, owner);
const scope = { accountId: h.tenant.accountId, businessIds: null };

async function reply(text: string) {
  const itemId = await insertItem(h.db, { ...owner, sourceId }, { rating: 1 });
  const created = await createReply(h, scope, itemId, { text, replaces: null, author: 'Sam', authorUserId: null });
  return created!.id;
}

const ago = (seconds: number) => sql<Date>`now() - make_interval(secs => ${seconds})`;

test('replies whose job was lost with Redis, or whose worker died, are queued again; the rest are left alone', async () => {
  // Its delayed job gone (a flushed Redis), two minutes past its undo window.
  const lost = await reply('Lost in Redis.');
  await h.queues.replies.remove(`reply-${lost}`);
  await h.db.updateTable('item_replies').set({ send_at: ago(120) }).where('id', '=', lost).execute();
  // Claimed by a worker that died: its lease ran out.
  const stranded = await reply('Worker died.');
  await h.db.updateTable('item_replies').set({ status: 'sending', attempts: 1, claim_token: sql`gen_random_uuid()`, claimed_at: ago(h.config.replyLeaseSeconds + 5), send_at: ago(120) }).where('id', '=', stranded).execute();
  // Still in its window; and one sending within its lease.
  await reply('Still undoable.');
  const busy = await reply('Being sent.');
  await h.db.updateTable('item_replies').set({ status: 'sending', attempts: 1, claim_token: sql`gen_random_uuid()`, claimed_at: sql`now()` }).where('id', '=', busy).execute();

  expect(await reconcile(h)).toMatchObject({ replies: 2 });
  expect((await h.queues.replies.getJob(`reply-${lost}-r1`))?.data).toEqual({ replyId: lost });
  expect((await h.queues.replies.getJob(`reply-${stranded}-r2`))?.data).toEqual({ replyId: stranded });
  // A second pass a minute later adds nothing new for the same round.
  await reconcile(h);
  expect(await h.queues.replies.getJobCounts('waiting', 'delayed')).toMatchObject({ waiting: 2 });
});
