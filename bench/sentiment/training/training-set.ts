import { VADER_MIN_VALENCE, type LabelledText } from '../evaluation/datasets.ts';
import type { TrainingText } from './build-model.ts';

/**
 * The permitted training data, weighted: UCI's review sentences are the domain
 * Earshot serves; VADER's snippets (tweets, product and movie reviews, editorials)
 * widen the vocabulary but count less, editorials least; the product-review snippets
 * are customer reviews like UCI's and count fully.
 */
export const GROUP_WEIGHTS: Readonly<Record<string, number>> = {
  yelp: 1,
  amazon_cells: 1,
  imdb: 1,
  tweets: 0.6,
  amazonReviewSnippets: 1,
  movieReviewSnippets: 0.3,
  nytEditorialSnippets: 0.1,
};

/**
 * VADER's mild snippets (|valence| < 0.5) are plain statements more than verdicts: they
 * are kept as "neither" examples (target 0.5), so words that merely narrate ("ordered",
 * "called") do not learn a side they do not take.
 */
export function weighted(texts: LabelledText[]): TrainingText[] {
  const out: TrainingText[] = [];
  for (const t of texts) {
    const weight = GROUP_WEIGHTS[t.group] ?? 1;
    if (t.valence !== undefined && Math.abs(t.valence) < VADER_MIN_VALENCE) {
      out.push({ text: t.text, target: 0.5, weight });
    } else out.push({ text: t.text, target: t.negative ? 0 : 1, weight });
  }
  return out;
}
