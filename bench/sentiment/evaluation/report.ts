import type { BinaryFigures, LabelCounts, Prediction, TopicFigures } from './metrics.ts';

const pct = (x: number) => (Number.isNaN(x) ? '  n/a' : `${(100 * x).toFixed(1).padStart(5)}`);
const LABELS = ['negative', 'neutral', 'positive', 'unknown'] as const;

export interface ScoredText extends Prediction {
  text: string;
}

export function formatFigures(name: string, figures: BinaryFigures, extra: string[] = []): string {
  const lines = [
    `── ${name}`,
    `  size ${figures.size}   negatives ${figures.negatives} (${pct(figures.negatives / figures.size).trim()}%)   positives ${figures.size - figures.negatives}`,
    `  accuracy ${pct(figures.accuracy)}   negative P ${pct(figures.precision)}  R ${pct(figures.recall)}  F1 ${pct(figures.f1)}   ROC AUC ${figures.auc.toFixed(3)}`,
    ...extra.map((line) => `  ${line}`),
    `  confusion (rows: truth; columns: label given)  ${LABELS.map((l) => l.padStart(9)).join('')}`,
    `    negative${' '.repeat(39)}${countsRow(figures.confusion.negative)}`,
    `    positive${' '.repeat(39)}${countsRow(figures.confusion.positive)}`,
  ];
  return lines.join('\n');
}

function countsRow(counts: LabelCounts): string {
  return LABELS.map((l) => String(counts[l]).padStart(9)).join('');
}

export function formatShares(name: string, counts: LabelCounts): string {
  const total = LABELS.reduce((sum, l) => sum + counts[l], 0);
  return `${name}: ${total} texts → ${LABELS.map((l) => `${l} ${counts[l]} (${pct(counts[l] / Math.max(total, 1)).trim()}%)`).join(', ')}`;
}

/** The negatives scored most positive and the positives scored most negative. */
export function formatWorstMisses(scored: ScoredText[], count: number): string {
  const missedNegatives = scored.filter((s) => s.negative && s.label !== 'negative').sort((a, b) => b.score - a.score).slice(0, count);
  const falseAlarms = scored.filter((s) => !s.negative && s.label === 'negative').sort((a, b) => a.score - b.score).slice(0, count);
  const line = (s: ScoredText) => `    ${s.score.toFixed(2).padStart(5)} ${s.label.padEnd(8)} ${clip(s.text, 110)}`;
  return [`  worst missed complaints:`, ...missedNegatives.map(line), `  worst false alarms:`, ...falseAlarms.map(line)].join('\n');
}

function clip(text: string, length: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

export function formatTopics(figures: TopicFigures[], cases: number, exact: number): string {
  return [
    `── complaint topics (own hand-labelled fixtures: ${cases} sentences; all topics exactly right in ${exact} = ${pct(exact / cases).trim()}%)`,
    `  ${'topic'.padEnd(18)}${'support'.padStart(8)}${'tagged'.padStart(8)}${'P'.padStart(8)}${'R'.padStart(8)}`,
    ...figures.map((f) => `  ${f.topic.padEnd(18)}${String(f.support).padStart(8)}${String(f.predicted).padStart(8)}${pct(f.precision).padStart(8)}${pct(f.recall).padStart(8)}`),
  ].join('\n');
}
