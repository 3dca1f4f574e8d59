/**
 * `npm run eval:sentiment -- [datasets-dir]`: measures the sentiment analyzer on
 * labelled data that is not in the repository (default ../shared/datasets).
 *
 * - UCI sentences: 5-fold cross-validation; each fold's model is trained on the other
 *   four folds plus the VADER sets, exactly as `npm run train:sentiment` trains the shipped one.
 * - Airline tweets and Amazon Alexa reviews: the shipped model, evaluation only.
 * - Complaint topics: the tagger against the hand-labelled sentences in test/fixtures/topics.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAirline, loadAlexa, loadUci, loadVader, type Dataset, type LabelledText } from './sentiment/evaluation/datasets.ts';
import { stratifiedFolds } from './sentiment/evaluation/cross-validation.ts';
import { binaryFigures, labelShares, topicFigures } from './sentiment/evaluation/metrics.ts';
import { formatFigures, formatShares, formatTopics, formatWorstMisses, type ScoredText } from './sentiment/evaluation/report.ts';
import { loadTopicCases } from './sentiment/evaluation/topic-cases.ts';
import { toLinearModel, type LinearModel } from '../services/analysis/sentiment/model.ts';
import { scoreText } from '../services/analysis/sentiment/text-sentiment.ts';
import { COMPLAINT_TOPICS, tagTopics } from '../services/analysis/sentiment/topics.ts';
import { buildModel } from './sentiment/training/build-model.ts';
import { weighted } from './sentiment/training/training-set.ts';
import { loadModel } from '../services/analysis/sentiment/model.ts';

const repo = fileURLToPath(new URL('../', import.meta.url));
const dir = path.resolve(process.argv[2] ?? path.join(repo, '../shared/datasets'));
const FOLDS = 5;
const MISSES = 5;

function score(texts: LabelledText[], model: LinearModel, language: string | null): ScoredText[] {
  return texts.map((t) => ({ text: t.text, negative: t.negative, ...scoreText(t.text, language, model) }));
}

/** Texts per second on this thread, after a warm-up, over at least a second of work. */
function throughput(texts: string[], model: LinearModel): number {
  for (const text of texts.slice(0, 2000)) scoreText(text, null, model);
  let done = 0;
  const started = performance.now();
  while (performance.now() - started < 1500) {
    for (const text of texts) scoreText(text, null, model);
    done += texts.length;
  }
  return done / ((performance.now() - started) / 1000);
}

function crossValidateUci(uci: LabelledText[], vader: LabelledText[]): void {
  const folds = stratifiedFolds(uci, FOLDS, 11);
  const scored: ScoredText[] = [];
  const groups: string[] = [];
  folds.forEach((test, k) => {
    const train = folds.filter((_, j) => j !== k).flat();
    const model = toLinearModel(buildModel(weighted([...train, ...vader]), `cv-${k}`, []));
    scored.push(...score(test, model, 'en'));
    groups.push(...test.map((t) => t.group));
  });
  const perGroup = [...new Set(groups)].map((group) => {
    const figures = binaryFigures(scored.filter((_, i) => groups[i] === group));
    return `${group}: F1 ${(100 * figures.f1).toFixed(1)}, AUC ${figures.auc.toFixed(3)}`;
  });
  console.log(formatFigures(`UCI sentences, ${FOLDS}-fold cross-validation (train: 4 folds + VADER; language given as en)`, binaryFigures(scored), [`per source: ${perGroup.join('; ')}`]));
  console.log(formatWorstMisses(scored, MISSES));
}

function evaluate(dataset: Dataset, model: LinearModel): void {
  const scored = score(dataset.texts, model, null);
  const lengths = dataset.texts.map((t) => t.text.length).sort((a, b) => a - b);
  const extra = [
    dataset.note,
    `median length ${lengths[Math.floor(lengths.length / 2)]} characters; language detected from the text`,
    `speed: ${Math.round(throughput(dataset.texts.map((t) => t.text), model)).toLocaleString('en-US')} texts/s on one thread`,
  ];
  if (dataset.heldAside && dataset.heldAside.length > 0) {
    const aside = score(dataset.heldAside, model, null);
    const groups = [...new Set(dataset.heldAside.map((t) => t.group))];
    for (const group of groups) extra.push(formatShares(`held aside ${group}`, labelShares(aside.filter((_, i) => dataset.heldAside?.[i]?.group === group).map((s) => s.label))));
    if (dataset.name.startsWith('airline')) {
      // Neutral tweets counted as "not a complaint": the figure an inbox of all mentions sees.
      const all = binaryFigures([...scored, ...aside]);
      extra.push(`with neutral tweets counted as not negative: P ${(100 * all.precision).toFixed(1)}  R ${(100 * all.recall).toFixed(1)}  F1 ${(100 * all.f1).toFixed(1)}`);
    }
  }
  console.log(formatFigures(`${dataset.name} (shipped model, never trained on)`, binaryFigures(scored), extra));
  console.log(formatWorstMisses(scored, MISSES));
}

function evaluateTopics(): void {
  const cases = loadTopicCases(path.join(repo, 'test/fixtures/topics'));
  const results = cases.map((c) => ({ expected: c.topics, predicted: tagTopics(c.text) as string[] }));
  const exact = results.filter((r) => r.expected.length === r.predicted.length && r.expected.every((t) => r.predicted.includes(t))).length;
  console.log(formatTopics(topicFigures(results, COMPLAINT_TOPICS), cases.length, exact));
}

const uci = loadUci(dir);
const vader = loadVader(dir, true);
console.log(`data sets from ${dir}\n`);
crossValidateUci(uci, vader);
const shipped = loadModel();
console.log(`\nshipped model ${shipped.id}: ${shipped.weights.size} weights`);
evaluate(loadAirline(dir), shipped);
evaluate(loadAlexa(dir), shipped);
evaluateTopics();
