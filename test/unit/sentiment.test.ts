import { describe, expect, test } from 'vitest';
import { detectLanguage, resolveLanguage } from '../../services/analysis/sentiment/language.ts';
import { scoreTokens } from '../../services/analysis/sentiment/lexicon.ts';
import { scoreText } from '../../services/analysis/sentiment/text-sentiment.ts';
import { CLAUSE_BREAK, CONTRAST, EMOTICON_NEGATIVE, EMOTICON_POSITIVE, splitSentences, tokenize } from '../../services/analysis/sentiment/tokens.ts';
import { tagTopics } from '../../services/analysis/sentiment/topics.ts';

const label = (text: string, language: string | null = 'en') => scoreText(text, language).label;

describe('tokens', () => {
  test("n't becomes not, clause punctuation and turning words are marked, handles and links dropped", () => {
    expect(tokenize("@cafe The soup wasn't hot, but it's fine https://x.example/y")).toEqual(['the', 'soup', 'was', 'not', 'hot', CONTRAST, "it's", 'fine']);
    expect(tokenize("We can't; they won't")).toEqual(['we', 'can', 'not', CLAUSE_BREAK, 'they', 'will', 'not']);
  });
  test('emoticons and emoji are tokens', () => {
    expect(tokenize('Lovely :) but cold :(')).toEqual(['lovely', EMOTICON_POSITIVE, CONTRAST, 'cold', EMOTICON_NEGATIVE]);
    expect(tokenize('Dinner 😡')).toEqual(['dinner', '😡']);
  });
  test('sentences split at end punctuation and lines; empty ones are dropped', () => {
    expect(splitSentences('Great staff! Slow kitchen.\n\n...')).toEqual(['Great staff!', 'Slow kitchen.']);
  });
});

describe('negation scope', () => {
  test('a negation flips the words after it only to the end of its clause', () => {
    const scoped = scoreTokens(tokenize('The room was not nice, the breakfast was lovely'), 'en');
    expect(scoped.negative).toBeLessThan(0);
    expect(scoped.positive).toBeGreaterThan(0);
  });
  test('negated praise is a complaint, negated complaint is not', () => {
    expect(label("The pasta wasn't good at all.")).toBe('negative');
    expect(label('No complaints, everything was lovely.')).toBe('positive');
    expect(label('Never had a bad meal here.')).not.toBe('negative');
  });
});

describe('contrast', () => {
  test('what follows "but" is what the writer means', () => {
    expect(label('The setting is pretty but the service was dreadful.')).toBe('negative');
    expect(label('A bit pricey, but the staff were wonderful and the food excellent.')).toBe('positive');
  });
  test('the lexicon weighs the clause after the turn more than the one before', () => {
    const tokens = tokenize('Good coffee but awful cake');
    const plain = scoreTokens(tokenize('Good coffee awful cake'), 'en');
    const turned = scoreTokens(tokens, 'en');
    expect(turned.positive).toBeLessThan(plain.positive);
    expect(turned.negative).toBeLessThan(plain.negative);
  });
});

describe('emoji and emoticons', () => {
  test('carry sentiment on their own', () => {
    expect(label('Dinner tonight 😡😡')).toBe('negative');
    expect(label('Dinner tonight 😍')).toBe('positive');
    expect(label('Delivery again :(')).toBe('negative');
  });
});

describe('sentences', () => {
  test('one sharp complaint is not buried by a long happy paragraph', () => {
    const text = 'Bright room with a view of the harbour. Lovely welcome at the desk. Tasty breakfast. Comfortable bed. But the shower was filthy and nobody ever cleaned it.';
    expect(label(text)).toBe('negative');
  });
  test('a mild remark in a happy review does not flag it', () => {
    expect(label('Fantastic little bakery, friendly owners and superb bread. Parking can be a squeeze.')).toBe('positive');
  });
});

describe('languages', () => {
  test('the platform field decides; unsupported languages are unknown', () => {
    expect(scoreText('Das Essen war schrecklich und kalt', 'de')).toEqual({ score: 0, label: 'unknown' });
    expect(scoreText('Das Essen war schrecklich und kalt', null).label).toBe('unknown');
    expect(resolveLanguage('en-GB', [])).toBe('en');
    expect(resolveLanguage('und', ['la', 'comida', 'muy'])).toBe('es');
  });
  test('detection by function words', () => {
    expect(detectLanguage(tokenize('the food was cold and the staff were slow'))).toBe('en');
    expect(detectLanguage(tokenize('la comida estaba fría y el servicio muy lento'))).toBe('es');
    expect(detectLanguage(tokenize('le repas était froid et le service très lent'))).toBe('fr');
    expect(detectLanguage(tokenize('Awful!'))).toBe('en');
    expect(detectLanguage(tokenize('ужасный сервис'))).toBe('und');
  });
  test('Spanish and Portuguese are judged by their lexicons', () => {
    expect(label('La comida estaba fría y el camarero fue muy grosero.', 'es')).toBe('negative');
    expect(label('Todo perfecto, el personal encantador.', 'es')).toBe('positive');
    expect(label('Nunca más vuelvo a este sitio', null)).toBe('negative');
    expect(label('O atendimento foi péssimo e muito lento.', 'pt')).toBe('negative');
  });
});

describe('complaint topics', () => {
  test('tags what a complaint is about, in English and Spanish', () => {
    expect(tagTopics('We queued for forty minutes and the coffee was lukewarm.')).toEqual(['wait', 'quality']);
    expect(tagTopics('The cashier was rude to my mother.')).toEqual(['staff_attitude']);
    expect(tagTopics('Sticky floor and a smelly restroom.')).toEqual(['cleanliness']);
    expect(tagTopics('They charged us twice for the same bottle.')).toEqual(['price']);
    expect(tagTopics('Mi pedido nunca llegó.')).toEqual(['booking_delivery']);
    expect(tagTopics('Just a terrible evening.')).toEqual(['other']);
  });
  test('a waiter is not a wait', () => {
    expect(tagTopics('The waiter spilled wine on my coat.')).toEqual(['other']);
  });
});
