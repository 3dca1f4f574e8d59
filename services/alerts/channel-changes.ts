import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import {
  deleteAlertChannel,
  findAlertChannelSettings,
  insertAlertChannel,
  listAlertChannelSettings,
  updateAlertChannel,
  type AlertChannelRecord,
  type AlertChannelSettings,
} from '../../db/repositories/alert-channels.ts';
import { CredentialsDecryptionError, type CredentialsKey } from '../sources/credentials.ts';
import { NO_SECRETS, openChannelSecrets, sealChannelSecrets, type ChannelSecrets } from './channel-sealing.ts';
import {
  checkedQuietHours,
  InvalidChannelSettings,
  maskSecrets,
  settingsAfterChange,
  settingsForNewChannel,
  type ChannelSettings,
  type MaskedSecret,
  type RequestedSettings,
} from './channel-settings.ts';
import type { Channel } from './channels/contract.ts';
import type { QuietHours } from './quiet-hours.ts';
import { channels, findChannel } from './channels/registry.ts';

/**
 * Adding, listing, changing and deleting an account's alert channels: the same for the
 * API and the web app. Channels belong to the account, not to one business.
 */

/** What changing channels needs besides the request: the store and the private-address rule. */
export interface ChannelStore {
  db: Db;
  credentialsKey: CredentialsKey;
  /** EARSHOT_ALLOW_PRIVATE_URLS: channel URLs may point at this machine or a private network. */
  allowPrivateUrls: boolean;
}

/** A channel as its owner may see it: the stored record, and its secrets masked. */
export interface ChannelView {
  channel: AlertChannelRecord;
  secrets: { config: Record<string, MaskedSecret>; credentials: Record<string, MaskedSecret> };
}

export interface NewChannelRequest extends RequestedSettings {
  type: string;
  name: string;
  /** When instant alerts through it wait, in the time zone of the business an alert is about; absent or null: never. */
  quietHours?: QuietHours | null;
}

export interface ChannelChangeRequest {
  name?: string;
  /** Replaces the config; secret fields left out are kept. */
  config?: Record<string, unknown>;
  /** Replaces all credentials; left out, they are kept. */
  credentials?: Record<string, string>;
  /** Replaces the quiet hours; null: none; left out, they are kept. */
  quietHours?: QuietHours | null;
}

export const CHANNEL_NAME_MAX = 100;

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0) throw new InvalidChannelSettings('body.name', 'body.name must not be blank');
  if (trimmed.length > CHANNEL_NAME_MAX) throw new InvalidChannelSettings('body.name', `body.name must be at most ${CHANNEL_NAME_MAX} characters`);
  return trimmed;
}

function nameTaken(name: string): InvalidChannelSettings {
  return new InvalidChannelSettings('body.name', `body.name: another channel is already called "${name}"; names are compared without regard to case`);
}

function knownChannel(type: string): Channel {
  const channel = findChannel(type);
  if (channel === undefined) throw new InvalidChannelSettings('body.type', `body.type "${type}" is not a channel type; known: ${Object.keys(channels).join(', ')}`);
  return channel;
}

// A channel of a type this version no longer builds keeps its record; its secrets show as set, without hints.
const UNKNOWN_TYPE: Pick<Channel, 'configSchema' | 'credentialsSchema'> = { configSchema: {}, credentialsSchema: {} };

function secretsOf(store: ChannelStore, channel: AlertChannelSettings): ChannelSecrets | 'unreadable' {
  try {
    return openChannelSecrets(store.credentialsKey, channel.id, channel.sealedCredentials);
  } catch (error) {
    if (error instanceof CredentialsDecryptionError) return 'unreadable';
    throw error;
  }
}

function view(store: ChannelStore, channel: AlertChannelSettings): ChannelView {
  const { sealedCredentials: _sealed, ...record } = channel;
  return { channel: record, secrets: maskSecrets(findChannel(channel.type) ?? UNKNOWN_TYPE, secretsOf(store, channel)) };
}

export async function listChannels(store: ChannelStore, accountId: string): Promise<ChannelView[]> {
  // Few per account: opening each one's secrets for its hint costs microseconds.
  return (await listAlertChannelSettings(store.db, accountId)).map((channel) => view(store, channel));
}

export async function viewChannel(store: ChannelStore, accountId: string, id: string): Promise<ChannelView | undefined> {
  const channel = await findAlertChannelSettings(store.db, accountId, id);
  return channel && view(store, channel);
}

/** Adds a channel to the account; its settings are parsed by the channel and its secrets sealed. */
export async function addChannel(store: ChannelStore, accountId: string, request: NewChannelRequest): Promise<ChannelView> {
  const channel = knownChannel(request.type);
  const name = checkName(request.name);
  const settings = settingsForNewChannel(channel, request, { allowPrivateUrls: store.allowPrivateUrls });
  const quietHours = checkedQuietHours(request.quietHours ?? null);
  // Made here, not by PostgreSQL: the sealed secrets bind the id.
  const id = randomUUID();
  const saved = await insertAlertChannel(store.db, {
    id,
    accountId,
    type: channel.type,
    name,
    config: settings.config,
    sealedCredentials: sealChannelSecrets(store.credentialsKey, id, settings.secrets),
    quietHours,
  });
  if (saved === 'name_taken') throw nameTaken(name);
  return { channel: saved, secrets: maskSecrets(channel, settings.secrets) };
}

/**
 * Renames a channel or changes its settings; new settings are checked like a new
 * channel's, together with the secrets kept. Undefined when the account has no such channel.
 */
export async function changeChannel(store: ChannelStore, accountId: string, id: string, change: ChannelChangeRequest): Promise<ChannelView | undefined> {
  const current = await findAlertChannelSettings(store.db, accountId, id);
  if (current === undefined) return undefined;
  const name = change.name === undefined ? undefined : checkName(change.name);
  const settings = newSettings(store, current, change);
  const quietHours = change.quietHours === undefined ? undefined : checkedQuietHours(change.quietHours);
  const saved = await updateAlertChannel(store.db, accountId, id, {
    name,
    quietHours,
    ...(settings && { config: settings.config, sealedCredentials: sealChannelSecrets(store.credentialsKey, id, settings.secrets) }),
  });
  if (saved === 'name_taken') throw nameTaken(name ?? current.name);
  if (saved === undefined) return undefined;
  return { channel: saved, secrets: settings ? maskSecrets(settings.channel, settings.secrets) : view(store, current).secrets };
}

/** The settings a change leads to, or undefined when it changes only the name. */
function newSettings(store: ChannelStore, current: AlertChannelSettings, change: ChannelChangeRequest): (ChannelSettings & { channel: Channel }) | undefined {
  if (change.config === undefined && change.credentials === undefined) return undefined;
  const channel = knownChannel(current.type);
  const stored = secretsOf(store, current);
  // Unreadable secrets cannot be kept: the change must give them again, and the channel's parse says which are missing.
  const kept = { config: current.config, secrets: stored === 'unreadable' ? NO_SECRETS : stored };
  const settings = settingsAfterChange(channel, kept, change, { allowPrivateUrls: store.allowPrivateUrls });
  return settings && { ...settings, channel };
}

/** true when the account had the channel. */
export async function removeChannel(store: ChannelStore, accountId: string, id: string): Promise<boolean> {
  return deleteAlertChannel(store.db, accountId, id);
}
