import { ConnectorError, type HttpClient } from '../contract.ts';
import { badPayload, isRecord, stringOrNull } from '../payload-shape.ts';
import type { BlueskyCredentials } from './settings.ts';

export interface Session {
  accessJwt: string;
  /** The signed-in account: the repo a reply is written to, and how our own replies are recognised. */
  did: string;
  handle: string | null;
}

/**
 * Signs in with an app password. Bluesky limits session creation far more tightly
 * than reads, so a poll signs in once and reuses the token for every search, and a
 * reply signs in once, only to write.
 */
export async function createSession(http: HttpClient, baseUrl: string, credentials: BlueskyCredentials): Promise<Session> {
  let body: unknown;
  try {
    ({ body } = await http.json({
      method: 'POST',
      url: `${baseUrl}/xrpc/com.atproto.server.createSession`,
      body: { identifier: credentials.identifier, password: credentials.appPassword },
      label: 'sign-in (createSession)',
    }));
  } catch (error) {
    if (error instanceof ConnectorError && error.status === 401) {
      throw new ConnectorError('config', `${error.message}. Check credentials.identifier and use an app password, not the account password`, {
        status: 401,
        cause: error,
      });
    }
    throw error;
  }
  if (!isRecord(body) || typeof body.accessJwt !== 'string' || body.accessJwt === '') {
    // The reply holds tokens; keep only its shape for inspection.
    throw badPayload('bluesky sign-in (createSession): the response has no accessJwt', isRecord(body) ? Object.keys(body) : typeof body);
  }
  if (typeof body.did !== 'string' || !body.did.startsWith('did:')) {
    throw badPayload('bluesky sign-in (createSession): the response has no did', Object.keys(body));
  }
  return { accessJwt: body.accessJwt, did: body.did, handle: stringOrNull(body.handle) };
}
