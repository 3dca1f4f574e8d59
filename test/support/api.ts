import { createHash, randomUUID } from 'node:crypto';
import os from 'node:os';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../../config/config.ts';
import type { Db } from '../../db/database.ts';
import { createAccount } from '../../db/repositories/accounts.ts';
import { createApiKey } from '../../services/keys/create-api-key.ts';
import { createBusiness } from '../../db/repositories/businesses.ts';
import { createSource } from '../../services/sources/store-source.ts';
import type { NewItem, Role } from '../../db/schema.ts';
import { buildApp } from '../../services/api/app.ts';
import { createQueues, type Queues } from '../../services/jobs/queues.ts';
import { deriveCredentialsKey, type CredentialsKey } from '../../services/sources/credentials.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { testRedis } from './redis.ts';

/** An account with an owner key, one business and one source, made through the repositories. */
export interface Tenant {
  accountId: string;
  key: string;
  keyId: string;
  businessId: string;
  sourceId: string;
}

export interface ApiHarness {
  app: FastifyInstance;
  db: Db;
  queues: Queues;
  config: Config;
  credentialsKey: CredentialsKey;
  /** The caller in most tests. */
  tenant: Tenant;
  /** Someone else, whose ids must look like they do not exist. */
  stranger: Tenant;
  /** Runs a request with `key` as the Bearer token (default: the tenant's). */
  call(options: InjectOptions & { key?: string | null }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ LOG_LEVEL: 'silent', BLUESKY_JETSTREAM_URL: 'off' }, os.tmpdir()), ...overrides };
}

export async function createTenant(db: Db, credentialsKey: CredentialsKey, name: string): Promise<Tenant> {
  const account = await createAccount(db, name);
  const { id: keyId, key } = await createApiKey(db, { accountId: account.id, role: 'owner', name: `${name} owner` });
  const business = await createBusiness(db, account.id, { name: `${name} Bistro`, timezone: 'UTC', alertEmails: ['owner@example.com'] });
  const source = await createSource(db, credentialsKey, {
    accountId: account.id,
    businessId: business.id,
    type: 'test_platform',
    config: {},
    credentials: {},
    pollEveryMinutes: 15,
    scheduled: true,
  });
  return { accountId: account.id, key, keyId, businessId: business.id, sourceId: source.id };
}

/** Another key on an existing account, e.g. a staff key or one limited to some businesses. */
export async function addKey(db: Db, accountId: string, role: Role, businessIds?: string[]): Promise<{ id: string; key: string }> {
  return createApiKey(db, { accountId, role, name: `${role} key`, businessIds: businessIds ?? null });
}

export async function createApiHarness(options: { config?: Partial<Config> } = {}): Promise<ApiHarness & { testDb: TestDatabase }> {
  const testDb = await createTestDatabase();
  const redis = testRedis();
  const queues = createQueues(redis.url, redis.prefix);
  const config = testConfig(options.config);
  const credentialsKey = deriveCredentialsKey('test-secret-'.padEnd(40, 'x'));
  const app = await buildApp({ db: testDb.db, queues, config, credentialsKey, logger: false });
  const tenant = await createTenant(testDb.db, credentialsKey, 'Alice');
  const stranger = await createTenant(testDb.db, credentialsKey, 'Mallory');
  return {
    app,
    db: testDb.db,
    testDb,
    queues,
    config,
    credentialsKey,
    tenant,
    stranger,
    call({ key, ...request }) {
      const token = key === undefined ? tenant.key : key;
      const headers = { ...request.headers, ...(token !== null && { authorization: `Bearer ${token}` }) };
      return app.inject({ ...request, headers });
    },
    async close() {
      await app.close();
      await queues.close();
      await testDb.drop();
    },
  };
}

export interface TestItem {
  accountId: string;
  businessId: string;
  sourceId: string;
}

/** Writes an item straight to the table, as ingest would; returns its id. */
export async function insertItem(db: Db, owner: TestItem, overrides: Partial<NewItem> = {}): Promise<string> {
  const externalId = overrides.external_id ?? randomUUID();
  const body = overrides.body ?? `Review ${externalId}`;
  const row = await db
    .insertInto('items')
    .values({
      account_id: owner.accountId,
      business_id: owner.businessId,
      source_id: owner.sourceId,
      kind: 'review',
      external_id: externalId,
      body,
      sort_at: new Date(),
      content_hash: createHash('sha256').update(body).digest('hex'),
      ...overrides,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A new business and source of the tenant's own, so a test's counts and filters see only its own items. */
export async function freshSource(h: Pick<ApiHarness, 'db' | 'credentialsKey' | 'tenant'>): Promise<TestItem> {
  const business = await createBusiness(h.db, h.tenant.accountId, { name: 'Shop', timezone: 'UTC', alertEmails: ['s@example.com'] });
  const source = await createSource(h.db, h.credentialsKey, {
    accountId: h.tenant.accountId,
    businessId: business.id,
    type: 'test_platform',
    config: {},
    credentials: {},
    pollEveryMinutes: 15,
    scheduled: true,
  });
  return { accountId: h.tenant.accountId, businessId: business.id, sourceId: source.id };
}
