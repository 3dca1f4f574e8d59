import { describe, expect, test } from 'vitest';
import { scoreText } from '../../services/analysis/sentiment/text-sentiment.ts';
import type { SparseExample } from '../../bench/sentiment/training/logistic.ts';
import { nbRatios, scaleExamples } from '../../bench/sentiment/training/nb-scaling.ts';
import { weighted } from '../../bench/sentiment/training/training-set.ts';

const example = (ids: number[], target: number): SparseExample => ({ ids: Int32Array.from(ids), values: Float32Array.from(ids.map(() => 1)), target, weight: 1 });

describe('naive-Bayes feature scaling', () => {
  // Feature 0 appears only in complaints, 1 in every text, 2 (a lexicon sum) only in complaints.
  const names = ['filthy', 'the', '~lex-', 'lovely'];
  const examples = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? example([0, 1, 2], 0) : example([3, 1], 1)));

  test('a one-sided word is scaled up, an even-handed one down, lexicon sums are left alone', () => {
    const ratios = nbRatios(examples, names, 1);
    expect(ratios[0]).toBeGreaterThan(1);
    expect(ratios[1]).toBeLessThan(0.5);
    expect(ratios[2]).toBe(1);
    scaleExamples(examples, ratios);
    expect(examples[0]?.values[0]).toBeCloseTo(ratios[0] as number);
  });

  test('a "neither" example counts half on each side', () => {
    const even = nbRatios([example([0], 0.5), example([1], 0), example([1], 1)], ['plain', 'x'], 1);
    expect(even[0]).toBeCloseTo(0);
  });
});

describe('training set', () => {
  test("VADER's mild snippets become neither-side examples; clear ones keep their side", () => {
    const texts = weighted([
      { text: 'I called them.', negative: true, group: 'tweets', valence: -0.2 },
      { text: 'Awful.', negative: true, group: 'tweets', valence: -2.5 },
      { text: 'Great.', negative: false, group: 'yelp' },
    ]);
    expect(texts.map((t) => t.target)).toEqual([0.5, 0, 1]);
    expect(texts[0]?.weight).toBe(0.6);
  });
});

describe('closing complaint', () => {
  const praise = 'Lovely room. Great view. Friendly reception. Nice breakfast.';
  const complaint = 'The bathroom was filthy and nobody cleaned it.';
  test('a severe complaint that closes a happy review flags it', () => {
    expect(scoreText(`${praise} ${complaint}`, 'en').label).toBe('negative');
  });
  test('the same complaint as an aside in the middle does not', () => {
    expect(scoreText(`Lovely room. ${complaint} Great view. Friendly reception. Nice breakfast.`, 'en').label).not.toBe('negative');
  });
  test('a mild closing remark does not', () => {
    expect(scoreText(`${praise} The lift was a bit slow.`, 'en').label).not.toBe('negative');
  });
});
