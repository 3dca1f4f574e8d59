/**
 * `npm run train:sentiment -- [datasets-dir]`: rebuilds services/analysis/sentiment/model/sentiment-en.json
 * from the permitted data only — the UCI sentiment-labelled sentences (CC BY 4.0) and
 * the VADER ground truth (MIT). Deterministic: the same data gives the same file.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadUci, loadVader } from './evaluation/datasets.ts';
import { MODEL_PATH } from '../../services/analysis/sentiment/model.ts';
import { buildModel } from './training/build-model.ts';
import { weighted } from './training/training-set.ts';

export const MODEL_ID = 'lr-uci-vader-2';
export const DEFAULT_DATASETS_DIR = path.resolve(fileURLToPath(new URL('../../', import.meta.url)), '../shared/datasets');

function main(): void {
  const dir = path.resolve(process.argv[2] ?? DEFAULT_DATASETS_DIR);
  const texts = [...loadUci(dir), ...loadVader(dir, true)];
  const started = performance.now();
  const model = buildModel(weighted(texts), MODEL_ID, ['UCI sentiment labelled sentences (CC BY 4.0)', 'VADER ground truth, Hutto & Gilbert 2014 (MIT)']);
  const json = `${JSON.stringify(model)}\n`;
  writeFileSync(MODEL_PATH, json);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`trained on ${texts.length} texts in ${seconds} s: ${Object.keys(model.weights).length} weights, ${(json.length / 1024).toFixed(0)} KiB → ${fileURLToPath(MODEL_PATH)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
