import type { SentimentLabel } from '../../../db/schema.ts';
import { scoreText } from './text-sentiment.ts';
import { tagTopics, type ComplaintTopic } from './topics.ts';

/**
 * Stored with each analysed item so a later model change can re-score what an older
 * one judged (`earshot reanalyze`). Bump it whenever the analyzer or its model changes.
 */
export const ANALYZER_VERSION = 'sentence-lr-3';

export interface ItemToClassify {
  rating: number | null;
  title: string | null;
  body: string;
  language: string | null;
}

export interface Classification {
  score: number;
  label: SentimentLabel;
  flagged: boolean;
  /** What a negative item complains about; empty for the others. */
  topics: ComplaintTopic[];
}

/**
 * The rules that decide whether an owner is woken up: a 1–2 star review is negative
 * whatever its text, 4–5 stars positive; a 3-star review or an unrated mention is
 * judged on its text, and is `unknown` (not flagged) when its language cannot be judged.
 */
export function classifyItem(item: ItemToClassify): Classification {
  const text = [item.title, item.body].filter((part): part is string => Boolean(part)).join('. ');
  const { score, label: textLabel } = scoreText(text, item.language);
  let label: SentimentLabel = textLabel;
  if (item.rating !== null && item.rating <= 2) label = 'negative';
  else if (item.rating !== null && item.rating >= 4) label = 'positive';
  return { score, label, flagged: label === 'negative', topics: label === 'negative' ? tagTopics(text) : [] };
}
