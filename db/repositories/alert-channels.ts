import type { Kysely, Selectable } from 'kysely';
import type { AlertChannelStatus, AlertChannelsTable, Database, QuietHoursSetting } from '../schema.ts';
import { orWhenTaken } from './unique-violation.ts';

/**
 * An alert channel as its owner sees it. The sealed credentials are deliberately
 * absent: they are write-only (see findChannelSettings for the one reader).
 */
export interface AlertChannelRecord {
  id: string;
  accountId: string;
  type: string;
  name: string;
  /** Only the fields the channel does not mark secret. */
  config: Record<string, unknown>;
  health: AlertChannelHealth;
  /** Instant alerts wait while these last, in the time zone of the business an alert is about; null: never quiet. */
  quietHours: QuietHoursSetting | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface AlertChannelHealth {
  /** needs_attention: the receiver refused the channel's settings; the owner must fix them. */
  status: AlertChannelStatus;
  lastError: { message: string; at: Date | null } | null;
  lastSuccessAt: Date | null;
}

/** A channel as sending needs it: with the sealed credentials, for the caller to open. */
export interface AlertChannelSettings extends AlertChannelRecord {
  /** AES-256-GCM envelope (services/sources/credentials.ts); null when the channel has no secrets. */
  sealedCredentials: string | null;
}

export interface NewAlertChannel {
  /** Made by the caller: the sealed credentials bind it. */
  id: string;
  accountId: string;
  type: string;
  name: string;
  /** Already parsed by the channel, secrets taken out. */
  config: Record<string, unknown>;
  /** Already sealed; null when there are none. */
  sealedCredentials: string | null;
  /** Already checked. */
  quietHours: QuietHoursSetting | null;
}

/** What an owner's change writes; absent fields stay as stored. */
export interface AlertChannelChange {
  name?: string;
  config?: Record<string, unknown>;
  sealedCredentials?: string | null;
  /** null: no quiet hours any more. */
  quietHours?: QuietHoursSetting | null;
}

/** What one send or test through a channel taught us about it. */
export type ChannelOutcome =
  | { ok: true; at: Date }
  /** `needsAttention`: the receiver refused the settings (a `config` error), so sending again will not help. */
  | { ok: false; at: Date; message: string; needsAttention: boolean };

const COLUMNS = ['id', 'account_id', 'type', 'name', 'config', 'status', 'last_error', 'last_error_at', 'last_success_at', 'quiet_hours', 'created_at', 'updated_at'] as const;

type ChannelRow = Pick<Selectable<AlertChannelsTable>, (typeof COLUMNS)[number]>;

function toRecord(row: ChannelRow): AlertChannelRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    type: row.type,
    name: row.name,
    config: row.config,
    health: {
      status: row.status,
      lastError: row.last_error === null ? null : { message: row.last_error, at: row.last_error_at },
      lastSuccessAt: row.last_success_at,
    },
    quietHours: row.quiet_hours,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function insertAlertChannel(db: Kysely<Database>, channel: NewAlertChannel): Promise<AlertChannelRecord | 'name_taken'> {
  const row = await orWhenTaken(() =>
    db
      .insertInto('alert_channels')
      .values({
        id: channel.id,
        account_id: channel.accountId,
        type: channel.type,
        name: channel.name,
        config: JSON.stringify(channel.config),
        credentials: channel.sealedCredentials,
        quiet_hours: channel.quietHours === null ? null : JSON.stringify(channel.quietHours),
      })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow(),
    'name_taken' as const,
  );
  return row === 'name_taken' ? row : toRecord(row);
}

/** The account's channels with their sealed credentials, by name: for showing each one's masked secrets. */
export async function listAlertChannelSettings(db: Kysely<Database>, accountId: string): Promise<AlertChannelSettings[]> {
  const rows = await db
    .selectFrom('alert_channels')
    .select([...COLUMNS, 'credentials'])
    .where('account_id', '=', accountId)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ ...toRecord(row), sealedCredentials: row.credentials }));
}

export async function findAlertChannel(db: Kysely<Database>, accountId: string, id: string): Promise<AlertChannelRecord | undefined> {
  const row = await db.selectFrom('alert_channels').select(COLUMNS).where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
  return row && toRecord(row);
}

/** The one reader of the sealed credentials: for sending, and for a change that keeps them. */
export async function findAlertChannelSettings(db: Kysely<Database>, accountId: string, id: string): Promise<AlertChannelSettings | undefined> {
  const row = await db
    .selectFrom('alert_channels')
    .select([...COLUMNS, 'credentials'])
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row && { ...toRecord(row), sealedCredentials: row.credentials };
}

/**
 * Applies an owner's change. New settings clear a needs_attention state: the owner
 * has just fixed what the receiver refused, and the next send will tell.
 * undefined: no such channel in the account; 'name_taken': another channel has that name.
 */
export async function updateAlertChannel(
  db: Kysely<Database>,
  accountId: string,
  id: string,
  change: AlertChannelChange,
): Promise<AlertChannelRecord | 'name_taken' | undefined> {
  const newSettings = change.config !== undefined || change.sealedCredentials !== undefined;
  const row = await orWhenTaken(() =>
    db
      .updateTable('alert_channels')
      .set({
        ...(change.name !== undefined ? { name: change.name } : {}),
        ...(change.config !== undefined ? { config: JSON.stringify(change.config) } : {}),
        ...(change.sealedCredentials !== undefined ? { credentials: change.sealedCredentials } : {}),
        ...(change.quietHours !== undefined ? { quiet_hours: change.quietHours === null ? null : JSON.stringify(change.quietHours) } : {}),
        ...(newSettings ? { status: 'ok' as const } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .where('account_id', '=', accountId)
      .returning(COLUMNS)
      .executeTakeFirst(),
    'name_taken' as const,
  );
  return row === 'name_taken' || row === undefined ? row : toRecord(row);
}

/** true when a channel of the account was deleted. */
export async function deleteAlertChannel(db: Kysely<Database>, accountId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('alert_channels').where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * Records how a send went. A success makes the channel healthy again and keeps the
 * last error for the record; a failure records its message, and marks the channel as
 * needing attention only when the receiver refused its settings.
 */
export async function recordAlertChannelOutcome(
  db: Kysely<Database>,
  accountId: string,
  id: string,
  outcome: ChannelOutcome,
): Promise<AlertChannelRecord | undefined> {
  const set = outcome.ok
    ? { status: 'ok' as const, last_success_at: outcome.at }
    : { last_error: outcome.message, last_error_at: outcome.at, ...(outcome.needsAttention ? { status: 'needs_attention' as const } : {}) };
  const row = await db
    .updateTable('alert_channels')
    .set(set)
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .returning(COLUMNS)
    .executeTakeFirst();
  return row && toRecord(row);
}

/**
 * The channel's health status, its row locked until the caller's transaction ends: two
 * workers refused by the same channel at once decide one after the other whether the
 * channel just started needing attention. undefined: no such channel in the account.
 */
export async function lockAlertChannelStatus(tx: Kysely<Database>, accountId: string, id: string): Promise<AlertChannelStatus | undefined> {
  const row = await tx.selectFrom('alert_channels').select('status').where('id', '=', id).where('account_id', '=', accountId).forUpdate().executeTakeFirst();
  return row?.status;
}
