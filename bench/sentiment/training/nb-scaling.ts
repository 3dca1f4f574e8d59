import type { SparseExample } from './logistic.ts';

/**
 * Naive-Bayes feature scaling (Wang & Manning 2012, "NBSVM"): each feature's value is
 * multiplied by how unevenly it falls between complaints and praise, |log(p/q)|, before
 * the logistic regression is trained. Words that take no side start out quiet, so the
 * regression spends its capacity on the ones that do; on the UCI sentences it ranks
 * better than plain counts. The ratio is folded back into the saved weights, so scoring
 * costs nothing extra. Features whose name starts with `keep` (the lexicon sums) are not scaled.
 */
export function nbRatios(examples: readonly SparseExample[], names: readonly string[], smoothing: number, keep = '~'): Float64Array {
  const praise = new Float64Array(names.length);
  const complaint = new Float64Array(names.length);
  for (const example of examples) {
    // A soft label splits its weight: a "neither" example (0.5) counts half on each side.
    const toPraise = example.weight * example.target;
    const toComplaint = example.weight * (1 - example.target);
    for (let k = 0; k < example.ids.length; k++) {
      const id = example.ids[k] as number;
      praise[id] = (praise[id] as number) + toPraise;
      complaint[id] = (complaint[id] as number) + toComplaint;
    }
  }
  let praiseTotal = 0;
  let complaintTotal = 0;
  for (let i = 0; i < names.length; i++) {
    praiseTotal += (praise[i] as number) + smoothing;
    complaintTotal += (complaint[i] as number) + smoothing;
  }
  const ratios = new Float64Array(names.length).fill(1);
  for (let i = 0; i < names.length; i++) {
    if ((names[i] as string).startsWith(keep)) continue;
    ratios[i] = Math.abs(Math.log(((praise[i] as number) + smoothing) / praiseTotal) - Math.log(((complaint[i] as number) + smoothing) / complaintTotal));
  }
  return ratios;
}

export function scaleExamples(examples: SparseExample[], ratios: Float64Array): void {
  for (const example of examples) {
    for (let k = 0; k < example.ids.length; k++) example.values[k] = (example.values[k] as number) * (ratios[example.ids[k] as number] as number);
  }
}
