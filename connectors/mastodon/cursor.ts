import { isRecord } from '../payload-shape.ts';
import { readSeenVersions, type SeenVersions } from '../seen-versions.ts';

/**
 * The Mastodon cursor:
 * `{ tags: { [hashtag]: minId }, terms: { [term]: ISO time }, seen }`.
 * - `tags`: per hashtag, the status id to read on from (`min_id`, as the instance's
 *   own `Link: rel="prev"` gives it). Opaque: never parsed or compared.
 * - `terms`: per search term, the creation time of the newest status found; the next
 *   search keeps results from ten minutes before it.
 * - `seen`: statuses (by `uri`) and the versions already reported (connectors/seen-versions.ts).
 */
export interface MastodonCursor {
  tags: Record<string, string>;
  terms: Record<string, string>;
  seen: SeenVersions;
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''));
}

export function readCursor(cursor: unknown): MastodonCursor {
  if (!isRecord(cursor)) return { tags: {}, terms: {}, seen: {} };
  return { tags: stringRecord(cursor.tags), terms: stringRecord(cursor.terms), seen: readSeenVersions(cursor.seen) };
}

export function termWatermark(cursor: MastodonCursor, term: string): Date | null {
  const value = Object.hasOwn(cursor.terms, term) ? cursor.terms[term] : undefined;
  if (value === undefined) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}
