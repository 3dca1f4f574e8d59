import { containsAnyTerm } from '../mention-terms.ts';
import type { BlueskyConfig } from './settings.ts';

/**
 * Whether a post's text is one the source watches: it names one of the source's terms
 * and none of its excluded ones, as whole words in any case. The search poll checks
 * its hits with it (search matches loosely), and the Jetstream stream every post.
 */
export function mentionFilter(config: Pick<BlueskyConfig, 'terms' | 'excludeTerms'>): (text: string) => boolean {
  const mentionsTerm = containsAnyTerm(config.terms);
  const mentionsExcluded = containsAnyTerm(config.excludeTerms);
  return (text) => mentionsTerm(text) && !mentionsExcluded(text);
}
