import { sql } from 'kysely';
import { afterAll, expect, test } from 'vitest';
import { migrateDown, migrateToLatest } from '../db/migrate.ts';
import { migrations } from '../db/migrations/index.ts';
import { createTestDatabase } from './support/database.ts';

const testDb = await createTestDatabase();
afterAll(() => testDb.drop());

async function tables(): Promise<string[]> {
  const result = await sql<{ tablename: string }>`
    SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'kysely_%' ORDER BY tablename`.execute(testDb.db);
  return result.rows.map((r) => r.tablename);
}

test('migrations go up, down and up again', async () => {
  expect(await tables()).toEqual([
    'accounts', 'alert_channels', 'alert_deliveries', 'alert_rules', 'api_keys', 'businesses', 'digest_entries', 'item_events', 'item_replies', 'item_revisions', 'items', 're_review_requests', 'reply_templates', 'response_fact_changes', 'sessions',
    'sign_in_attempts', 'sign_in_links', 'skipped_items', 'sla_escalations', 'source_bad_pages', 'sources', 'stream_cursors', 'users', 'webhook_signatures_seen',
  ]);
  // Every migration's down undoes its up, newest first.
  while ((await migrateDown(testDb.db)).length > 0);
  expect(await tables()).toEqual([]);
  expect(await migrateToLatest(testDb.db)).toHaveLength(Object.keys(migrations).length);
  expect(await tables()).toHaveLength(24);
  expect(await migrateToLatest(testDb.db)).toEqual([]);
});
