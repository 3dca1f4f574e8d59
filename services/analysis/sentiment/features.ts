import { scoreTokens } from './lexicon.ts';
import { CLAUSE_BREAK, CONTRAST } from './tokens.ts';

/**
 * The features the trained model sees in one English sentence:
 * - words, prefixed with "!" inside a negation's scope (to the end of its clause);
 * - pairs of neighbouring words within a clause ("on hold", "not good");
 * - the clause-scoped lexicon's positive and negative sums (`~lex+`, `~lex-`), which
 *   carry what the lexicon knows to words the training data never showed.
 * What precedes a turning word ("but") weighs less, what follows it more.
 */
export type FeatureSink = (feature: string, value: number) => void;

const NEGATORS = new Set(['not', 'no', 'never', 'neither', 'nor', 'nothing', 'none', 'nobody', 'without', 'hardly', 'barely']);
export const BEFORE_CONTRAST = 0.6;
export const AFTER_CONTRAST = 1.2;
export const LEXICON_POSITIVE = '~lex+';
export const LEXICON_NEGATIVE = '~lex-';
export const LEXICON_SCALE = 4;
const LEXICON_CAP = 3;

export function sentenceFeatures(tokens: readonly string[], emit: FeatureSink): void {
  const contrastAt = tokens.lastIndexOf(CONTRAST);
  let negated = false;
  let previous: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    if (token === CLAUSE_BREAK || token === CONTRAST) {
      negated = false;
      previous = token === CONTRAST ? 'but' : undefined;
      if (token === CONTRAST) emit('but', 1);
      continue;
    }
    const place = contrastAt < 0 ? 1 : i < contrastAt ? BEFORE_CONTRAST : AFTER_CONTRAST;
    emit(negated ? `!${token}` : token, place);
    if (previous !== undefined) emit(`${previous} ${token}`, place);
    if (NEGATORS.has(token)) negated = true;
    previous = token;
  }
  const lexicon = scoreTokens(tokens, 'en');
  if (lexicon.positive > 0) emit(LEXICON_POSITIVE, Math.min(lexicon.positive / LEXICON_SCALE, LEXICON_CAP));
  if (lexicon.negative < 0) emit(LEXICON_NEGATIVE, Math.min(-lexicon.negative / LEXICON_SCALE, LEXICON_CAP));
}
