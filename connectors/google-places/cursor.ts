import { isRecord } from '../payload-shape.ts';
import { readSeenVersions, type SeenVersions } from '../seen-versions.ts';

/**
 * The Places cursor `{ seen }`: which version of which review was already reported.
 * Google returns at most five reviews of its own choosing, with no update time and
 * no way to ask for newer ones, so every poll re-reads them and reports only those
 * that are new or whose text or rating changed (an edit: same review name).
 */
export interface PlacesCursor {
  seen: SeenVersions;
}

// Far more than the five Google shows; a review that drops out of them and comes back
// long after is reported once more, which the core dedupes by its name.
export const MAX_REMEMBERED = 200;

/** A cursor from before this format (a list of names) reads as an empty memory: one re-report, deduped by the core. */
export function readPlacesCursor(cursor: unknown): SeenVersions {
  return readSeenVersions(isRecord(cursor) ? cursor.seen : null);
}
