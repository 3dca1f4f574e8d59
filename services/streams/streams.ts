import type { Config } from '../../config/config.ts';
import { jetstream } from '../../connectors/bluesky/jetstream.ts';
import { googlePubsubStream } from '../../connectors/google-business/pubsub-stream.ts';
import { mastodonStream } from '../../connectors/mastodon/stream.ts';
import type { Stream } from '../../connectors/stream-contract.ts';

export interface StreamPlan {
  stream: Stream<any, any>;
  /** Where it connects, from its one setting; null: turned off, its sources are polled only. */
  endpoint: string | null;
  /** The setting's name, for messages about the endpoint. */
  setting: string;
}

/** Every stream Earshot runs (one of each per install, led by one worker), with its endpoint. */
export function configuredStreams(config: Config): StreamPlan[] {
  return [{ stream: jetstream, endpoint: config.blueskyJetstreamUrl, setting: 'BLUESKY_JETSTREAM_URL' }];
}

/**
 * Every stream whose sources name their own endpoints (always on: a source's own
 * instance is the endpoint), with the source field that names it, for messages.
 */
export function sourceEndpointStreams(): Array<{ stream: Stream<any, any>; setting: string }> {
  return [
    { stream: mastodonStream, setting: "the Mastodon source's baseUrl" },
    { stream: googlePubsubStream, setting: "the Google Business Profile source's pubsubBaseUrl" },
  ];
}
