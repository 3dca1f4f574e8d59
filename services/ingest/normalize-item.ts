import type { NormalizedItem, OwnerReply } from '../../connectors/contract.ts';
import type { PublishedState } from '../../connectors/reply-contract.ts';
import { isStorableText, storableText, storableTextUpTo } from '../../db/storable-text.ts';

/**
 * The one door every platform's data passes before it is stored (polled pages,
 * lookups by id, webhook batches): whatever a connector or a sender hands over,
 * what comes out can be stored and means something. One odd review must never make
 * its page unstorable, so nothing here refuses: text is cleaned and capped, values
 * that cannot be true become null. The rules are written in docs/sources.md.
 */

export const LIMITS = {
  body: 50_000,
  ownerReply: 50_000,
  /** A platform's reason for rejecting a reply, as the person reads it on the item. */
  replyReason: 1_000,
  title: 1_000,
  author: 500,
  url: 2_000,
  language: 35,
  /** Levels of `raw` kept; anything deeper is replaced by a marker. */
  rawDepth: 32,
  /** Values of `raw` kept (every string, number, object and array counts one). */
  rawValues: 10_000,
  rawString: 10_000,
} as const;

/** No review site predates this; a date before it is a platform's placeholder or a bug. */
const EARLIEST = Date.UTC(1970, 0, 1);
/** Platforms' clocks run a little ahead; beyond this a date is an error, and would sort first for years. */
const FUTURE_SLACK_MS = 24 * 3_600_000;

export const TOO_DEEP = `[left out: nested deeper than ${LIMITS.rawDepth} levels]`;
/** Even a cursor that must come back as it went cannot hold a cycle. */
const UNBOUNDED_DEPTH = 1_000;
export const TOO_MANY = `[left out: more than ${LIMITS.rawValues} values]`;

export function normalizeItem(item: NormalizedItem, now: Date): NormalizedItem {
  const date = (value: Date | null | undefined) => plausibleDate(value, now);
  const reply = item.ownerReply;
  return {
    externalId: storableText(String(item.externalId)),
    kind: item.kind,
    url: wholeOrNull(item.url, LIMITS.url),
    author: textOrNull(item.author, LIMITS.author),
    rating: starRating(item.rating),
    title: textOrNull(item.title, LIMITS.title),
    body: typeof item.body === 'string' ? storableTextUpTo(item.body, LIMITS.body) : '',
    language: wholeOrNull(item.language, LIMITS.language),
    publishedAt: date(item.publishedAt),
    updatedAt: date(item.updatedAt),
    ownerReply:
      reply !== null && typeof reply === 'object' && typeof reply.text === 'string'
        ? { text: storableTextUpTo(reply.text, LIMITS.ownerReply), at: date(reply.at), ...moderation(reply) }
        : null,
    raw: storableJson(item.raw),
  };
}

const REPLY_STATES: ReadonlySet<unknown> = new Set<PublishedState>(['published', 'pending_moderation', 'rejected']);

/** The reply's moderation when the platform reported one it can mean; otherwise nothing (nothing is changed). */
function moderation(reply: OwnerReply): Pick<OwnerReply, 'state' | 'reason'> {
  if (!REPLY_STATES.has(reply.state)) return {};
  return { state: reply.state, reason: reply.state === 'rejected' ? textOrNull(reply.reason, LIMITS.replyReason) : null };
}

/**
 * Whole stars from 1 to 5. A fractional rating within the scale (a platform with half
 * stars, or an average) is rounded to the nearest star, a half down to the worse one:
 * 1.5 counts as 1, so a borderline complaint is not under-alerted. Anything outside
 * the scale, or not a number, is no rating at all.
 */
export function starRating(value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1 || value > 5) return null;
  return Math.ceil(value - 0.5);
}

/** A date between 1970 and a day from now, or null: the item is then dated when first seen. */
export function plausibleDate(value: Date | null | undefined, now: Date): Date | null {
  if (!(value instanceof Date)) return null;
  const time = value.getTime();
  if (Number.isNaN(time) || time < EARLIEST || time > now.getTime() + FUTURE_SLACK_MS) return null;
  return value;
}

function textOrNull(value: string | null | undefined, max: number): string | null {
  return typeof value === 'string' ? storableTextUpTo(value, max) : null;
}

/** For values a cut would make wrong (a URL, a language tag): whole or nothing. */
function wholeOrNull(value: string | null | undefined, max: number): string | null {
  if (typeof value !== 'string' || value.length > max) return null;
  return storableText(value);
}

/**
 * A JSON value jsonb accepts: strings and keys cleaned; when bounded (a platform's
 * `raw` object), strings capped, subtrees deeper than the limit replaced by a marker,
 * and at most so many values in all. Anything JSON cannot say (undefined, functions,
 * bigints, cycles) is dropped or written as text, so serialising it cannot throw.
 * Unbounded is for a connector's cursor, which must come back as it went.
 */
export function storableJson(value: unknown, options: { bounded: boolean } = { bounded: true }): unknown {
  const maxDepth = options.bounded ? LIMITS.rawDepth : UNBOUNDED_DEPTH;
  const maxString = options.bounded ? LIMITS.rawString : Number.POSITIVE_INFINITY;
  let budget = options.bounded ? LIMITS.rawValues : Number.POSITIVE_INFINITY;
  if (alreadyStorable(value, maxDepth, maxString, budget)) return value;
  const walk = (node: unknown, depth: number): unknown => {
    if (node === null || typeof node === 'boolean') return node;
    if (typeof node === 'number') return Number.isFinite(node) ? node : null;
    if (typeof node === 'string') return storableTextUpTo(node, maxString);
    if (typeof node === 'bigint') return node.toString();
    if (typeof node !== 'object') return null;
    // As JSON.stringify does: a Date (or a URL) says what it is through toJSON.
    // Counted as a level, so a toJSON that returns another such object cannot loop.
    if ('toJSON' in node && typeof node.toJSON === 'function') return walk(node.toJSON(), depth + 1);
    if (depth >= maxDepth) return TOO_DEEP;
    if (Array.isArray(node)) {
      const out: unknown[] = [];
      for (const entry of node) {
        if (--budget < 0) return [...out, TOO_MANY];
        out.push(walk(entry, depth + 1) ?? null);
      }
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(node)) {
      if (entry === undefined || typeof entry === 'function' || typeof entry === 'symbol') continue;
      if (--budget < 0) {
        out['…'] = TOO_MANY;
        break;
      }
      out[storableText(key)] = walk(entry, depth + 1);
    }
    return out;
  };
  return walk(value, 0);
}

/**
 * True when the walk above would give `value` back unchanged: plain JSON, clean text,
 * within bounds. It allocates nothing, so the common clean object (nearly every one)
 * costs a read instead of a copy.
 */
function alreadyStorable(value: unknown, maxDepth: number, maxString: number, maxValues: number): boolean {
  let values = 0;
  const cleanText = (text: string) => text.length <= maxString && isStorableText(text);
  const check = (node: unknown, depth: number): boolean => {
    if (node === null || typeof node === 'boolean') return true;
    if (typeof node === 'number') return Number.isFinite(node);
    if (typeof node === 'string') return cleanText(node);
    if (typeof node !== 'object' || depth >= maxDepth || 'toJSON' in node) return false;
    if (Array.isArray(node)) {
      for (const entry of node) if (++values > maxValues || !check(entry, depth + 1)) return false;
      return true;
    }
    for (const key in node) {
      if (!Object.hasOwn(node, key)) return false;
      if (++values > maxValues || !cleanText(key) || !check((node as Record<string, unknown>)[key], depth + 1)) return false;
    }
    return true;
  };
  return check(value, 0);
}
