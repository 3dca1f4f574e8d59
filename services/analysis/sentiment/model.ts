import { readFileSync } from 'node:fs';
import { LEXICON_NEGATIVE, LEXICON_SCALE, sentenceFeatures } from './features.ts';

/** The shipped model file: a sparse logistic regression over sentenceFeatures (positive = praise). */
export interface ModelFile {
  format: 1;
  /** Part of ANALYZER_VERSION: a retrained model re-scores stored items. */
  id: string;
  trainedOn: string[];
  bias: number;
  weights: Record<string, number>;
}

export interface LinearModel {
  id: string;
  bias: number;
  weights: Map<string, number>;
}

export const MODEL_PATH = new URL('./model/sentiment-en.json', import.meta.url);

export function toLinearModel(file: Pick<ModelFile, 'id' | 'bias' | 'weights'>): LinearModel {
  return { id: file.id, bias: file.bias, weights: new Map(Object.entries(file.weights)) };
}

export function loadModel(path: URL = MODEL_PATH): LinearModel {
  return toLinearModel(JSON.parse(readFileSync(path, 'utf8')) as ModelFile);
}

export interface SentenceEvidence {
  /** Log-odds that the sentence is praise rather than complaint, bias excluded. */
  logit: number;
  /** How many of the sentence's features the model knows. */
  known: number;
  /** Whether the sentiment lexicon found anything in it (a scored word, phrase, emoji). */
  lexical: boolean;
  /** The lexicon's negative sum for the sentence (≤ 0): how severe its complaint words are. */
  severity: number;
}

/** The model's evidence in one sentence's tokens. */
export function sentenceEvidence(model: LinearModel, tokens: readonly string[]): SentenceEvidence {
  let logit = 0;
  let known = 0;
  let lexical = false;
  let severity = 0;
  sentenceFeatures(tokens, (feature, value) => {
    if (feature.charCodeAt(0) === 126 /* ~ */) {
      lexical = true;
      if (feature === LEXICON_NEGATIVE) severity = -value * LEXICON_SCALE;
    }
    const weight = model.weights.get(feature);
    if (weight !== undefined) {
      logit += weight * value;
      known++;
    }
  });
  return { logit, known, lexical, severity };
}
