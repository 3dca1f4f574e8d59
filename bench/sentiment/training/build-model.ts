import { sentenceFeatures } from '../../../services/analysis/sentiment/features.ts';
import type { ModelFile } from '../../../services/analysis/sentiment/model.ts';
import { splitSentences, tokenize } from '../../../services/analysis/sentiment/tokens.ts';
import { DEFAULT_TRAINING, trainLogistic, type SparseExample, type TrainOptions } from './logistic.ts';
import { nbRatios, scaleExamples } from './nb-scaling.ts';

export interface TrainingText {
  text: string;
  /** 0 = complaint, 1 = praise; 0.5 = neither (a plain statement). */
  target: number;
  /** How much the example counts (data sets of other domains count less). */
  weight: number;
}

export interface BuildOptions extends TrainOptions {
  /** Features seen in fewer training texts are dropped: rare n-grams memorise, they do not generalise. */
  minCount: number;
  /** Weights smaller than this are left out of the file. */
  prune: number;
  /** Add-k smoothing of the naive-Bayes feature scaling (nb-scaling.ts). */
  nbSmoothing: number;
}

export const DEFAULT_BUILD: BuildOptions = { ...DEFAULT_TRAINING, minCount: 2, prune: 0.05, nbSmoothing: 1 };

/** The summed features of a whole text, as the model is trained on it. */
export function textFeatures(text: string): Map<string, number> {
  const features = new Map<string, number>();
  const sink = (feature: string, value: number) => features.set(feature, (features.get(feature) ?? 0) + value);
  for (const sentence of splitSentences(text)) sentenceFeatures(tokenize(sentence), sink);
  return features;
}

export function buildModel(texts: TrainingText[], id: string, trainedOn: string[], options: BuildOptions = DEFAULT_BUILD): ModelFile {
  const featured = texts.map((t) => ({ features: textFeatures(t.text), t }));
  const counts = new Map<string, number>();
  for (const { features } of featured) for (const feature of features.keys()) counts.set(feature, (counts.get(feature) ?? 0) + 1);
  const vocabulary = new Map<string, number>();
  for (const [feature, count] of counts) if (count >= options.minCount || feature.startsWith('~')) vocabulary.set(feature, vocabulary.size);
  // Each class carries the same total weight, so the bias does not learn the mix of the training data.
  const negativeWeight = texts.filter((t) => t.target < 0.5).reduce((sum, t) => sum + t.weight, 0);
  const positiveWeight = texts.filter((t) => t.target > 0.5).reduce((sum, t) => sum + t.weight, 0);
  const examples: SparseExample[] = featured.map(({ features, t }) => {
    const ids: number[] = [];
    const values: number[] = [];
    for (const [feature, value] of features) {
      const id = vocabulary.get(feature);
      if (id === undefined) continue;
      ids.push(id);
      values.push(value);
    }
    const balance = t.target < 0.5 ? (negativeWeight + positiveWeight) / (2 * negativeWeight) : t.target > 0.5 ? (negativeWeight + positiveWeight) / (2 * positiveWeight) : 1;
    return { ids: Int32Array.from(ids), values: Float32Array.from(values), target: t.target, weight: t.weight * balance };
  });
  const names = [...vocabulary.keys()];
  const ratios = nbRatios(examples, names, options.nbSmoothing);
  scaleExamples(examples, ratios);
  const trained = trainLogistic(examples, vocabulary.size, options);
  const weights: Record<string, number> = {};
  const kept = names
    .map((name, index) => ({ name, weight: (trained.weights[index] as number) * (ratios[index] as number) }))
    .filter((entry) => Math.abs(entry.weight) >= options.prune)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const { name, weight } of kept) weights[name] = Math.round(weight * 1000) / 1000;
  return { format: 1, id, trainedOn, bias: Math.round(trained.bias * 1000) / 1000, weights };
}
