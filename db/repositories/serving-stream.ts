import { sql } from 'kysely';
import { NOT_STREAMED } from './stream-cursors.ts';

/**
 * True for the stream_cursors row `sc` of the connection serving the outer query's
 * `sources` row: a stream serves sources of its type, unless the source is not served
 * (paused). A stream with a connection per endpoint (Mastodon) names each connection's row
 * '<stream>:<baseUrl>' (or '<stream>:<token digest>@<baseUrl>'): a source is served by its
 * own instance's connection, not another's. Shared by the health and the poll schedule.
 */
export const servesSource = sql<boolean>`sc.source_type = sources.type AND sources.status <> ${NOT_STREAMED}
  AND (position(':' in sc.stream) = 0 OR right(sc.stream, length(sources.config->>'baseUrl') + 1) IN (':' || (sources.config->>'baseUrl'), '@' || (sources.config->>'baseUrl')))
  -- A Google source is served only by the connection of the Pub/Sub subscription it names ('<stream>:<subscription>@<baseUrl>'); without one, it is polled only.
  AND (sc.source_type <> 'google_business' OR position(':' || (sources.config->>'pubsubSubscription') || '@' in sc.stream) > 0)`;
