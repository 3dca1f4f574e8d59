import { expect, test } from 'vitest';
import { isSpike, sharedTopic, spikeBlock, usualPerWindow } from '../../services/alerts/spike-rule.ts';

test('a spike is at least five negative items, and at least three above the usual per six hours', () => {
  // 28 days hold 112 six-hour windows.
  expect(usualPerWindow(560)).toBe(5);
  expect(isSpike({ current: 5, history: 0 })).toBe(true);
  expect(isSpike({ current: 4, history: 0 })).toBe(false);
  expect(isSpike({ current: 8, history: 560 })).toBe(true);
  expect(isSpike({ current: 7, history: 560 })).toBe(false);
  expect(isSpike({ current: 5, history: 224 })).toBe(true);
  expect(isSpike({ current: 5, history: 225 })).toBe(false);
});

test('the incident is the six-hour block of the UTC clock, and the block before it', () => {
  expect(spikeBlock(new Date('2026-12-06T12:00:00Z'))).toBe('spike:2026-12-06T12');
  expect(spikeBlock(new Date('2026-12-06T17:59:59Z'))).toBe('spike:2026-12-06T12');
  expect(spikeBlock(new Date('2026-12-06T18:00:00Z'))).toBe('spike:2026-12-06T18');
  expect(spikeBlock(new Date('2026-12-06T03:10:00Z'), true)).toBe('spike:2026-12-05T18');
});

test('a topic is named when more than half of the items share it; "other" never is', () => {
  const items = (...topics: string[][]) => topics.map((list) => ({ topics: list }));
  expect(sharedTopic(items(['wait'], ['wait', 'price'], ['wait'], ['price'], ['quality']))).toBe('wait');
  expect(sharedTopic(items(['wait'], ['wait'], ['price'], ['price']))).toBe(null);
  expect(sharedTopic(items(['wait', 'service'], ['service', 'wait'], ['service']))).toBe('service');
  expect(sharedTopic(items(['other'], ['other'], ['other']))).toBe(null);
  expect(sharedTopic([])).toBe(null);
});
