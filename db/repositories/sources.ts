import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, SourceStatus, SourcesTable, StreamState } from '../schema.ts';
import { servesSource } from './serving-stream.ts';
import type { StreamStatus } from './stream-cursors.ts';
import { inBusinessScope, type TenantScope } from './tenant-scope.ts';

export interface SourceHealth {
  status: SourceStatus;
  lastPolledAt: Date | null;
  lastSuccessAt: Date | null;
  lastError: { kind: string; message: string; at: Date | null } | null;
  consecutiveFailures: number;
  itemCount: number;
  /** Set when the source has heard nothing for far longer than it usually does. */
  quietSince: Date | null;
  /** The last items kept aside because they could not be stored, newest first. */
  skippedItems: Array<{ externalId: string; reason: string; at: Date }>;
  /** The stream serving the source (services/streams/); null when none does. */
  stream: StreamStatus | null;
}

/** A source as its owner sees it. Credentials are deliberately absent: they are write-only. */
export interface SourceRecord {
  id: string;
  accountId: string;
  businessId: string;
  type: string;
  config: Record<string, unknown>;
  pollEveryMinutes: number;
  createdAt: Date;
  health: SourceHealth;
}

export interface NewSource {
  /** Made by the caller: the sealed credentials bind it. */
  id: string;
  accountId: string;
  businessId: string;
  type: string;
  /** Already validated by the connector. */
  config: Record<string, unknown>;
  /** The credentials already sealed (services/sources/credentials.ts); null when there are none. */
  credentials: string | null;
  pollEveryMinutes: number;
  /** False for push sources: nothing to poll, so they are never due. */
  scheduled: boolean;
}

/** Never: push sources are not polled. */
const NEVER = new Date('9999-12-31T00:00:00Z');

const COLUMNS = [
  'sources.id',
  'sources.account_id',
  'sources.business_id',
  'sources.type',
  'sources.config',
  'sources.poll_every_minutes',
  'sources.created_at',
  'sources.status',
  'sources.last_polled_at',
  'sources.last_success_at',
  'sources.last_error_kind',
  'sources.last_error_message',
  'sources.last_error_at',
  'sources.consecutive_failures',
  'sources.quiet_since',
] as const;

type SourceRow = Omit<Selectable<SourcesTable>, 'credentials' | 'cursor' | 'claimed_slot' | 'next_poll_at' | 'updated_at'> & {
  item_count: string | number;
  skipped_items: Array<{ externalId: string; reason: string; at: string }>;
  stream: { state: StreamState; lastEventAt: string | null; lastCommittedAt: string | null; heartbeatAt: string | null } | null;
};

function dateOrNull(value: string | null): Date | null {
  return value === null ? null : new Date(value);
}

const SKIPPED_ITEMS_SHOWN = 10;

function toRecord(row: SourceRow): SourceRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    businessId: row.business_id,
    type: row.type,
    config: row.config,
    pollEveryMinutes: row.poll_every_minutes,
    createdAt: row.created_at,
    health: {
      status: row.status,
      lastPolledAt: row.last_polled_at,
      lastSuccessAt: row.last_success_at,
      lastError:
        row.last_error_kind === null
          ? null
          : { kind: row.last_error_kind, message: row.last_error_message ?? '', at: row.last_error_at },
      consecutiveFailures: row.consecutive_failures,
      itemCount: Number(row.item_count),
      quietSince: row.quiet_since,
      skippedItems: row.skipped_items.map((item) => ({ ...item, at: new Date(item.at) })),
      stream: row.stream && {
        state: row.stream.state,
        lastEventAt: dateOrNull(row.stream.lastEventAt),
        lastCommittedAt: dateOrNull(row.stream.lastCommittedAt),
        heartbeatAt: dateOrNull(row.stream.heartbeatAt),
      },
    },
  };
}

function selectSources(db: Kysely<Database>, scope: TenantScope) {
  return db
    .selectFrom('sources')
    .select(COLUMNS)
    .select(sql<string>`(SELECT count(*) FROM items WHERE items.source_id = sources.id)`.as('item_count'))
    .select(
      sql<SourceRow['skipped_items']>`(
        SELECT coalesce(json_agg(json_build_object('externalId', s.external_id, 'reason', s.reason, 'at', s.skipped_at) ORDER BY s.skipped_at DESC, s.id DESC), '[]'::json)
        FROM (
          SELECT id, external_id, reason, skipped_at FROM skipped_items WHERE skipped_items.source_id = sources.id
          ORDER BY skipped_at DESC, id DESC LIMIT ${SKIPPED_ITEMS_SHOWN}
        ) s
      )`.as('skipped_items'),
    )
    .select(
      // The stream connection serving the source, if any (serving-stream.ts).
      sql<SourceRow['stream']>`(
        SELECT json_build_object('state', sc.state, 'lastEventAt', sc.last_event_at, 'lastCommittedAt', sc.last_committed_at, 'heartbeatAt', sc.heartbeat_at)
        FROM stream_cursors sc
        WHERE ${servesSource}
        ORDER BY sc.stream LIMIT 1
      )`.as('stream'),
    )
    .where('sources.account_id', '=', scope.accountId)
    .where(inBusinessScope('sources.business_id', scope));
}

/** Stores a new source, due at once so the next scheduler tick polls it. */
export async function insertSource(db: Kysely<Database>, input: NewSource): Promise<SourceRecord> {
  const { id } = input;
  await db
    .insertInto('sources')
    .values({
      id,
      account_id: input.accountId,
      business_id: input.businessId,
      type: input.type,
      config: JSON.stringify(input.config),
      credentials: input.credentials,
      poll_every_minutes: input.pollEveryMinutes,
      next_poll_at: input.scheduled ? sql<Date>`now()` : NEVER,
    })
    .execute();
  const created = await findSource(db, { accountId: input.accountId, businessIds: null }, id);
  if (created === undefined) throw new Error(`source ${id} vanished right after it was inserted`);
  return created;
}

export async function findSource(db: Kysely<Database>, scope: TenantScope, sourceId: string): Promise<SourceRecord | undefined> {
  const row = await selectSources(db, scope).where('sources.id', '=', sourceId).executeTakeFirst();
  return row && toRecord(row);
}

export async function listSourcesOfBusiness(db: Kysely<Database>, scope: TenantScope, businessId: string): Promise<SourceRecord[]> {
  const rows = await selectSources(db, scope)
    .where('sources.business_id', '=', businessId)
    .orderBy('sources.created_at')
    .orderBy('sources.id')
    .execute();
  return rows.map(toRecord);
}

/** What a source needs to be changed: its type, config and sealed credentials. */
export async function findSourceSettings(
  db: Kysely<Database>,
  scope: TenantScope,
  id: string,
): Promise<{ type: string; config: Record<string, unknown>; credentials: string | null; status: SourceStatus } | undefined> {
  return db
    .selectFrom('sources')
    .select(['sources.type', 'sources.config', 'sources.credentials', 'sources.status'])
    .where('sources.id', '=', id)
    .where('sources.account_id', '=', scope.accountId)
    .where(inBusinessScope('sources.business_id', scope))
    .executeTakeFirst();
}

export interface SourceChange {
  /** New validated settings; a new config also forgets the cursor (it belonged to the old place or search). */
  config?: Record<string, unknown>;
  /** Already sealed (services/sources/credentials.ts); null: none any more. */
  credentials?: string | null;
  pollEveryMinutes?: number;
  paused?: boolean;
  scheduled: boolean;
}

/**
 * Applies an owner's change. New settings clear a `needs_attention` state and make the
 * source due at once (that is how a fix is tried); pausing stops polling until resumed.
 */
export async function storeSourceChange(db: Kysely<Database>, scope: TenantScope, id: string, change: SourceChange): Promise<SourceRecord | undefined> {
  const settingsChanged = change.config !== undefined || change.credentials !== undefined;
  // Explicit pause/resume wins; new settings clear needs_attention/failing but keep a pause.
  const status =
    change.paused === true
      ? sql<SourceStatus>`'paused'`
      : change.paused === false
        ? sql<SourceStatus>`'ok'`
        : settingsChanged
          ? sql<SourceStatus>`CASE WHEN status = 'paused' THEN 'paused' ELSE 'ok' END`
          : undefined;
  const makeDue = change.paused === false || (settingsChanged && change.paused !== true);
  const result = await db
    .updateTable('sources')
    .set({
      ...(change.config !== undefined ? { config: JSON.stringify(change.config), cursor: null } : {}),
      ...(change.credentials !== undefined ? { credentials: change.credentials } : {}),
      ...(change.pollEveryMinutes !== undefined ? { poll_every_minutes: change.pollEveryMinutes } : {}),
      ...(status !== undefined ? { status } : {}),
      ...(settingsChanged ? { consecutive_failures: 0 } : {}),
      ...(makeDue ? { next_poll_at: change.scheduled ? sql<Date>`now()` : NEVER } : {}),
      updated_at: sql<Date>`now()`,
    })
    .where('sources.id', '=', id)
    .where('sources.account_id', '=', scope.accountId)
    .where(inBusinessScope('sources.business_id', scope))
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return undefined;
  return findSource(db, scope, id);
}

/** A push source as its webhook needs it. No tenant scope: the request's signature is the credential. */
export async function findPushSource(
  db: Kysely<Database>,
  id: string,
  type: string,
): Promise<{ id: string; account_id: string; business_id: string; credentials: string | null; status: SourceStatus } | undefined> {
  return db
    .selectFrom('sources')
    .select(['id', 'account_id', 'business_id', 'credentials', 'status'])
    .where('id', '=', id)
    .where('type', '=', type)
    .executeTakeFirst();
}
