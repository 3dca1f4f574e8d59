import { afterAll, beforeAll, expect, test } from 'vitest';
import { linkIdOfToken, deriveSignInLinkKey } from '../../services/people/sign-in-link-token.ts';
import { deriveCredentialsKey } from '../../services/sources/credentials.ts';
import { spawnEarshot } from '../support/child-process.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { addPerson } from '../support/web.ts';

const SECRET = 'users-cli-secret-0123456789abcdef0123456789';
const PUBLIC_URL = 'https://earshot.bakery.test';
let testDb: TestDatabase;
let env: Record<string, string>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  env = { DATABASE_URL: testDb.url, EARSHOT_SECRET: SECRET, PUBLIC_URL };
});
afterAll(() => testDb.drop());

async function newAccount(name: string): Promise<{ accountId: string; businessId: string }> {
  const account = await testDb.db.insertInto('accounts').values({ name }).returning('id').executeTakeFirstOrThrow();
  const business = await testDb.db.insertInto('businesses').values({ account_id: account.id, name: `${name} shop`, timezone: 'UTC', alert_emails: [] }).returning('id').executeTakeFirstOrThrow();
  return { accountId: account.id, businessId: business.id };
}

test('users invite prints only the link, signed with the instance secret, and puts its email in the outbox', async () => {
  const { accountId, businessId } = await newAccount('Bakery');
  const run = spawnEarshot(['users', 'invite', '--email', 'Jo@Bakery.test', '--role', 'staff', '--account', accountId, '--business', businessId], env);
  expect(await run.exited()).toBe(0);
  const url = run.stdout().trim();
  expect(url).toMatch(new RegExp(`^${PUBLIC_URL}/invitations/[0-9a-f-]{36}\\.[A-Za-z0-9_-]{43}$`));
  const linkId = linkIdOfToken(deriveSignInLinkKey(deriveCredentialsKey(SECRET)), 'invitation', url.slice(url.lastIndexOf('/') + 1));
  const link = await testDb.db.selectFrom('sign_in_links').selectAll().where('id', '=', linkId ?? '').executeTakeFirstOrThrow();
  expect(link).toMatchObject({ account_id: accountId, email: 'Jo@Bakery.test', role: 'staff', business_ids: [businessId], used_at: null });
  const delivery = await testDb.db.selectFrom('alert_deliveries').selectAll().where('sign_in_link_id', '=', link.id).executeTakeFirstOrThrow();
  expect(delivery).toMatchObject({ kind: 'invitation', recipient: 'jo@bakery.test', status: 'pending' });
  expect(run.output()).not.toContain('Created a new');
});

test('without --account an owner is invited into a new account, said on stderr', async () => {
  const run = spawnEarshot(['users', 'invite', '--email', 'founder@newshop.test', '--role', 'owner'], env);
  expect(await run.exited()).toBe(0);
  expect(run.stdout().trim().split('\n')).toHaveLength(1);
  const link = await testDb.db.selectFrom('sign_in_links').select(['account_id', 'role']).where('email', '=', 'founder@newshop.test').executeTakeFirstOrThrow();
  expect(link.role).toBe('owner');
  expect(run.output()).toContain(`Created a new, empty account ${link.account_id} for this person`);
});

test('users invite refuses a bad role, an unknown account, a foreign business and an address already signing in', async () => {
  const { accountId } = await newAccount('Cafe');
  const foreign = await newAccount('Elsewhere');
  await addPerson(testDb.db, foreign.accountId, { email: 'member@elsewhere.test', role: 'owner' });
  const cases: Array<{ args: string[]; code: number; says: string }> = [
    { args: ['--email', 'a@cafe.test', '--role', 'boss', '--account', accountId], code: 2, says: '--role owner|staff|consultant is required' },
    { args: ['--email', 'a@cafe.test', '--role', 'staff'], code: 2, says: 'a staff needs --account ID' },
    { args: ['--role', 'staff', '--account', accountId], code: 2, says: '--email EMAIL is required' },
    { args: ['--email', 'a@cafe.test', '--role', 'staff', '--account', '00000000-0000-4000-8000-000000000000'], code: 1, says: 'no account 00000000-0000-4000-8000-000000000000' },
    { args: ['--email', 'a@cafe.test', '--role', 'staff', '--account', accountId, '--business', foreign.businessId], code: 1, says: `a --business is not a business of account ${accountId}` },
    { args: ['--email', 'MEMBER@elsewhere.test', '--role', 'staff', '--account', accountId], code: 1, says: 'MEMBER@elsewhere.test is already a member of an account' },
  ];
  for (const { args, code, says } of cases) {
    const run = spawnEarshot(['users', 'invite', ...args], env);
    expect(await run.exited(), says).toBe(code);
    expect(run.stdout()).toBe('');
    expect(run.output()).toContain(says);
  }
  expect(await testDb.db.selectFrom('sign_in_links').select('id').where('account_id', '=', accountId).execute()).toEqual([]);
  // Six CLI processes one after another, each starting Node and loading the app: minutes on a busy machine.
}, 180_000);
