import { isRecord } from '../payload-shape.ts';
import { readSeenVersions, type SeenVersions } from '../seen-versions.ts';

/**
 * The feed cursor `{ etag, lastModified, seen }`: the validators of the last
 * response (sent back as If-None-Match / If-Modified-Since, so an unchanged feed
 * costs a 304 and no parsing), and the entries already reported, by version
 * (connectors/seen-versions.ts). A feed holds its latest entries only, so every
 * poll reads them all and reports what is new or changed.
 */
export interface RssCursor {
  etag: string | null;
  lastModified: string | null;
  seen: SeenVersions;
}

export function readCursor(cursor: unknown): RssCursor | null {
  if (!isRecord(cursor)) return null;
  return {
    etag: typeof cursor.etag === 'string' ? cursor.etag : null,
    lastModified: typeof cursor.lastModified === 'string' ? cursor.lastModified : null,
    seen: readSeenVersions(cursor.seen),
  };
}

export function conditionalHeaders(cursor: RssCursor | null): Record<string, string> {
  const headers: Record<string, string> = {};
  if (cursor?.etag) headers['If-None-Match'] = cursor.etag;
  if (cursor?.lastModified) headers['If-Modified-Since'] = cursor.lastModified;
  return headers;
}
