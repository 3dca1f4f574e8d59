import type { ConnectorContext, HttpResponse } from '../contract.ts';
import { linkParam } from './link-header.ts';
import type { MastodonConfig, MastodonCredentials } from './settings.ts';
import { readSearchResults, readStatusList, statusCreatedAt, type Status } from './status.ts';

const PAGE_SIZE = 40;
// New posts of one hashtag read per poll; the rest are read on by the next poll (min_id paging has no gaps).
const MAX_FORWARD_PAGES = 25;
// The newest posts of a hashtag are read again each poll, to see edits; a first poll reads back this far too.
const NEWEST_PAGES = 3;
const MAX_SEARCH_PAGES = 5;

function authHeaders(credentials: MastodonCredentials): Record<string, string> {
  return credentials.accessToken === undefined ? {} : { Authorization: `Bearer ${credentials.accessToken}` };
}

async function getJson(ctx: ConnectorContext, credentials: MastodonCredentials, url: URL, label: string): Promise<{ body: unknown; headers: HttpResponse['headers'] }> {
  const response = await ctx.http.json({ url: url.toString(), headers: authHeaders(credentials), label });
  return { body: response.body, headers: response.headers };
}

function tagUrl(config: MastodonConfig, tag: string, params: Record<string, string>): URL {
  const url = new URL(`${config.baseUrl}/api/v1/timelines/tag/${encodeURIComponent(tag)}`);
  url.searchParams.set('limit', String(PAGE_SIZE));
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url;
}

export interface TagPage {
  statuses: Status[];
  /** The min_id to read on from after this page, when this page moves it. */
  minId: string | null;
}

/** The statuses posted after `minId`, oldest pages first (each page newest first), until the instance has none newer. */
export async function* tagForward(ctx: ConnectorContext, config: MastodonConfig, credentials: MastodonCredentials, tag: string, minId: string): AsyncGenerator<TagPage> {
  let from = minId;
  for (let page = 0; page < MAX_FORWARD_PAGES; page++) {
    const { body, headers } = await getJson(ctx, credentials, tagUrl(config, tag, { min_id: from }), `hashtag #${tag}`);
    const statuses = readStatusList(body, `mastodon hashtag #${tag}`);
    if (statuses.length === 0) return;
    // The instance says where to read on from; without a Link header, the newest status is first.
    const next = linkParam(headers.link, 'prev', 'min_id') ?? statuses[0]!.id;
    yield { statuses, minId: next };
    if (next === from) return;
    from = next;
  }
  ctx.log.warn({ tag, pages: MAX_FORWARD_PAGES }, 'mastodon: hashtag busier than one poll reads; the next poll reads on');
}

/**
 * The newest statuses of a hashtag, newest first, back to `since` (at most a few
 * pages). The first page's `Link: rel="prev"` gives the min_id for the next poll.
 */
export async function* tagNewest(ctx: ConnectorContext, config: MastodonConfig, credentials: MastodonCredentials, tag: string, since: Date): AsyncGenerator<TagPage> {
  let maxId: string | null = null;
  for (let page = 0; page < NEWEST_PAGES; page++) {
    const { body, headers } = await getJson(ctx, credentials, tagUrl(config, tag, maxId === null ? {} : { max_id: maxId }), `hashtag #${tag}`);
    const statuses = readStatusList(body, `mastodon hashtag #${tag}`);
    const minId = page === 0 ? (linkParam(headers.link, 'prev', 'min_id') ?? statuses[0]?.id ?? null) : null;
    yield { statuses, minId };
    const older = linkParam(headers.link, 'next', 'max_id') ?? statuses.at(-1)?.id ?? null;
    const reachedSince = statuses.some((status) => (statusCreatedAt(status) ?? since) < since);
    if (statuses.length === 0 || older === null || older === maxId || reachedSince) return;
    maxId = older;
  }
}

/** Status search for one term, newest first as the instance ranks them, back to `since`. */
export async function* searchPages(ctx: ConnectorContext, config: MastodonConfig, credentials: MastodonCredentials, term: string, since: Date): AsyncGenerator<Status[]> {
  let offset = 0;
  // Paging with offset needs a signed-in user; without a token the first page is all there is.
  const maxPages = credentials.accessToken === undefined ? 1 : MAX_SEARCH_PAGES;
  for (let page = 0; page < maxPages; page++) {
    const url = new URL(`${config.baseUrl}/api/v2/search`);
    url.searchParams.set('q', term);
    url.searchParams.set('type', 'statuses');
    url.searchParams.set('limit', String(PAGE_SIZE));
    if (offset > 0) url.searchParams.set('offset', String(offset));
    const { body } = await getJson(ctx, credentials, url, 'status search');
    const statuses = readSearchResults(body, 'mastodon status search');
    yield statuses;
    const reachedSince = statuses.some((status) => (statusCreatedAt(status) ?? since) < since);
    if (statuses.length === 0 || reachedSince) return;
    offset += statuses.length;
  }
}

/** The cheapest call that proves the instance answers (and the token, if given). */
export async function checkAccess(ctx: ConnectorContext, config: MastodonConfig, credentials: MastodonCredentials): Promise<void> {
  if (credentials.accessToken !== undefined) {
    await getJson(ctx, credentials, new URL(`${config.baseUrl}/api/v1/accounts/verify_credentials`), 'verify credentials');
    return;
  }
  const tag = config.hashtags[0];
  if (tag !== undefined) {
    const { body } = await getJson(ctx, credentials, tagUrl(config, tag, { limit: '1' }), `hashtag #${tag}`);
    readStatusList(body, `mastodon hashtag #${tag}`);
    return;
  }
  const url = new URL(`${config.baseUrl}/api/v2/search`);
  url.searchParams.set('q', config.terms[0]!);
  url.searchParams.set('type', 'statuses');
  url.searchParams.set('limit', '1');
  const { body } = await getJson(ctx, credentials, url, 'status search');
  readSearchResults(body, 'mastodon status search');
}
