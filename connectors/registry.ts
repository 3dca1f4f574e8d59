import { appStore } from './app-store/index.ts';
import { bluesky } from './bluesky/index.ts';
import type { Connector } from './contract.ts';
import { googleBusiness } from './google-business/index.ts';
import { googlePlaces } from './google-places/index.ts';
import { googlePlay } from './google-play/index.ts';
import { hackerNews } from './hackernews/index.ts';
import { mastodon } from './mastodon/index.ts';
import { reddit } from './reddit/index.ts';
import { rss } from './rss/index.ts';
import { trustpilot } from './trustpilot/index.ts';
import { webhook } from './webhook/index.ts';
import { yelp } from './yelp/index.ts';

/** Every platform Earshot can watch, by connector id (the `type` of a source). */
export const connectors: Readonly<Record<string, Connector<any, any>>> = Object.freeze({
  [googlePlaces.id]: googlePlaces,
  [bluesky.id]: bluesky,
  [webhook.id]: webhook,
  [hackerNews.id]: hackerNews,
  [mastodon.id]: mastodon,
  [reddit.id]: reddit,
  [rss.id]: rss,
  [appStore.id]: appStore,
  [googlePlay.id]: googlePlay,
  [yelp.id]: yelp,
  [trustpilot.id]: trustpilot,
  [googleBusiness.id]: googleBusiness,
});

export function findConnector(type: string): Connector<any, any> | undefined {
  return Object.hasOwn(connectors, type) ? connectors[type] : undefined;
}
