import { describe, expect, test } from 'vitest';
import { DEFAULT_ALERT_RULE } from '../../db/alert-rule-shape.ts';
import { InvalidAlertRule, changedRuleDefinition, newRuleDefinition } from '../../services/alerts/rules/rule-input.ts';
import { matches, mentionsAny, type RuleItem } from '../../services/alerts/rules/rule-matching.ts';

const item = (overrides: Partial<RuleItem> = {}): RuleItem => ({
  kind: 'review',
  rating: 2,
  sentimentLabel: 'negative',
  topics: ['wait'],
  sourceType: 'google_places',
  title: null,
  body: 'We waited an hour for cold soup.',
  flagged: true,
  ...overrides,
});

describe('matching', () => {
  test('the default rule matches every flagged item and nothing else', () => {
    expect(matches(DEFAULT_ALERT_RULE.conditions, item())).toBe(true);
    expect(matches(DEFAULT_ALERT_RULE.conditions, item({ rating: null, kind: 'mention', sentimentLabel: 'unknown' }))).toBe(true);
    expect(matches(DEFAULT_ALERT_RULE.conditions, item({ flagged: false }))).toBe(false);
  });

  test('every condition given must hold', () => {
    const conditions = { flaggedOnly: true, ratingMax: 2, kinds: ['review' as const], sourceTypes: ['google_places'] };
    expect(matches(conditions, item())).toBe(true);
    expect(matches(conditions, item({ rating: 3 }))).toBe(false);
    expect(matches(conditions, item({ kind: 'mention' }))).toBe(false);
    expect(matches(conditions, item({ sourceType: 'yelp' }))).toBe(false);
  });

  test('ratingMax: an unrated item never matches', () => {
    expect(matches({ flaggedOnly: false, ratingMax: 5 }, item({ rating: null }))).toBe(false);
    expect(matches({ flaggedOnly: false, ratingMax: 1 }, item({ rating: 1 }))).toBe(true);
  });

  test('sentiments may include unknown; an item not judged counts as unknown', () => {
    const conditions = { flaggedOnly: false, sentiments: ['negative' as const, 'unknown' as const] };
    expect(matches(conditions, item({ sentimentLabel: 'unknown', flagged: false }))).toBe(true);
    expect(matches(conditions, item({ sentimentLabel: null, flagged: false }))).toBe(true);
    expect(matches(conditions, item({ sentimentLabel: 'neutral' }))).toBe(false);
  });

  test('topics: any of them', () => {
    expect(matches({ flaggedOnly: true, topics: ['price', 'wait'] }, item())).toBe(true);
    expect(matches({ flaggedOnly: true, topics: ['price'] }, item())).toBe(false);
    expect(matches({ flaggedOnly: true, topics: ['price'] }, item({ topics: [] }))).toBe(false);
  });

  test('keywords: any of them, whole words, whatever the case, in the title or the text', () => {
    expect(mentionsAny('We waited an hour for COLD soup.', ['soup'])).toBe(true);
    expect(mentionsAny('The waiter was kind.', ['wait'])).toBe(false);
    expect(mentionsAny('Wait!', ['wait'])).toBe(true);
    expect(mentionsAny('Cold\n  soup again', ['cold soup'])).toBe(true);
    expect(mentionsAny('soupçon of salt', ['soup'])).toBe(false);
    expect(mentionsAny('Le café était froid', ['CAFÉ'])).toBe(true);
    expect(mentionsAny('Price: $5 (too much)', ['$5', '(too'])).toBe(true);
    expect(matches({ flaggedOnly: true, keywords: ['refund', 'manager'] }, item({ title: 'Ask the Manager' }))).toBe(true);
    expect(matches({ flaggedOnly: true, keywords: ['refund'] }, item())).toBe(false);
  });
});

describe('checking a rule', () => {
  const refused = (run: () => unknown): { field: string; problem: string } => {
    try {
      run();
    } catch (error) {
      if (error instanceof InvalidAlertRule) return { field: error.field, problem: error.problem };
      throw error;
    }
    throw new Error('accepted');
  };

  test('a minimal rule: flagged only by default, named after what it does', () => {
    expect(newRuleDefinition({ to: { email: ' m@shop.test ' }, delivery: 'instant' })).toEqual({
      name: 'flagged items, instantly, to m@shop.test',
      conditions: { flaggedOnly: true },
      target: { email: 'm@shop.test' },
      delivery: 'instant',
      urgent: false,
    });
    const named = newRuleDefinition({ name: ' Soup ', when: { ratingMax: 2, keywords: ['Soup', 'soup ', 'cold   soup'] }, to: { alertAddresses: true }, delivery: 'daily', urgent: true });
    expect(named).toMatchObject({ name: 'Soup', conditions: { flaggedOnly: true, ratingMax: 2, keywords: ['Soup', 'cold soup'] }, urgent: true });
  });

  test('each refusal names the field', () => {
    expect(refused(() => newRuleDefinition({ to: { email: 'x@y.test' }, delivery: 'hourly' })).field).toBe('delivery');
    expect(refused(() => newRuleDefinition({ to: {}, delivery: 'instant' })).field).toBe('to');
    expect(refused(() => newRuleDefinition({ to: { email: 'a@b.test', userId: crypto.randomUUID() }, delivery: 'instant' })).field).toBe('to');
    expect(refused(() => newRuleDefinition({ to: { email: 'not an address' }, delivery: 'instant' })).field).toBe('to.email');
    expect(refused(() => newRuleDefinition({ to: { userId: 'abc' }, delivery: 'instant' })).field).toBe('to.userId');
    expect(refused(() => newRuleDefinition({ to: { alertAddresses: false }, delivery: 'instant' })).field).toBe('to.alertAddresses');
    const to = { alertAddresses: true };
    expect(refused(() => newRuleDefinition({ when: { ratingMax: 0 }, to, delivery: 'instant' })).field).toBe('when.ratingMax');
    expect(refused(() => newRuleDefinition({ when: { ratingMax: 2.5 }, to, delivery: 'instant' })).field).toBe('when.ratingMax');
    expect(refused(() => newRuleDefinition({ when: { sentiments: ['negative', 'angry'] }, to, delivery: 'instant' })).field).toBe('when.sentiments[1]');
    expect(refused(() => newRuleDefinition({ when: { topics: ['noise'] }, to, delivery: 'instant' })).field).toBe('when.topics[0]');
    expect(refused(() => newRuleDefinition({ when: { sourceTypes: ['myspace'] }, to, delivery: 'instant' })).field).toBe('when.sourceTypes[0]');
    expect(refused(() => newRuleDefinition({ when: { kinds: [] }, to, delivery: 'instant' })).field).toBe('when.kinds');
    expect(refused(() => newRuleDefinition({ when: { keywords: ['ok', '  '] }, to, delivery: 'instant' })).field).toBe('when.keywords[1]');
    expect(refused(() => newRuleDefinition({ name: '  ', to, delivery: 'instant' })).field).toBe('name');
  });

  test('a change keeps what it leaves out; `when` replaces every condition', () => {
    const current = newRuleDefinition({ name: 'Bad', when: { ratingMax: 2, kinds: ['review'] }, to: { email: 'm@shop.test' }, delivery: 'instant' });
    expect(changedRuleDefinition(current, { urgent: true })).toEqual({ ...current, urgent: true });
    expect(changedRuleDefinition(current, { when: { keywords: ['soup'] } }).conditions).toEqual({ flaggedOnly: true, keywords: ['soup'] });
    expect(refused(() => changedRuleDefinition(current, { to: { channelId: 'x' } })).field).toBe('to.channelId');
  });
});
