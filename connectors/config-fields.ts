import { ConnectorError, type FieldSpec } from './contract.ts';

/**
 * Reading a source's settings the same way for every connector. Each complaint
 * starts with the field's path (`config.placeId is required`), which the API
 * turns into the name of the request field at fault.
 */

type Part = 'config' | 'credentials';

function invalid(part: Part, name: string, problem: string): ConnectorError {
  return new ConnectorError('config', `${part}.${name} ${problem}`);
}

/** Typos in a field name would otherwise be ignored silently and the default used instead. */
export function rejectUnknownFields(part: Part, values: Record<string, unknown>, schema: Record<string, FieldSpec>): void {
  for (const name of Object.keys(values)) {
    if (!(name in schema)) throw invalid(part, name, `is not a known setting; known: ${Object.keys(schema).join(', ')}`);
  }
}

export function optionalString(part: Part, values: Record<string, unknown>, name: string): string | undefined {
  const value = values[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(part, name, 'must be a string');
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

export function requiredString(part: Part, values: Record<string, unknown>, name: string): string {
  const value = optionalString(part, values, name);
  if (value === undefined) throw invalid(part, name, 'is required');
  return value;
}

/** An http(s) URL without a trailing slash, so paths can be appended to it. */
export function urlWithDefault(part: Part, values: Record<string, unknown>, name: string, fallback: string): string {
  const value = optionalString(part, values, name) ?? fallback;
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
  const entries = [...new Set(value.map((entry: string) => entry.trim()).filter((entry) => entry !== ''))];
  if (options.required && entries.length === 0) throw invalid(part, name, 'must have at least one entry');
  return entries;
}
