import { afterAll, beforeAll, expect, test } from 'vitest';
import { hashApiKey } from '../services/keys/api-key-secret.ts';
import { spawnEarshot } from './support/child-process.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { testRedis } from './support/redis.ts';
import { waitUntil } from './support/wait.ts';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.drop());

test('keys create prints only the new key, and stores only its hash', async () => {
  const run = spawnEarshot(['keys', 'create', '--role', 'owner', '--name', 'Agency reports'], { DATABASE_URL: testDb.url });
  expect(await run.exited()).toBe(0);
  const key = run.stdout().trim();
  expect(key).toMatch(/^esk_[A-Za-z0-9_-]{43}$/);
  const row = await testDb.db.selectFrom('api_keys').selectAll().where('key_hash', '=', hashApiKey(key)).executeTakeFirstOrThrow();
  expect(row).toMatchObject({ role: 'owner', name: 'Agency reports', revoked_at: null });
  // Without --account a new account is made, and the command says so (on stderr, so stdout stays the key alone).
  expect(run.output()).toContain(`Created a new, empty account ${row.account_id} for this key; to add a key to an existing account, pass --account ID`);

  const again = spawnEarshot(['keys', 'create', '--role', 'owner', '--account', row.account_id], { DATABASE_URL: testDb.url });
  expect(await again.exited()).toBe(0);
  const second = await testDb.db.selectFrom('api_keys').selectAll().where('key_hash', '=', hashApiKey(again.stdout().trim())).executeTakeFirstOrThrow();
  expect(second.account_id).toBe(row.account_id);
  expect(again.output()).not.toContain('Created a new');
});

test("keys create never names a new account like the demo's, which starts delete", async () => {
  const run = spawnEarshot(['keys', 'create', '--role', 'owner', '--name', 'Earshot demo'], { DATABASE_URL: testDb.url });
  expect(await run.exited()).toBe(0);
  const row = await testDb.db
    .selectFrom('api_keys')
    .innerJoin('accounts', 'accounts.id', 'api_keys.account_id')
    .select(['api_keys.name as keyName', 'accounts.name as accountName'])
    .where('key_hash', '=', hashApiKey(run.stdout().trim()))
    .executeTakeFirstOrThrow();
  expect(row).toEqual({ keyName: 'Earshot demo', accountName: 'New account' });
});

test('accounts list shows each account with its id, name, creation, businesses and live keys', async () => {
  const account = await testDb.db.insertInto('accounts').values({ name: 'Listed Cafe' }).returning(['id', 'created_at']).executeTakeFirstOrThrow();
  await testDb.db.insertInto('businesses').values({ account_id: account.id, name: 'Cafe', timezone: 'UTC', alert_emails: [] }).execute();
  await testDb.db.insertInto('businesses').values({ account_id: account.id, name: 'Bar', timezone: 'UTC', alert_emails: [] }).execute();
  for (const revoked of [null, new Date()]) {
    await testDb.db
      .insertInto('api_keys')
      .values({ account_id: account.id, role: 'owner', name: 'k', key_hash: `hash-${Math.random()}`, key_prefix: 'esk_x', revoked_at: revoked })
      .execute();
  }
  const run = spawnEarshot(['accounts', 'list'], { DATABASE_URL: testDb.url });
  expect(await run.exited()).toBe(0);
  const lines = run.stdout().trim().split('\n');
  expect(lines[0]).toMatch(/^ID\s+NAME\s+CREATED\s+BUSINESSES\s+KEYS$/);
  const line = lines.find((l) => l.startsWith(account.id));
  const created = account.created_at.toISOString().slice(0, 16).replace('T', ' ');
  expect(line).toMatch(new RegExp(`^${account.id}\\s+Listed Cafe\\s+${created}\\s+2\\s+1$`));

  const wrong = spawnEarshot(['accounts', 'show'], { DATABASE_URL: testDb.url });
  expect(await wrong.exited()).toBe(2);
  expect(wrong.output()).toContain('unknown accounts command "show"');
});

test('keys create refuses an unknown account and a missing role', async () => {
  const unknown = spawnEarshot(['keys', 'create', '--role', 'owner', '--account', '00000000-0000-4000-8000-000000000000'], { DATABASE_URL: testDb.url });
  expect(await unknown.exited()).toBe(1);
  expect(unknown.stdout()).toBe('');
  expect(unknown.output()).toContain('no account 00000000-0000-4000-8000-000000000000');
  const noRole = spawnEarshot(['keys', 'create'], { DATABASE_URL: testDb.url });
  expect(await noRole.exited()).toBe(2);
  expect(noRole.output()).toContain('--role owner|staff|consultant is required');
  const staffWithoutAccount = spawnEarshot(['keys', 'create', '--role', 'staff'], { DATABASE_URL: testDb.url });
  expect(await staffWithoutAccount.exited()).toBe(2);
  expect(staffWithoutAccount.output()).toContain('a staff key needs --account ID');
});

test('keys create makes staff and consultant keys limited to businesses of the account, and only those', async () => {
  const account = await testDb.db.insertInto('accounts').values({ name: 'Agency' }).returning('id').executeTakeFirstOrThrow();
  const business = await testDb.db.insertInto('businesses').values({ account_id: account.id, name: 'Cafe', timezone: 'UTC', alert_emails: [] }).returning('id').executeTakeFirstOrThrow();
  const run = spawnEarshot(['keys', 'create', '--role', 'consultant', '--account', account.id, '--business', business.id, '--name', 'Reports'], {
    DATABASE_URL: testDb.url,
  });
  expect(await run.exited()).toBe(0);
  const row = await testDb.db.selectFrom('api_keys').selectAll().where('key_hash', '=', hashApiKey(run.stdout().trim())).executeTakeFirstOrThrow();
  expect(row).toMatchObject({ role: 'consultant', name: 'Reports', account_id: account.id, business_ids: [business.id] });

  const other = await testDb.db.insertInto('accounts').values({ name: 'Other' }).returning('id').executeTakeFirstOrThrow();
  const foreign = await testDb.db.insertInto('businesses').values({ account_id: other.id, name: 'Not yours', timezone: 'UTC', alert_emails: [] }).returning('id').executeTakeFirstOrThrow();
  const refused = spawnEarshot(['keys', 'create', '--role', 'staff', '--account', account.id, '--business', foreign.id], { DATABASE_URL: testDb.url });
  expect(await refused.exited()).toBe(1);
  expect(refused.stdout()).toBe('');
  expect(refused.output()).toContain(`${foreign.id} is not a business of account ${account.id}`);
});

test('without redis-server and without REDIS_URL, start stops and names the ways out', async () => {
  const run = spawnEarshot(['start'], { PATH: '/nonexistent', DATABASE_URL: testDb.url });
  expect(await run.exited()).toBe(1);
  for (const way of ['install Redis', 'REDIS_URL', 'docker compose up']) expect(run.output()).toContain(way);
});

test('a bad setting stops start with the variable named', async () => {
  const run = spawnEarshot(['start'], { PORT: 'eighty' });
  expect(await run.exited()).toBe(2);
  expect(run.output()).toContain('PORT: expected a whole number');
});

test("the first start shows the owner key, the id of its account and the first owner's sign-in link", async () => {
  const fresh = await createTestDatabase();
  const redis = testRedis();
  const run = spawnEarshot(['start', '--role', 'api'], {
    DATABASE_URL: fresh.url,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: redis.prefix,
    PORT: '0',
    EARSHOT_SECRET: 'test-secret-0123456789abcdef0123456789abcdef',
  });
  try {
    await waitUntil('start to be running', async () => run.output().includes('Press Ctrl-C to stop'), 60_000);
    const key = /^\s+(esk_\S+)$/m.exec(run.output())?.[1];
    const accountId = /Its account id is ([0-9a-f-]{36}) \(earshot keys create --account ID adds keys to it/.exec(run.output())?.[1];
    const row = await fresh.db.selectFrom('api_keys').select('account_id').where('key_hash', '=', hashApiKey(key ?? '')).executeTakeFirstOrThrow();
    expect(accountId).toBe(row.account_id);
    // And a one-time link that makes the first owner's sign-in to the web app, for that same account.
    const signInUrl = /^Sign in to the web app: (\S+)$/m.exec(run.output())?.[1] ?? '';
    expect(signInUrl).toMatch(/^http:\/\/localhost:0\/invitations\/[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
    const link = await fresh.db.selectFrom('sign_in_links').selectAll().executeTakeFirstOrThrow();
    expect(signInUrl).toContain(link.id);
    expect(link).toMatchObject({ account_id: row.account_id, purpose: 'invitation', role: 'owner', email: '', business_ids: null, used_at: null });
    expect(await fresh.db.selectFrom('alert_deliveries').select('id').execute()).toEqual([]);
  } finally {
    await run.kill('SIGTERM');
    await fresh.drop();
  }
});
