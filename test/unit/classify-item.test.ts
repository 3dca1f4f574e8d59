import { describe, expect, test } from 'vitest';
import { classifyItem } from '../../services/analysis/sentiment/classify-item.ts';
import { scoreText } from '../../services/analysis/sentiment/text-sentiment.ts';

const item = (rating: number | null, body: string, language: string | null = 'en') => ({ rating, title: null, body, language });

describe('rating rules', () => {
  test('a 1–2 star review is negative whatever its text', () => {
    expect(classifyItem(item(1, 'Amazing, wonderful, perfect!'))).toMatchObject({ label: 'negative', flagged: true });
    expect(classifyItem(item(1, 'Waited an hour and the soup was cold.')).topics).toEqual(['wait', 'quality']);
    expect(classifyItem(item(2, ''))).toMatchObject({ label: 'negative', flagged: true });
  });
  test('a 4–5 star review is positive', () => {
    expect(classifyItem(item(5, 'The wait was long but worth it'))).toMatchObject({ label: 'positive', flagged: false, topics: [] });
  });
  test('a 3-star review and an unrated mention are judged on their text', () => {
    expect(classifyItem(item(3, 'Rude staff and cold food.'))).toMatchObject({ label: 'negative', flagged: true });
    expect(classifyItem(item(null, 'Best brunch in town, lovely people!'))).toMatchObject({ label: 'positive', flagged: false });
    expect(classifyItem(item(null, 'I have been on hold for 40 minutes.'))).toMatchObject({ label: 'negative', flagged: true, topics: ['wait'] });
  });
  test('an unrated mention in a language that cannot be judged is unknown and not flagged; a rating still decides', () => {
    expect(classifyItem(item(null, 'Das Essen war kalt und der Kellner unhöflich.', 'de'))).toEqual({ score: 0, label: 'unknown', flagged: false, topics: [] });
    expect(classifyItem(item(1, 'Das Essen war kalt und der Kellner unhöflich.', 'de'))).toMatchObject({ label: 'negative', flagged: true });
  });
});

describe('text sentiment', () => {
  test('complaint language that general lexicons miss is negative', () => {
    for (const text of ['Would not go back.', 'Our server was a little slow with the drinks.', "I'm on hold for 40 minutes", 'Never again.']) {
      expect(scoreText(text, 'en').label, text).toBe('negative');
    }
  });
  test('negation reaches only to the end of its clause', () => {
    expect(scoreText("The food wasn't good", 'en').label).toBe('negative');
    expect(scoreText('Not cheap, but the staff were wonderful and the food excellent.', 'en').label).toBe('positive');
  });
  test('one sharp complaint is not buried by a long happy paragraph', () => {
    const text = 'Lovely room. Great view. Friendly reception. Nice breakfast. The bathroom was filthy and nobody cleaned it.';
    expect(scoreText(text, 'en').label).toBe('negative');
  });
  test('Spanish is scored; languages without a lexicon are unknown, never neutral', () => {
    expect(scoreText('La comida estaba horrible', 'es').label).toBe('negative');
    expect(scoreText('Das Essen war schrecklich', 'de')).toEqual({ score: 0, label: 'unknown' });
  });
  test('text with nothing to judge is neutral with score 0', () => {
    expect(scoreText('🙂', 'en')).toEqual({ score: 0, label: 'neutral' });
    // Plain statements are neutral; the model alone must be sure before it calls one a complaint.
    expect(scoreText('The shop opens at nine.', 'en').label).toBe('neutral');
    expect(scoreText('I ordered the soup.', 'en').label).toBe('neutral');
  });
});
