import { describe, expect, test } from 'vitest';
import { MAX_LENGTH, MAX_LIST_ENTRIES, optionalString, requiredString, stringList, urlWithDefault } from '../../connectors/config-fields.ts';
import { ConnectorError } from '../../connectors/contract.ts';

function refusal(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    if (error instanceof ConnectorError) return error.message;
    throw error;
  }
  throw new Error('accepted');
}

describe('config field lengths', () => {
  test('a text setting longer than the limit is refused naming the field; at the limit it is kept', () => {
    expect(requiredString('config', { placeId: 'x'.repeat(MAX_LENGTH.text) }, 'placeId')).toHaveLength(MAX_LENGTH.text);
    expect(refusal(() => requiredString('config', { placeId: 'x'.repeat(900_000) }, 'placeId'))).toBe(
      `config.placeId must be at most ${MAX_LENGTH.text} characters`,
    );
  });

  test('credentials have room for a service-account key but not for anything', () => {
    expect(optionalString('credentials', { key: 'k'.repeat(4000) }, 'key')).toHaveLength(4000);
    expect(refusal(() => optionalString('credentials', { key: 'k'.repeat(MAX_LENGTH.credential + 1) }, 'key'))).toMatch(/^credentials\.key must be at most/);
  });

  test('URLs may be up to 2048 characters', () => {
    const long = `https://example.com/${'p'.repeat(MAX_LENGTH.url - 20)}`;
    expect(urlWithDefault('config', { baseUrl: long }, 'baseUrl', 'https://example.com')).toBe(long);
    expect(refusal(() => urlWithDefault('config', { baseUrl: `${long}pp` }, 'baseUrl', 'https://example.com'))).toBe(
      `config.baseUrl must be at most ${MAX_LENGTH.url} characters`,
    );
  });

  test('lists are bounded in entries and in the length of each', () => {
    expect(refusal(() => stringList('config', { terms: ['ok', 't'.repeat(MAX_LENGTH.text + 1)] }, 'terms', { required: true }))).toBe(
      `config.terms[1] must be at most ${MAX_LENGTH.text} characters`,
    );
    const many = Array.from({ length: MAX_LIST_ENTRIES + 1 }, (_, index) => `term ${index}`);
    expect(refusal(() => stringList('config', { terms: many }, 'terms', { required: true }))).toBe(
      `config.terms must have at most ${MAX_LIST_ENTRIES} entries`,
    );
  });
});
