import { createHash } from 'node:crypto';
import type { NormalizedItem } from './contract.ts';
import { isRecord } from './payload-shape.ts';

/**
 * Which versions of which items a source has already reported, kept inside the
 * connector's cursor. Polls re-read an overlap (clock skew, late indexing, platforms
 * that can only return "the latest N"), and this memory lets a poll hand the core
 * only what is new or changed since it was last reported.
 *
 * externalId → `<version>.<generation>`: the version is `itemVersion(item)`; the
 * generation counts the polls that remembered it, so the bound drops the entries
 * remembered longest ago (the cursor is stored as jsonb, which keeps no key order).
 * A bare `<version>` (no generation) is read as generation 0.
 */
export type SeenVersions = Record<string, string>;

const VERSION = /^([0-9a-f]{1,64})(?:\.(\d{1,15}))?$/;

function parse(entry: string): { version: string; generation: number } | null {
  const match = VERSION.exec(entry);
  if (match === null) return null;
  return { version: match[1]!, generation: match[2] === undefined ? 0 : Number(match[2]) };
}

// No prototype, so an id like "__proto__" is just a key.
const emptySeen = (): SeenVersions => Object.create(null) as SeenVersions;

/** The memory inside a saved cursor; anything unreadable (a first poll, an older cursor format) is an empty memory. */
export function readSeenVersions(value: unknown): SeenVersions {
  if (!isRecord(value)) return {};
  const seen = emptySeen();
  for (const [externalId, entry] of Object.entries(value)) {
    if (externalId !== '' && typeof entry === 'string' && parse(entry) !== null) seen[externalId] = entry;
  }
  return seen;
}

/**
 * A short hash of what a reader sees change when an item is edited or answered, or when
 * its reply's moderation moves on (pending to approved or rejected, the words unchanged).
 * The state is appended only when the platform reports one, so every other item keeps
 * the version it had.
 */
export function itemVersion(item: NormalizedItem): string {
  const content: unknown[] = [item.rating, item.title, item.body, item.ownerReply?.text ?? null, item.updatedAt?.toISOString() ?? null];
  const state = item.ownerReply?.state;
  if (state !== undefined) content.push(state);
  return createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 16);
}

/** The items whose current version was not reported yet, each externalId once (the first occurrence). */
export function unreportedItems(items: NormalizedItem[], seen: SeenVersions): NormalizedItem[] {
  const taken = new Set<string>();
  return items.filter((item) => {
    if (taken.has(item.externalId)) return false;
    taken.add(item.externalId);
    const entry = Object.hasOwn(seen, item.externalId) ? seen[item.externalId] : undefined;
    return entry === undefined || parse(entry)?.version !== itemVersion(item);
  });
}

/**
 * `seen` plus the current versions of `items` (pass every item read, not only the
 * unreported ones, so what the overlap keeps re-reading stays remembered). At most
 * `max` entries: the items just read first, then the most recently remembered others.
 */
export function rememberVersions(seen: SeenVersions, items: NormalizedItem[], max = 1000): SeenVersions {
  const previous = Object.entries(readSeenVersions(seen)).map(([externalId, entry]) => ({ externalId, entry, generation: parse(entry)!.generation }));
  const generation = previous.reduce((newest, { generation: g }) => Math.max(newest, g), 0) + 1;
  const result = emptySeen();
  let count = 0;
  for (const item of items) {
    if (count >= max) break;
    if (Object.hasOwn(result, item.externalId)) continue;
    result[item.externalId] = `${itemVersion(item)}.${generation}`;
    count++;
  }
  previous.sort((a, b) => b.generation - a.generation);
  for (const { externalId, entry } of previous) {
    if (count >= max) break;
    if (Object.hasOwn(result, externalId)) continue;
    result[externalId] = entry;
    count++;
  }
  return result;
}
