import type { LabelledText } from '../evaluation/datasets.ts';
import type { TrainingText } from './build-model.ts';

/**
 * The permitted training data, weighted: UCI's review sentences are the domain
 * Earshot serves; VADER's snippets (tweets, product and movie reviews, editorials)
 * widen the vocabulary but count less, editorials least.
 */
export const GROUP_WEIGHTS: Readonly<Record<string, number>> = {
  yelp: 1,
  amazon_cells: 1,
  imdb: 1,
  tweets: 0.6,
  amazonReviewSnippets: 0.6,
  movieReviewSnippets: 0.3,
  nytEditorialSnippets: 0.1,
};

export function weighted(texts: LabelledText[]): TrainingText[] {
  return texts.map((t) => ({ text: t.text, negative: t.negative, weight: GROUP_WEIGHTS[t.group] ?? 1 }));
}
