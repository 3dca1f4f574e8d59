import { COMPLAINT_TOPICS, topicWords, type ComplaintTopic } from '../../analysis/sentiment/topics.ts';
import type { DigestItem } from './digest-item.ts';

/**
 * A digest's counts in words, so an owner reads "2 one-star reviews" and
 * "4 complaints about waiting" rather than a table of codes.
 */

const STAR_WORDS = ['one', 'two', 'three', 'four', 'five'] as const;


function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "2 one-star reviews", "1 three-star review", then "1 review without stars", "3 mentions": worst first, zero counts left out. */
export function countsByStars(items: readonly DigestItem[]): string[] {
  const phrases: string[] = [];
  for (let rating = 1; rating <= 5; rating++) {
    const count = items.filter((item) => item.rating === rating).length;
    const stars = `${STAR_WORDS[rating - 1]}-star`;
    if (count > 0) phrases.push(plural(count, `${stars} review`, `${stars} reviews`));
  }
  const unratedReviews = items.filter((item) => item.rating === null && item.kind === 'review').length;
  const mentions = items.filter((item) => item.rating === null && item.kind === 'mention').length;
  if (unratedReviews > 0) phrases.push(plural(unratedReviews, 'review without stars', 'reviews without stars'));
  if (mentions > 0) phrases.push(plural(mentions, 'mention', 'mentions'));
  return phrases;
}

/**
 * "4 complaints about waiting", "1 complaint about price", "2 other complaints": the most
 * common first (ties in the topic list's order), `other` last. An item about two things
 * counts once for each.
 */
export function countsByTopic(items: readonly DigestItem[]): string[] {
  const counts = new Map<string, number>();
  for (const item of items) for (const topic of new Set(item.topics)) counts.set(topic, (counts.get(topic) ?? 0) + 1);
  const others = counts.get('other') ?? 0;
  counts.delete('other');
  const phrases = [...counts]
    .sort(([topicA, a], [topicB, b]) => b - a || topicOrder(topicA) - topicOrder(topicB))
    .map(([topic, count]) => `${plural(count, 'complaint', 'complaints')} about ${topicWords(topic)}`);
  if (others > 0) phrases.push(plural(others, 'other complaint', 'other complaints'));
  return phrases;
}

function topicOrder(topic: string): number {
  const index = COMPLAINT_TOPICS.indexOf(topic as ComplaintTopic);
  return index === -1 ? COMPLAINT_TOPICS.length : index;
}

