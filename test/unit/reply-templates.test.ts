import { describe, expect, test } from 'vitest';
import { checkTemplateInput, defaultTemplateFor, fillTemplate, firstName, InvalidReplyTemplate } from '../../services/replies/templates.ts';

const input = (overrides: Partial<Parameters<typeof checkTemplateInput>[0]> = {}) => ({ name: 'Sorry', body: 'Dear {first_name}', defaultMinRating: null, defaultMaxRating: null, ...overrides });

function refusal(run: () => unknown): { field: string; problem: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidReplyTemplate) return { field: error.field, problem: error.problem };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('reply templates', () => {
  test('fills {author}, {business} and {first_name}, leaving other braces as written', () => {
    expect(fillTemplate('Dear {first_name}, thank you {author} for visiting {business}. {not_ours}', { author: 'Maria  Garcia', business: 'Alice Bistro' })).toBe(
      'Dear Maria, thank you Maria  Garcia for visiting Alice Bistro. {not_ours}',
    );
  });

  test('an anonymous author reads as "there"', () => {
    expect(fillTemplate('Hi {first_name}!', { author: null, business: 'B' })).toBe('Hi there!');
    expect(fillTemplate('Hi {author}!', { author: '  ', business: 'B' })).toBe('Hi there!');
    expect(firstName('@maria.bsky.social')).toBe('@maria.bsky.social');
  });

  test('the default for a rating is the narrowest star range holding it, then by name', () => {
    const templates = [
      { name: 'Thanks', defaultMinRating: 1, defaultMaxRating: 5 },
      { name: 'B sorry', defaultMinRating: 1, defaultMaxRating: 2 },
      { name: 'A sorry', defaultMinRating: 1, defaultMaxRating: 2 },
      { name: 'Plain', defaultMinRating: null, defaultMaxRating: null },
    ];
    expect(defaultTemplateFor(templates, 1)?.name).toBe('A sorry');
    expect(defaultTemplateFor(templates, 4)?.name).toBe('Thanks');
    expect(defaultTemplateFor(templates, null)).toBeUndefined();
    expect(defaultTemplateFor(templates.slice(3), 3)).toBeUndefined();
  });

  test('the rules trim what is kept and refuse by field', () => {
    expect(checkTemplateInput(input({ name: '  Sorry ', body: ' Hi {author} ', defaultMinRating: 1, defaultMaxRating: 2 }))).toEqual({
      name: 'Sorry',
      body: 'Hi {author}',
      defaultMinRating: 1,
      defaultMaxRating: 2,
    });
    expect(refusal(() => checkTemplateInput(input({ name: ' ' })))).toEqual({ field: 'name', problem: 'must not be blank' });
    expect(refusal(() => checkTemplateInput(input({ body: '' })))).toMatchObject({ field: 'body' });
    expect(refusal(() => checkTemplateInput(input({ body: 'Dear {firstname}' })))).toEqual({
      field: 'body',
      problem: 'uses {firstname}, which is not a placeholder: use {author}, {business}, {first_name}',
    });
    expect(refusal(() => checkTemplateInput(input({ defaultMinRating: 6, defaultMaxRating: 6 })))).toMatchObject({ field: 'defaultMinRating' });
    expect(refusal(() => checkTemplateInput(input({ defaultMinRating: Number.NaN, defaultMaxRating: 2 })))).toMatchObject({ field: 'defaultMinRating' });
    expect(refusal(() => checkTemplateInput(input({ defaultMinRating: 2 })))).toMatchObject({ field: 'defaultMaxRating' });
    expect(refusal(() => checkTemplateInput(input({ defaultMinRating: 4, defaultMaxRating: 2 })))).toEqual({ field: 'defaultMaxRating', problem: 'must be at least the lowest rating (4)' });
  });
});
