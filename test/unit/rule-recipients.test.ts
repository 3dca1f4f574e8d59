import { describe, expect, test } from 'vitest';
import type { AlertRuleTarget } from '../../db/alert-rule-shape.ts';
import type { RuleWithRecipient } from '../../db/repositories/alert-rules.ts';
import { recipientsFor, type RoutedItem } from '../../services/alerts/rules/rule-recipients.ts';

const BUSINESS = '00000000-0000-4000-8000-00000000000b';
const CHANNEL = '00000000-0000-4000-8000-0000000000c1';

const item = (overrides: Partial<RoutedItem> = {}): RoutedItem => ({
  businessId: BUSINESS,
  alertEmails: ['Owner@Diner.test', 'ops@diner.test'],
  kind: 'review',
  rating: 2,
  sentimentLabel: 'negative',
  topics: [],
  sourceType: 'google_places',
  title: null,
  body: 'Cold soup.',
  flagged: true,
  ...overrides,
});

let ruleCount = 0;
function rule(target: AlertRuleTarget, options: { urgent?: boolean; ratingMax?: number; person?: RuleWithRecipient['person']; businessId?: string } = {}): RuleWithRecipient {
  ruleCount++;
  return {
    id: `rule-${ruleCount}`,
    accountId: 'account',
    businessId: options.businessId ?? BUSINESS,
    name: `rule ${ruleCount}`,
    conditions: { flaggedOnly: true, ...(options.ratingMax === undefined ? {} : { ratingMax: options.ratingMax }) },
    target,
    delivery: 'instant',
    urgent: options.urgent ?? false,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    person: options.person ?? null,
    channelExists: 'channelId' in target,
  };
}

describe('urgency per recipient', () => {
  test('a recipient named only by ordinary rules is not urgent; one named by an urgent rule is', () => {
    const recipients = recipientsFor(item(), [rule({ alertAddresses: true }), rule({ email: 'Night@Diner.test' }, { urgent: true }), rule({ channelId: CHANNEL })]);
    expect(recipients).toEqual([
      { email: 'owner@diner.test', urgent: false },
      { email: 'ops@diner.test', urgent: false },
      { email: 'night@diner.test', urgent: true },
      { channelId: CHANNEL, urgent: false },
    ]);
  });

  test('the same recipient named by an urgent and an ordinary rule is told once, urgently, whichever rule comes first', () => {
    const ordinaryFirst = [rule({ alertAddresses: true }), rule({ email: 'OWNER@diner.test' }, { urgent: true }), rule({ channelId: CHANNEL }), rule({ channelId: CHANNEL }, { urgent: true })];
    const urgentFirst = [rule({ email: 'owner@diner.test' }, { urgent: true }), rule({ alertAddresses: true }), rule({ channelId: CHANNEL }, { urgent: true }), rule({ channelId: CHANNEL })];
    for (const rules of [ordinaryFirst, urgentFirst]) {
      expect(recipientsFor(item(), rules)).toEqual(
        expect.arrayContaining([
          { email: 'owner@diner.test', urgent: true },
          { email: 'ops@diner.test', urgent: false },
          { channelId: CHANNEL, urgent: true },
        ]),
      );
      expect(recipientsFor(item(), rules)).toHaveLength(3);
    }
  });

  test('a person named by a {userId} rule marked urgent, who is also an alert address, is one urgent recipient', () => {
    const person = { email: 'Ops@Diner.test', businessIds: null };
    expect(recipientsFor(item(), [rule({ alertAddresses: true }), rule({ userId: 'u1' }, { urgent: true, person })])).toEqual([
      { email: 'owner@diner.test', urgent: false },
      { email: 'ops@diner.test', urgent: true },
    ]);
  });

  test('an urgent rule the item does not match, or of another business, or to a person who cannot see the business, makes no one urgent', () => {
    const rules = [
      rule({ alertAddresses: true }),
      rule({ email: 'owner@diner.test' }, { urgent: true, ratingMax: 1 }),
      rule({ email: 'ops@diner.test' }, { urgent: true, businessId: '00000000-0000-4000-8000-0000000000ff' }),
      rule({ userId: 'u2' }, { urgent: true, person: { email: 'owner@diner.test', businessIds: ['00000000-0000-4000-8000-0000000000ff'] } }),
    ];
    expect(recipientsFor(item(), rules)).toEqual([
      { email: 'owner@diner.test', urgent: false },
      { email: 'ops@diner.test', urgent: false },
    ]);
    // The 1★ item matches the urgent rule too.
    expect(recipientsFor(item({ rating: 1 }), rules)[0]).toEqual({ email: 'owner@diner.test', urgent: true });
  });
});
