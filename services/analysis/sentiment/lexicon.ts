import SentimentAnalyzer from 'natural/lib/natural/sentiment/SentimentAnalyzer.js';
import { complaintPhrases } from './complaint-lexicon.ts';
import { CLAUSE_BREAK, CONTRAST, EMOTICON_NEGATIVE, EMOTICON_POSITIVE } from './tokens.ts';

/** Languages the lexicon scores: natural's AFINN vocabularies (English AFINN-165, Spanish, Portuguese). */
export type LexiconLanguage = 'en' | 'es' | 'pt';
export const LEXICON_LANGUAGES: readonly LexiconLanguage[] = ['en', 'es', 'pt'];

interface Lexicon {
  words: Map<string, number>;
  /** Phrases by their first token; longest first. */
  phrases: Map<string, Array<{ tokens: string[]; value: number }>>;
  negations: Set<string>;
  intensifiers: Map<string, number>;
}

const NATURAL_NAMES: Record<LexiconLanguage, string> = { en: 'English', es: 'Spanish', pt: 'Portuguese' };
const NEGATIONS: Record<LexiconLanguage, string[]> = {
  en: ['not', 'no', 'never', 'neither', 'nor', 'nothing', 'none', 'nobody', 'without', 'hardly', 'barely', 'lack', 'lacks', 'lacked'],
  es: ['no', 'nunca', 'jamás', 'ni', 'sin', 'tampoco', 'nada', 'ningún', 'ninguna', 'ninguno'],
  pt: ['não', 'nunca', 'jamais', 'nem', 'sem', 'nada', 'nenhum', 'nenhuma'],
};
const INTENSIFIERS: Record<LexiconLanguage, Record<string, number>> = {
  en: { very: 1.5, really: 1.3, so: 1.3, extremely: 1.8, super: 1.5, too: 1.3, absolutely: 1.6, totally: 1.5, completely: 1.5, incredibly: 1.7, most: 1.3, such: 1.3, little: 0.6, bit: 0.6, slightly: 0.6, somewhat: 0.7, pretty: 1.1 },
  es: { muy: 1.5, super: 1.5, súper: 1.5, demasiado: 1.4, bastante: 1.2, totalmente: 1.5, poco: 0.6, algo: 0.7 },
  pt: { muito: 1.5, super: 1.5, demais: 1.4, bastante: 1.2, totalmente: 1.5, pouco: 0.6 },
};
// Words AFINN scores that mislead in reviews of services ("no" is a negator, not -1; "like" is mostly a preposition).
const OVERRIDES: Record<LexiconLanguage, Record<string, number | null>> = {
  en: { no: null, like: 1, likes: 1, liked: 2, pretty: null, cool: 1, kind: null, please: null, want: null, wants: null, hard: -1, ok: 0, okay: 0, fine: 1, fun: 3, lol: null, 'no fun': -3, 'not bad': 1, 'no complaints': 2, 'no complaint': 2, 'no problem': 1, 'no problems': 1, 'never had a bad': 2, 'can not complain': 2, 'can not wait': 2, 'could not be happier': 3, 'could not ask for': 2 },
  es: { no: null },
  pt: { não: null },
};
// The weight of what comes before / after a turning word ("good food but slow service").
const BEFORE_CONTRAST = 0.5;
const AFTER_CONTRAST = 1.5;
/** A negated word flips but weakens: "not good" is bad, yet milder than "bad". */
const NEGATED = -0.6;

const EMOTICONS: Record<string, number> = { [EMOTICON_POSITIVE]: 2, [EMOTICON_NEGATIVE]: -2 };

function buildLexicon(language: LexiconLanguage): Lexicon {
  const vocabulary = new SentimentAnalyzer(NATURAL_NAMES[language], null, 'afinn').vocabulary;
  const words = new Map<string, number>();
  for (const word in vocabulary) words.set(word, vocabulary[word] as number);
  // natural's Spanish and Portuguese AFINN lists score emoji (Novak et al.'s emoji ranking); every language shares them.
  for (const [emoji, value] of Object.entries(new SentimentAnalyzer('Spanish', null, 'afinn').vocabulary)) {
    if (/\p{Extended_Pictographic}/u.test(emoji)) words.set(emoji, value);
  }
  for (const [emoticon, value] of Object.entries(EMOTICONS)) words.set(emoticon, value);
  const phrases = new Map<string, Array<{ tokens: string[]; value: number }>>();
  for (const [key, value] of Object.entries(OVERRIDES[language])) {
    if (key.includes(' ')) addPhrase(phrases, key, value ?? 0);
    else if (value === null) words.delete(key);
    else words.set(key, value);
  }
  for (const [phrase, value] of Object.entries(complaintPhrases[language] ?? {})) {
    if (phrase.includes(' ')) addPhrase(phrases, phrase, value);
    else words.set(phrase, value);
  }
  for (const list of phrases.values()) list.sort((a, b) => b.tokens.length - a.tokens.length);
  return { words, phrases, negations: new Set(NEGATIONS[language]), intensifiers: new Map(Object.entries(INTENSIFIERS[language])) };
}

function addPhrase(phrases: Lexicon['phrases'], phrase: string, value: number): void {
  const tokens = phrase.split(' ');
  const first = tokens[0] as string;
  const list = phrases.get(first) ?? [];
  list.push({ tokens, value });
  phrases.set(first, list);
}

const LEXICONS = new Map<LexiconLanguage, Lexicon>(LEXICON_LANGUAGES.map((language) => [language, buildLexicon(language)]));

export function lexiconFor(language: LexiconLanguage): Lexicon {
  return LEXICONS.get(language) as Lexicon;
}

export interface LexiconScore {
  /** Sum of the positive contributions (≥ 0). */
  positive: number;
  /** Sum of the negative contributions (≤ 0). */
  negative: number;
  /** How many tokens carried a lexicon value. */
  hits: number;
}

/**
 * Scores one sentence's tokens: negation reaches to the end of its clause, an
 * intensifier scales the next scored word, a turning word ("but") weakens what came
 * before it and strengthens what follows, and phrases of the service domain count.
 */
export function scoreTokens(tokens: readonly string[], language: LexiconLanguage): LexiconScore {
  const lexicon = lexiconFor(language);
  const contrastAt = tokens.lastIndexOf(CONTRAST);
  let positive = 0;
  let negative = 0;
  let hits = 0;
  let negated = false;
  let boost = 1;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    if (token === CLAUSE_BREAK || token === CONTRAST) {
      negated = false;
      boost = 1;
      continue;
    }
    let value = lexicon.words.get(token);
    let length = 1;
    const candidates = lexicon.phrases.get(token);
    if (candidates !== undefined) {
      for (const phrase of candidates) {
        if (matchesAt(tokens, i, phrase.tokens)) {
          value = phrase.value;
          length = phrase.tokens.length;
          break;
        }
      }
    }
    if (length === 1 && lexicon.negations.has(token)) {
      negated = true;
      continue;
    }
    if (length === 1) {
      const intensity = lexicon.intensifiers.get(token);
      if (intensity !== undefined) {
        boost = intensity;
        continue;
      }
    }
    if (value === undefined || value === 0) continue;
    i += length - 1;
    const place = contrastAt < 0 ? 1 : i < contrastAt ? BEFORE_CONTRAST : AFTER_CONTRAST;
    // A phrase that already holds its negation ("not worth", "never again") is not flipped again.
    const flips = negated && !(length > 1 && lexicon.negations.has(token));
    const contribution = value * boost * place * (flips ? NEGATED : 1);
    if (contribution > 0) positive += contribution;
    else negative += contribution;
    hits++;
    boost = 1;
  }
  return { positive, negative, hits };
}

function matchesAt(tokens: readonly string[], start: number, phrase: readonly string[]): boolean {
  if (start + phrase.length > tokens.length) return false;
  for (let k = 1; k < phrase.length; k++) if (tokens[start + k] !== phrase[k]) return false;
  return true;
}
