/** Figures for the negative class: the class that wakes an owner up. */
export interface BinaryFigures {
  size: number;
  negatives: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  auc: number;
  /** Rows: truth (negative, positive); columns: predicted negative, neutral, positive, unknown. */
  confusion: { negative: LabelCounts; positive: LabelCounts };
}

export type PredictedLabel = 'negative' | 'neutral' | 'positive' | 'unknown';
export type LabelCounts = Record<PredictedLabel, number>;

export interface Prediction {
  negative: boolean;
  label: PredictedLabel;
  /** In [-1, 1]; lower is more negative. */
  score: number;
}

const emptyCounts = (): LabelCounts => ({ negative: 0, neutral: 0, positive: 0, unknown: 0 });

/** A text counts as flagged when its label is `negative`; neutral, positive and unknown are not flagged. */
export function binaryFigures(predictions: Prediction[]): BinaryFigures {
  const confusion = { negative: emptyCounts(), positive: emptyCounts() };
  for (const p of predictions) confusion[p.negative ? 'negative' : 'positive'][p.label]++;
  const tp = confusion.negative.negative;
  const fp = confusion.positive.negative;
  const negatives = predictions.filter((p) => p.negative).length;
  const fn = negatives - tp;
  const tn = predictions.length - negatives - fp;
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = negatives === 0 ? 0 : tp / negatives;
  return {
    size: predictions.length,
    negatives,
    accuracy: predictions.length === 0 ? 0 : (tp + tn) / predictions.length,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    auc: rocAuc(predictions),
    confusion,
  };
}

/** Probability that a random negative text scores below a random positive one (ties count half). */
export function rocAuc(predictions: Prediction[]): number {
  const sorted = predictions.map((p) => ({ score: p.score, negative: p.negative })).sort((a, b) => a.score - b.score);
  const negatives = sorted.filter((p) => p.negative).length;
  const positives = sorted.length - negatives;
  if (negatives === 0 || positives === 0) return Number.NaN;
  // Mann–Whitney U over ranks, averaging the ranks of tied scores.
  let rankSum = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && (sorted[j] as { score: number }).score === (sorted[i] as { score: number }).score) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if ((sorted[k] as { negative: boolean }).negative) rankSum += averageRank;
    i = j;
  }
  // Negatives should rank low: U counts the (negative, positive) pairs ordered correctly.
  const uNegativesAbove = rankSum - (negatives * (negatives + 1)) / 2;
  return 1 - uNegativesAbove / (negatives * positives);
}

export function labelShares(labels: PredictedLabel[]): LabelCounts {
  const counts = emptyCounts();
  for (const label of labels) counts[label]++;
  return counts;
}

export interface TopicFigures {
  topic: string;
  support: number;
  predicted: number;
  precision: number;
  recall: number;
}

/** Per-topic precision and recall of a multi-label tagger against hand labels. */
export function topicFigures(cases: Array<{ expected: string[]; predicted: string[] }>, topics: readonly string[]): TopicFigures[] {
  return topics.map((topic) => {
    let tp = 0;
    let support = 0;
    let predicted = 0;
    for (const c of cases) {
      const want = c.expected.includes(topic);
      const got = c.predicted.includes(topic);
      if (want) support++;
      if (got) predicted++;
      if (want && got) tp++;
    }
    return { topic, support, predicted, precision: predicted === 0 ? 0 : tp / predicted, recall: support === 0 ? 0 : tp / support };
  });
}
