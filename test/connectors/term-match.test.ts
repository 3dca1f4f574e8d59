import { expect, test } from 'vitest';
import { containsAnyTerm } from '../../connectors/mention-terms.ts';

test.each([
  ['apple', 'Everyone applauded the speech', false],
  ['apple', 'Pineapple pizza again', false],
  ['apple', 'my Apple watch broke', true],
  ['apple', 'APPLE!', true],
  ['Demo Bistro', 'dinner at demo   bistro tonight', true],
  ['Demo Bistro', 'dinner at demo\nbistro tonight', true],
  ['Demo Bistro', 'demo bistros pop-up', false],
  ['Demo Bistro', '#DemoBistro', false],
  ['café', 'Le CAFÉ du coin', true],
  ['café', 'cafés everywhere', false],
  ['Straße', 'an der Straße 4', true],
  ['東京', '東京タワー', true],
  ['c++', 'I write C++ daily', true],
  ['a.b', 'axb', false],
])('%s in "%s" → %s', (term, text, expected) => {
  expect(containsAnyTerm([term])(text)).toBe(expected);
});

test('decomposed and composed accents match each other', () => {
  expect(containsAnyTerm(['café'.normalize('NFD')])('café'.normalize('NFC'))).toBe(true);
});

test('no terms never match', () => {
  expect(containsAnyTerm([])('anything')).toBe(false);
});
