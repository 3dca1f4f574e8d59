import SentimentAnalyzer from 'natural/lib/natural/sentiment/SentimentAnalyzer.js';
import { complaintPhrases } from './complaint-lexicon.ts';

export type TextLabel = 'negative' | 'neutral' | 'positive' | 'unknown';

export interface TextSentiment {
  /** In [-1, 1]; 0 when nothing in the text carries sentiment. */
  score: number;
  label: TextLabel;
}

/** Languages with a lexicon in natural (AFINN); anything else is `unknown`, never silently neutral. */
const LEXICONS: Readonly<Record<string, Record<string, number>>> = {
  en: new SentimentAnalyzer('English', null, 'afinn').vocabulary,
  es: new SentimentAnalyzer('Spanish', null, 'afinn').vocabulary,
};
const NEGATIONS = new Set(['not', 'no', 'never', 'neither', 'nor', 'nothing', 'nobody', 'without', 'hardly', 'barely', 'ni', 'nunca', 'sin', 'tampoco', 'jamás']);
const INTENSIFIERS: Readonly<Record<string, number>> = { very: 1.5, really: 1.3, so: 1.3, extremely: 1.8, super: 1.5, too: 1.3, absolutely: 1.6, muy: 1.5 };
const MAX_PHRASE_WORDS = 3;

// Below these the text reads as a complaint / as praise; tuned so that one mild word does not decide.
const NEGATIVE_BELOW = -0.1;
const POSITIVE_ABOVE = 0.15;

/**
 * Lexicon sentiment, scored clause by clause: negation only reaches to the end of
 * its clause, "but" starts a new clause that weighs more, and the most negative
 * sentence is weighed beside the average so one long happy paragraph cannot bury
 * a sharp complaint.
 */
export function scoreText(text: string, language: string | null): TextSentiment {
  const lang = normaliseLanguage(language);
  const lexicon = LEXICONS[lang];
  if (!lexicon) return { score: 0, label: 'unknown' };
  const sentences = splitSentences(text);
  if (sentences.length === 0) return { score: 0, label: 'neutral' };
  const scores = sentences.map((sentence) => scoreSentence(sentence, lexicon));
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  const worst = Math.min(...scores);
  const combined = worst < 0 ? 0.5 * mean + 0.5 * worst : mean;
  const score = Math.tanh(combined / 3);
  return { score, label: score < NEGATIVE_BELOW ? 'negative' : score > POSITIVE_ABOVE ? 'positive' : 'neutral' };
}

function normaliseLanguage(language: string | null): string {
  if (language === null || language === '') return 'en';
  return language.toLowerCase().split(/[-_]/)[0] ?? 'en';
}

function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?…])\s+|\n+/u)
    .map((s) => s.trim())
    .filter((s) => /\p{L}/u.test(s));
}

function tokens(clause: string): string[] {
  return (
    clause
      .toLowerCase()
      .replace(/[’`]/g, "'")
      .replace(/\b(can't|cannot)\b/g, 'can not')
      .replace(/\bwon't\b/g, 'wont')
      .replace(/n't\b/g, ' not')
      .match(/[\p{L}\p{N}']+/gu) ?? []
  );
}

function scoreSentence(sentence: string, lexicon: Record<string, number>): number {
  // "but" / "however" / "pero" turn the sentence: what follows is what the writer means.
  const clauses = sentence.split(/,|;|:|\s-\s|\b(?:but|however|although|though|pero|aunque)\b/iu);
  let total = 0;
  clauses.forEach((clause, index) => {
    const weight = index > 0 ? 1.5 : 1;
    total += weight * scoreClause(tokens(clause), lexicon);
  });
  return total;
}

function scoreClause(words: string[], lexicon: Record<string, number>): number {
  let score = 0;
  let negated = false;
  let boost = 1;
  for (let i = 0; i < words.length; i++) {
    const phrase = longestPhrase(words, i);
    if (phrase) {
      score += phrase.value * boost * (negated ? -0.5 : 1);
      boost = 1;
      i += phrase.length - 1;
      continue;
    }
    const word = words[i] as string;
    if (NEGATIONS.has(word)) {
      negated = true;
      continue;
    }
    const intensity = INTENSIFIERS[word];
    if (intensity !== undefined) {
      boost = intensity;
      continue;
    }
    const value = lexicon[word];
    if (value !== undefined) {
      // A negated word flips but weakens: "not good" is bad, yet milder than "bad".
      score += value * boost * (negated ? -0.5 : 1);
      boost = 1;
    }
  }
  return score;
}

function longestPhrase(words: string[], start: number): { value: number; length: number } | undefined {
  for (let length = Math.min(MAX_PHRASE_WORDS, words.length - start); length >= 1; length--) {
    const value = complaintPhrases[words.slice(start, start + length).join(' ')];
    if (value !== undefined) return { value, length };
  }
  return undefined;
}
