import { isRecord } from '../payload-shape.ts';

/**
 * The Places cursor: which reviews (and which versions of them) have been seen.
 * Google returns at most five reviews of its own choosing and no way to ask for
 * newer ones, so every poll re-reads them all and the core dedupes by id; the
 * cursor only tells the log what is new, and is kept small.
 */
export interface SeenReviews {
  seen: Array<{ name: string; publishTime: string | null }>;
}

const MAX_REMEMBERED = 50;

export function readSeenReviews(cursor: unknown): SeenReviews {
  if (!isRecord(cursor) || !Array.isArray(cursor.seen)) return { seen: [] };
  const seen = cursor.seen.filter(
    (entry): entry is SeenReviews['seen'][number] =>
      isRecord(entry) && typeof entry.name === 'string' && (typeof entry.publishTime === 'string' || entry.publishTime === null),
  );
  return { seen };
}

const versionKey = (entry: SeenReviews['seen'][number]) => `${entry.name} ${entry.publishTime ?? ''}`;

/** The reviews just read first, then the remembered ones, newest publish time first, bounded. */
export function rememberReviews(previous: SeenReviews, current: SeenReviews['seen']): { cursor: SeenReviews; unseen: number } {
  const known = new Set(previous.seen.map(versionKey));
  const unseen = current.filter((entry) => !known.has(versionKey(entry))).length;
  const merged = new Map<string, SeenReviews['seen'][number]>();
  for (const entry of [...current, ...previous.seen]) if (!merged.has(entry.name)) merged.set(entry.name, entry);
  const seen = [...merged.values()]
    .sort((a, b) => (b.publishTime ?? '').localeCompare(a.publishTime ?? ''))
    .slice(0, MAX_REMEMBERED);
  return { cursor: { seen }, unseen };
}
