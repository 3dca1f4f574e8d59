import { ConnectorError, type ConnectorContext, type HttpResponse } from '../contract.ts';
import { connectToken, type ConnectKey } from './connect-token.ts';
import type { AppStoreConfig, AppStoreCredentials } from './settings.ts';

export interface ConnectRequest {
  method?: 'GET' | 'POST' | 'DELETE';
  /** From the API root, e.g. `/v1/customerReviewResponses`. */
  path: string;
  body?: unknown;
  label: string;
  answers?: number[];
}

/** The key replies need; without one the source is read-only, and a reply says what to add. */
export function connectKeyOf(credentials: AppStoreCredentials): ConnectKey {
  const { issuerId, keyId, privateKey } = credentials;
  if (issuerId === undefined || keyId === undefined || privateKey === undefined) {
    throw new ConnectorError('config', 'credentials.issuerId, credentials.keyId and credentials.privateKey (an App Store Connect API key) are needed to reply');
  }
  return { issuerId, keyId, privateKey };
}

// What each refusal means for an API key, in the owner's terms.
const REFUSALS: Record<number, string> = {
  401: 'App Store Connect refused the API key: check credentials.issuerId, credentials.keyId and credentials.privateKey (a revoked key is refused too)',
  403: 'the API key may not do this: give it the Customer Support, App Manager or Admin role in App Store Connect',
  404: 'App Store Connect knows no such app or review for this API key: check config.appId, and that the key belongs to the team that publishes the app',
};

/** One App Store Connect API call, signed with a fresh token. */
export async function connectRequest(ctx: ConnectorContext, config: AppStoreConfig, key: ConnectKey, request: ConnectRequest): Promise<HttpResponse> {
  try {
    return await ctx.http.send({
      method: request.method ?? 'GET',
      url: `${config.connectBaseUrl}${request.path}`,
      headers: { Authorization: `Bearer ${connectToken(key, ctx.now())}` },
      ...(request.body === undefined ? {} : { body: request.body }),
      label: request.label,
      ...(request.answers === undefined ? {} : { answers: request.answers }),
    });
  } catch (error) {
    const meaning = error instanceof ConnectorError && error.status !== null ? REFUSALS[error.status] : undefined;
    if (meaning === undefined) throw error;
    throw new ConnectorError('config', `${(error as ConnectorError).message}. ${meaning}`, { status: (error as ConnectorError).status, cause: error });
  }
}
