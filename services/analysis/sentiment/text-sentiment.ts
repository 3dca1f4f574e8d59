import { resolveLanguage } from './language.ts';
import { scoreTokens } from './lexicon.ts';
import { loadModel, sentenceEvidence, type LinearModel } from './model.ts';
import { splitSentences, tokenize } from './tokens.ts';

export type TextLabel = 'negative' | 'neutral' | 'positive' | 'unknown';

export interface TextSentiment {
  /** In [-1, 1]; 0 when nothing in the text carries sentiment. */
  score: number;
  label: TextLabel;
}

export interface ScoringOptions {
  /** Below this log-odds the text reads as a complaint. */
  negativeBelow: number;
  /**
   * The same, for text in which the lexicon found nothing ("We went on Tuesday."): the
   * model saw few plain statements in training, so on its own it must be a little surer.
   */
  negativeWithoutLexiconBelow: number;
  /** Above this log-odds it reads as praise; between the two it is neutral. */
  positiveAbove: number;
  /**
   * A closing sentence at or below this log-odds is a sharp complaint: it is weighed
   * beside the average. Only the closing sentence counts: a review ends on its verdict,
   * while a complaint in the middle of a happy review is usually an aside. (Letting any
   * sentence count flagged a third of the happy whole reviews in the VADER product reviews.)
   */
  sharpBelow: number;
  /**
   * ...and its complaint words must be at least this severe (lexicon points, ≤ 0): the
   * model's log-odds say how sure it is that a sentence complains, the lexicon says how
   * badly ("filthy", "food poisoning" against "a bit slow").
   */
  sharpSeverityBelow: number;
  /** How much the closing complaint counts against the average of the sentences. */
  sharpWeight: number;
  /** Log-odds per lexicon point, for the languages judged by the lexicon alone. */
  lexiconLogit: number;
}

export const DEFAULT_SCORING: ScoringOptions = { negativeBelow: 0, negativeWithoutLexiconBelow: -0.3, positiveAbove: 0.75, sharpBelow: -1.5, sharpSeverityBelow: -4, sharpWeight: 0.5, lexiconLogit: 0.5 };

let shipped: LinearModel | undefined;
function shippedModel(): LinearModel {
  shipped ??= loadModel();
  return shipped;
}

/**
 * Scores a text sentence by sentence. English sentences are judged by the trained
 * model (words, word pairs, negation scope, the clause-scoped lexicon); Spanish and
 * Portuguese by the lexicon alone. The sentences' log-odds are averaged, and a sharp
 * complaint that closes the text is weighed beside the average so one long happy
 * paragraph cannot bury it.
 * Text in a language it cannot judge is `unknown`.
 */
export function scoreText(text: string, language: string | null, model: LinearModel = shippedModel(), options: ScoringOptions = DEFAULT_SCORING): TextSentiment {
  const sentences = splitSentences(text).map(tokenize);
  const lang = resolveLanguage(language, sentences.flat());
  if (lang === undefined) return { score: 0, label: 'unknown' };
  let sum = 0;
  let judged = 0;
  let closing = Infinity;
  let lexical = false;
  for (const tokens of sentences) {
    let logit: number;
    let severity: number;
    if (lang === 'en') {
      const evidence = sentenceEvidence(model, tokens);
      if (evidence.known === 0) continue;
      logit = model.bias + evidence.logit;
      severity = evidence.severity;
      lexical ||= evidence.lexical;
    } else {
      const lexicon = scoreTokens(tokens, lang);
      if (lexicon.hits === 0) continue;
      logit = options.lexiconLogit * (lexicon.positive + lexicon.negative);
      severity = lexicon.negative;
      lexical = true;
    }
    sum += logit;
    judged++;
    // Only the closing sentence can be a sharp complaint: a review ends on its verdict.
    closing = logit <= options.sharpBelow && severity <= options.sharpSeverityBelow ? logit : Infinity;
  }
  if (judged === 0) return { score: 0, label: 'neutral' };
  const mean = sum / judged;
  const z = closing < mean ? (1 - options.sharpWeight) * mean + options.sharpWeight * closing : mean;
  const score = Math.tanh(z / 2);
  const negativeBelow = lexical ? options.negativeBelow : options.negativeWithoutLexiconBelow;
  return { score, label: z < negativeBelow ? 'negative' : z > options.positiveAbove ? 'positive' : 'neutral' };
}
