import type { ConnectorContext, NormalizedItem, Recheck } from '../contract.ts';
import { lookUpById, recheckEach } from '../lookup-by-id.ts';
import type { MastodonConfig, MastodonCredentials } from './settings.ts';
import { readSearchResults, readStatusList, statusToItem } from './status.ts';

/** What the instance says of one post: still there (as it shows it now), gone, or nothing clear. */
type Answer = NormalizedItem | 'removed' | null;

function authHeaders(credentials: MastodonCredentials): Record<string, string> {
  return credentials.accessToken === undefined ? {} : { Authorization: `Bearer ${credentials.accessToken}` };
}

/**
 * The configured instance's own id of a post it hosts, read from the post's uri (the
 * external id). Mastodon names a local post `https://{instance}/users/{name}/statuses/{id}`
 * with the id its API takes; a post from another server has a local id here that its
 * uri does not tell, and other software (Pleroma's `/objects/{uuid}`) names posts otherwise.
 */
export function localStatusId(uri: string, instanceUrl: string): string | null {
  if (!URL.canParse(uri)) return null;
  const url = new URL(uri);
  if (url.origin !== new URL(instanceUrl).origin) return null;
  return /^\/users\/[^/]+\/statuses\/([^/]+)$/.exec(url.pathname)?.[1] ?? null;
}

/**
 * A post of this instance, by its id. 404 (Mastodon's "Record not found") and 410 say it
 * is gone: a post seen in a public timeline cannot become private later, so a 404 is a
 * deletion (or the account's suspension). 403 says nothing about the post.
 */
async function lookUpLocal(ctx: ConnectorContext, config: MastodonConfig, credentials: MastodonCredentials, id: string, uri: string): Promise<Answer> {
  const label = 'status lookup';
  const answer = await lookUpById(ctx, 'mastodon', { url: `${config.baseUrl}/api/v1/statuses/${encodeURIComponent(id)}`, headers: authHeaders(credentials), label });
  if (answer === 'gone') return 'removed';
  if (answer === 'unclear') return null;
  const [status] = readStatusList([answer.found], `mastodon ${label}`);
  const item = statusToItem(status!);
  return item.externalId === uri ? item : null;
}

/**
 * A post from another server, found by its uri with a resolving search (which needs a
 * signed-in user). Not finding it proves nothing: the search fails alike when the post
 * was deleted, when its server is down, or when the instance refuses to fetch it.
 */
async function lookUpRemote(ctx: ConnectorContext, config: MastodonConfig, credentials: MastodonCredentials, uri: string): Promise<Answer> {
  if (credentials.accessToken === undefined) return null;
  const url = new URL(`${config.baseUrl}/api/v2/search`);
  url.searchParams.set('q', uri);
  url.searchParams.set('type', 'statuses');
  url.searchParams.set('resolve', 'true');
  url.searchParams.set('limit', '1');
  const { body } = await ctx.http.json({ url: url.toString(), headers: authHeaders(credentials), label: 'status lookup by uri' });
  return readSearchResults(body, 'mastodon status lookup by uri').map(statusToItem).find((item) => item.externalId === uri) ?? null;
}

/** Posts asked for by their uri (the external id `fetch` gives them), normalised as `fetch` does. */
export function recheckStatuses(ctx: ConnectorContext, config: MastodonConfig, credentials: MastodonCredentials, uris: string[]): Promise<Recheck> {
  return recheckEach(uris, (uri) => {
    const localId = localStatusId(uri, config.instanceUrl);
    return localId === null ? lookUpRemote(ctx, config, credentials, uri) : lookUpLocal(ctx, config, credentials, localId, uri);
  });
}
