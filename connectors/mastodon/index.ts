import type { Connector, NormalizedItem, Page } from '../contract.ts';
import { containsAnyTerm } from '../mention-terms.ts';
import { rememberVersions, unreportedItems } from '../seen-versions.ts';
import { readCursor, termWatermark, type MastodonCursor } from './cursor.ts';
import { recheckStatuses } from './recheck.ts';
import { mastodonReply } from './reply.ts';
import { configSchema, credentialsSchema, parseSettings, type MastodonConfig, type MastodonCredentials } from './settings.ts';
import { statusCreatedAt, statusText, statusToItem, type Status } from './status.ts';
import { checkAccess, searchPages, tagForward, tagNewest } from './timelines.ts';

const OVERLAP_MS = 10 * 60_000;
const FIRST_POLL_LOOKBACK_MS = 24 * 3600_000;
const EDIT_WINDOW_MS = FIRST_POLL_LOOKBACK_MS;

/** Posts on one Mastodon instance: hashtag timelines (every post) and status search (posts that contain a term). */
export const mastodon: Connector<MastodonConfig, MastodonCredentials> = {
  id: 'mastodon',
  version: '1.0.0',
  displayName: 'Mastodon',
  shortName: 'Mastodon',
  repliable: true,
  kind: 'mention',
  configSchema,
  credentialsSchema,
  defaultPollMinutes: 10,
  // Mastodon's default: 300 requests per 5 minutes per account or IP.
  budget: { requests: 300, windowSeconds: 300 },
  capabilities: { hasRatings: false, detectsOwnerReplies: false, seesEdits: true, push: false, maxItemsPerPoll: null },
  parseConfig: parseSettings,
  async check(config, credentials, ctx) {
    await checkAccess(ctx, config, credentials);
  },
  async *fetch(config, credentials, cursor, ctx): AsyncGenerator<Page> {
    const previous = readCursor(cursor);
    const state: MastodonCursor = { tags: { ...previous.tags }, terms: { ...previous.terms }, seen: previous.seen };
    const now = ctx.now();
    const mentionsTerm = containsAnyTerm(config.terms);
    const mentionsExcluded = containsAnyTerm(config.excludeTerms);
    const snapshot = (): MastodonCursor => ({ tags: { ...state.tags }, terms: { ...state.terms }, seen: state.seen });

    // Pages are handed on one step late, so the last one carries what was learnt after it was read.
    let held: { items: NormalizedItem[]; cursor: MastodonCursor } | null = null;
    const take = (statuses: Status[], keep: (status: Status) => boolean) => {
      const items = statuses.filter((status) => keep(status) && !mentionsExcluded(statusText(status))).map(statusToItem);
      // The same post (by its global uri) seen again, through another hashtag, a term or a boost, is reported once per version.
      const unreported = unreportedItems(items, state.seen);
      state.seen = rememberVersions(state.seen, items);
      return unreported;
    };

    for (const tag of config.hashtags) {
      const minId = Object.hasOwn(previous.tags, tag) ? previous.tags[tag]! : null;
      if (minId !== null) {
        for await (const page of tagForward(ctx, config, credentials, tag, minId)) {
          if (held !== null) yield held;
          const items = take(page.statuses, () => true);
          if (page.minId !== null) state.tags[tag] = page.minId;
          held = { items, cursor: snapshot() };
        }
      }
      // The newest posts of the last day again: edits show there; on a first poll this is the look back.
      // (An edit to a post older than that, or further back than three pages, is not seen.)
      const since = new Date(now.getTime() - EDIT_WINDOW_MS);
      let newestMinId: string | null = null;
      for await (const page of tagNewest(ctx, config, credentials, tag, since)) {
        if (held !== null) yield held;
        newestMinId ??= page.minId;
        held = { items: take(page.statuses, (status) => (statusCreatedAt(status) ?? now) >= since), cursor: snapshot() };
      }
      if (minId === null && newestMinId !== null) state.tags[tag] = newestMinId;
    }

    for (const term of config.terms) {
      const watermark = termWatermark(previous, term);
      const since = watermark === null ? new Date(now.getTime() - FIRST_POLL_LOOKBACK_MS) : new Date(watermark.getTime() - OVERLAP_MS);
      let newest = watermark;
      for await (const statuses of searchPages(ctx, config, credentials, term, since)) {
        if (held !== null) yield held;
        for (const at of statuses.map(statusCreatedAt)) if (at !== null && at <= now && (newest === null || at > newest)) newest = at;
        // Search matches loosely; a post must really contain a term, and not be older than the window.
        held = { items: take(statuses, (status) => mentionsTerm(statusText(status)) && (statusCreatedAt(status) ?? now) >= since), cursor: snapshot() };
      }
      if (newest !== null) state.terms[term] = newest.toISOString();
    }

    yield { items: held?.items ?? [], cursor: snapshot() };
  },
  // Timelines show only recent posts: older ones awaiting a re-review are looked up one by one.
  recheck(config, credentials, uris, ctx) {
    return recheckStatuses(ctx, config, credentials, uris);
  },
  reply: mastodonReply,
};
