import { mulberry32, shuffle } from '../training/logistic.ts';
import type { LabelledText } from './datasets.ts';

/** Stratified folds: each fold holds the same share of negatives and of each group (source file). */
export function stratifiedFolds(texts: LabelledText[], k: number, seed: number): LabelledText[][] {
  const folds: LabelledText[][] = Array.from({ length: k }, () => []);
  const strata = new Map<string, LabelledText[]>();
  for (const text of texts) {
    const key = `${text.group}:${text.negative}`;
    strata.set(key, [...(strata.get(key) ?? []), text]);
  }
  const random = mulberry32(seed);
  let next = 0;
  for (const key of [...strata.keys()].sort()) {
    const members = strata.get(key) as LabelledText[];
    shuffle(members, random);
    for (const member of members) {
      (folds[next % k] as LabelledText[]).push(member);
      next++;
    }
  }
  return folds;
}
