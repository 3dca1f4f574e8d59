/**
 * A small sparse logistic regression trainer (AdaGrad SGD with L2), written for
 * Earshot because natural's LogisticRegressionClassifier keeps dense matrices and
 * cannot train on more than a few hundred documents.
 */

export interface SparseExample {
  /** Feature ids and their values. */
  ids: Int32Array;
  values: Float32Array;
  /** 1 = positive (praise), 0 = negative (complaint); in between for a soft label (0.5 = neither). */
  target: number;
  weight: number;
}

export interface TrainOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
}

export const DEFAULT_TRAINING: TrainOptions = { epochs: 12, learningRate: 0.05, l2: 1e-5, seed: 7 };

export interface TrainedWeights {
  bias: number;
  weights: Float64Array;
}

export function trainLogistic(examples: SparseExample[], featureCount: number, options: TrainOptions = DEFAULT_TRAINING): TrainedWeights {
  const weights = new Float64Array(featureCount);
  const squared = new Float64Array(featureCount);
  let bias = 0;
  let biasSquared = 0;
  const order = examples.map((_, i) => i);
  const random = mulberry32(options.seed);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, random);
    for (const index of order) {
      const example = examples[index] as SparseExample;
      let z = bias;
      for (let k = 0; k < example.ids.length; k++) z += (weights[example.ids[k] as number] as number) * (example.values[k] as number);
      const p = 1 / (1 + Math.exp(-z));
      const error = (p - example.target) * example.weight;
      biasSquared += error * error;
      bias -= (options.learningRate * error) / Math.sqrt(biasSquared + 1e-8);
      for (let k = 0; k < example.ids.length; k++) {
        const id = example.ids[k] as number;
        const gradient = error * (example.values[k] as number) + options.l2 * (weights[id] as number);
        squared[id] = (squared[id] as number) + gradient * gradient;
        weights[id] = (weights[id] as number) - (options.learningRate * gradient) / Math.sqrt((squared[id] as number) + 1e-8);
      }
    }
  }
  return { bias, weights };
}

/** Deterministic PRNG, so a rebuilt model file is byte for byte the same. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}
