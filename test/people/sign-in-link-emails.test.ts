import { sql } from 'kysely';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { enqueueAlerts } from '../../services/alerts/enqueue-alerts.ts';
import { acceptInvitation, invitePerson } from '../../services/people/invitations.ts';
import { requestPasswordReset } from '../../services/people/password-resets.ts';
import { deriveSignInLinkKey, type SignInLinkSettings } from '../../services/people/sign-in-link-token.ts';
import { reconcile } from '../../services/scheduler/reconciler.ts';
import { addPerson } from '../support/web.ts';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { startRecordingSmtp, type RecordingSmtp } from '../support/smtp.ts';
import { sleep, waitUntil } from '../support/wait.ts';

let pipeline: Pipeline;
let smtp: RecordingSmtp;
let links: SignInLinkSettings;

beforeAll(async () => {
  smtp = await startRecordingSmtp();
  pipeline = await startPipeline({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://earshot.example' });
  links = { key: deriveSignInLinkKey(pipeline.credentialsKey), publicUrl: pipeline.config.publicUrl };
  pipeline.startWorkers();
});
afterAll(async () => {
  await pipeline.stop();
  await smtp.stop();
});

const inAWeek = () => new Date(Date.now() + 7 * 86_400_000);

test('an invitation is emailed once through the alert job, and its link works', async () => {
  const sent = await invitePerson(
    pipeline.db,
    { accountId: pipeline.accountId, email: 'new.staff@bakery.test', role: 'staff', invitedBy: 'Alice', expiresAt: inAWeek() },
    links,
  );
  // Queued twice (a page retried, a reconciler racing): one email.
  await enqueueAlerts(pipeline.queues, `invitation-${sent.link.id}`, sent.deliveryIds);
  await enqueueAlerts(pipeline.queues, `invitation-${sent.link.id}-again`, sent.deliveryIds);
  const [mail] = await smtp.waitFor(1);
  await pipeline.idle();
  await sleep(300);
  expect(smtp.messages).toHaveLength(1);
  expect(mail?.to).toMatchObject({ text: 'new.staff@bakery.test' });
  expect(mail?.subject).toBe('Alice invited you to Test account on Earshot');
  expect(mail?.headers.get('x-earshot-sign-in-link')).toBe(sent.link.id);
  expect(mail?.text).toContain(sent.url);
  expect(mail?.html).toContain(`href="${sent.url}"`);
  const delivery = await pipeline.db.selectFrom('alert_deliveries').select(['status', 'attempts']).where('id', '=', sent.deliveryIds[0]!).executeTakeFirstOrThrow();
  expect(delivery).toEqual({ status: 'sent', attempts: 1 });

  // The link as emailed accepts the invitation.
  const token = /\/invitations\/(\S+)/.exec(mail?.text ?? '')?.[1] ?? '';
  const accepted = await acceptInvitation(
    pipeline.db,
    links.key,
    token,
    { email: '', displayName: 'New Staff', password: 'a long enough password', confirm: 'a long enough password' },
    { limits: { idleHours: 12, maxDays: 30 }, userAgent: null },
  );
  expect(accepted.user).toMatchObject({ email: 'new.staff@bakery.test', role: 'staff' });
});

test('a reset link written where no queue is at hand (the CLI) is found and sent by the reconciler', async () => {
  const before = smtp.messages.length;
  await addPerson(pipeline.db, pipeline.accountId, { email: 'forgetful@bakery.test', role: 'owner' });
  const outcome = await requestPasswordReset(pipeline.db, { email: 'forgetful@bakery.test', address: '127.0.0.1' }, { failuresPerEmail: 10, failuresPerAddress: 50, resetMinutes: 60 });
  expect(outcome.kind).toBe('accepted');
  // Nothing queued it; once it has waited past the reconciler's grace minute, the next pass does.
  await sleep(500);
  expect(smtp.messages).toHaveLength(before);
  await sql`UPDATE alert_deliveries SET updated_at = now() - interval '2 minutes' WHERE kind = 'password_reset'`.execute(pipeline.db);
  expect(await reconcile(pipeline)).toMatchObject({ alerts: 1 });
  const mails = await smtp.waitFor(before + 1);
  expect(mails.at(-1)?.subject).toBe('Reset your Earshot password');
  expect(mails.at(-1)?.text).toMatch(/https:\/\/earshot\.example\/reset-password\/[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}/);
  await waitUntil('the reset email to be marked sent', async () => {
    const rows = await pipeline.db.selectFrom('alert_deliveries').select('status').where('kind', '=', 'password_reset').execute();
    return rows.every((row) => row.status === 'sent');
  });
});
