import { findConnector, connectors } from '../../connectors/registry.ts';
import type { Db } from '../../db/database.ts';
import { findBusiness } from '../../db/repositories/businesses.ts';
import { findSourceSettings, type SourceRecord } from '../../db/repositories/sources.ts';
import type { TenantScope } from '../../db/repositories/tenant-scope.ts';
import { decryptCredentials, type CredentialsKey } from './credentials.ts';
import { InvalidSourceSettings, settingsAfterChange, settingsForNewSource } from './source-settings.ts';
import { createSource, updateSource } from './store-source.ts';

/** What adding or changing a source needs besides the request: the store and the private-address rule. */
export interface SourceStore {
  db: Db;
  credentialsKey: CredentialsKey;
  /** EARSHOT_ALLOW_PRIVATE_URLS: tests and the demo's loopback platforms. */
  allowPrivateUrls: boolean;
}

/** The same bounds as a source's `pollEveryMinutes` in the API: a minute to a week. */
export const POLL_MINUTES = { min: 1, max: 10_080 } as const;

export interface NewSourceRequest {
  type: string;
  config: Record<string, unknown>;
  credentials?: Record<string, string>;
  /** The connector's own interval when absent. */
  pollEveryMinutes?: number;
}

export interface SourceChangeRequest {
  /** Replaces the whole config (the source then starts afresh). */
  config?: Record<string, unknown>;
  /** Replaces all credentials. */
  credentials?: Record<string, string>;
  /**
   * Replaces only the credentials named; the others stay as stored. A form that never
   * shows a saved secret sends only what the owner typed again.
   */
  credentialUpdates?: Record<string, string>;
  pollEveryMinutes?: number;
  paused?: boolean;
}

function checkPollMinutes(minutes: number | undefined): void {
  if (minutes === undefined) return;
  if (!Number.isInteger(minutes) || minutes < POLL_MINUTES.min || minutes > POLL_MINUTES.max) {
    throw new InvalidSourceSettings(
      'body.pollEveryMinutes',
      `body.pollEveryMinutes must be a whole number of minutes from ${POLL_MINUTES.min} to ${POLL_MINUTES.max}`,
    );
  }
}

/**
 * Watches a business on one platform: the type must be a known connector and the
 * settings pass its parse and the private-address rule. Push sources are never
 * scheduled. Undefined when the business is not within the scope.
 */
export async function addSource(store: SourceStore, scope: TenantScope, businessId: string, request: NewSourceRequest): Promise<SourceRecord | undefined> {
  const business = await findBusiness(store.db, scope, businessId);
  if (business === undefined) return undefined;
  const connector = findConnector(request.type);
  if (connector === undefined) {
    throw new InvalidSourceSettings('body.type', `body.type "${request.type}" is not a known source type; known: ${Object.keys(connectors).join(', ')}`);
  }
  checkPollMinutes(request.pollEveryMinutes);
  const parsed = settingsForNewSource(connector, request, store.allowPrivateUrls);
  return createSource(store.db, store.credentialsKey, {
    accountId: scope.accountId,
    businessId: business.id,
    type: connector.id,
    config: parsed.config,
    credentials: parsed.credentials,
    pollEveryMinutes: request.pollEveryMinutes ?? connector.defaultPollMinutes,
    scheduled: !connector.capabilities.push,
  });
}

/**
 * Changes a source's settings, or pauses and resumes it. New config or credentials are
 * checked like a new source's, together with what is kept. Undefined when the source is
 * not within the scope.
 */
export async function changeSource(store: SourceStore, scope: TenantScope, id: string, change: SourceChangeRequest): Promise<SourceRecord | undefined> {
  const current = await findSourceSettings(store.db, scope, id);
  if (current === undefined) return undefined;
  const connector = findConnector(current.type);
  if (connector === undefined) {
    // A platform this version no longer supports can still be paused (and then deleted), never changed or resumed.
    const onlyPausing = change.paused === true && change.config === undefined && change.credentials === undefined && change.credentialUpdates === undefined && change.pollEveryMinutes === undefined;
    if (onlyPausing) return updateSource(store.db, store.credentialsKey, scope, id, { paused: true, scheduled: false });
    throw new InvalidSourceSettings('body', `source type ${current.type} is no longer supported; it can only be paused or deleted`);
  }
  checkPollMinutes(change.pollEveryMinutes);
  const credentials = change.credentialUpdates !== undefined && Object.keys(change.credentialUpdates).length > 0
    ? { ...decryptCredentials(store.credentialsKey, id, current.credentials), ...change.credentialUpdates }
    : change.credentials;
  const settings = settingsAfterChange(
    connector,
    { id, config: current.config, sealedCredentials: current.credentials },
    { config: change.config, credentials },
    store.credentialsKey,
    store.allowPrivateUrls,
  );
  return updateSource(store.db, store.credentialsKey, scope, id, {
    ...(change.config !== undefined && settings ? { config: settings.config } : {}),
    ...(credentials !== undefined && settings ? { credentials: settings.credentials } : {}),
    ...(change.pollEveryMinutes !== undefined ? { pollEveryMinutes: change.pollEveryMinutes } : {}),
    ...(change.paused !== undefined ? { paused: change.paused } : {}),
    scheduled: !connector.capabilities.push,
  });
}
