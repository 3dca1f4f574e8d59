import type { SentimentLabel } from '../../../db/schema.ts';
import { clip } from '../channels/item-facts.ts';

/** One item a digest lists: what the rules put in it, as the outbox reads it. */
export interface DigestItem {
  itemId: string;
  kind: 'review' | 'mention';
  /** What owners call the platform, e.g. "Google" (the connector's short name). */
  sourceName: string;
  /** 1–5, or null where the platform has no stars. */
  rating: number | null;
  /** `unknown`: the analyzer could not judge it (a language it does not read), so a person must look. */
  sentiment: SentimentLabel | null;
  /** What a complaint is about (services/analysis/sentiment/topics.ts); empty for items that are not complaints. */
  topics: readonly string[];
  author: string | null;
  title: string | null;
  /** The item's words, plain text: the digest shows their first line. */
  text: string;
  publishedAt: Date;
  /** The item's page in Earshot: `<PUBLIC_URL>/items/<itemId>`. */
  itemUrl: string;
  /** Whether the business has responded (or resolved it) by the time the digest is written. */
  answered: boolean;
}

const FIRST_LINE_MAX = 140;

/** What the item says, in one line: its first non-empty line, else its title. */
export function firstLine(item: Pick<DigestItem, 'title' | 'text'>): string {
  const line = item.text.split('\n').map((part) => part.replace(/\s+/g, ' ').trim()).find((part) => part !== '') ?? item.title?.trim() ?? '';
  return line === '' ? '(no text)' : clip(line, FIRST_LINE_MAX);
}
