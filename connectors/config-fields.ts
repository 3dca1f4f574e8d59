import { ConnectorError, type FieldSpec } from './contract.ts';

/**
 * Reading a source's settings the same way for every connector. Each complaint
 * starts with the field's path (`config.placeId is required`), which the API
 * turns into the name of the request field at fault.
 */

type Part = 'config' | 'credentials';

/**
 * Longest accepted values. Every platform id, handle and search term is far shorter;
 * a 900 KB place id is a mistake (or an attack) that would be stored and sent on every poll.
 * Credentials get more room: a Google service-account JSON key is a few kilobytes.
 */
export const MAX_LENGTH = { text: 300, url: 2048, credential: 10_000 } as const;
/** Terms, hashtags, countries: a list longer than this is not a watch list any platform would answer. */
export const MAX_LIST_ENTRIES = 100;

function defaultMaxLength(part: Part): number {
  return part === 'credentials' ? MAX_LENGTH.credential : MAX_LENGTH.text;
}

function invalid(part: Part, name: string, problem: string): ConnectorError {
  return new ConnectorError('config', `${part}.${name} ${problem}`);
}

/** Typos in a field name would otherwise be ignored silently and the default used instead. */
export function rejectUnknownFields(part: Part, values: Record<string, unknown>, schema: Record<string, FieldSpec>): void {
  for (const name of Object.keys(values)) {
    if (!(name in schema)) throw invalid(part, name, `is not a known setting; known: ${Object.keys(schema).join(', ')}`);
  }
}

export function optionalString(
  part: Part,
  values: Record<string, unknown>,
  name: string,
  maxLength: number = defaultMaxLength(part),
): string | undefined {
  const value = values[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(part, name, 'must be a string');
  const trimmed = value.trim();
  if (trimmed.length > maxLength) throw invalid(part, name, `must be at most ${maxLength} characters`);
  return trimmed === '' ? undefined : trimmed;
}

export function requiredString(
  part: Part,
  values: Record<string, unknown>,
  name: string,
  maxLength: number = defaultMaxLength(part),
): string {
  const value = optionalString(part, values, name, maxLength);
  if (value === undefined) throw invalid(part, name, 'is required');
  return value;
}

/** An http(s) URL without a trailing slash, so paths can be appended to it. */
export function urlWithDefault(part: Part, values: Record<string, unknown>, name: string, fallback: string): string {
  const value = optionalString(part, values, name, MAX_LENGTH.url) ?? fallback;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw invalid(part, name, 'is not a valid URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw invalid(part, name, 'must be an http or https URL');
  if (parsed.search !== '' || parsed.hash !== '') throw invalid(part, name, 'must not have a query or fragment');
  return parsed.toString().replace(/\/+$/, '');
}

export function stringList(part: Part, values: Record<string, unknown>, name: string, options: { required: boolean }): string[] {
  const value = values[name];
  if (value === undefined || value === null) {
    if (options.required) throw invalid(part, name, 'is required');
    return [];
  }
  if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string')) {
    throw invalid(part, name, 'must be a list of strings');
  }
  if (value.length > MAX_LIST_ENTRIES) throw invalid(part, name, `must have at most ${MAX_LIST_ENTRIES} entries`);
  const entries = [...new Set(value.map((entry: string) => entry.trim()).filter((entry) => entry !== ''))];
  const tooLong = entries.findIndex((entry) => entry.length > MAX_LENGTH.text);
  if (tooLong !== -1) throw invalid(part, `${name}[${tooLong}]`, `must be at most ${MAX_LENGTH.text} characters`);
  if (options.required && entries.length === 0) throw invalid(part, name, 'must have at least one entry');
  return entries;
}
