/** Building blocks shared by the entity schemas; plain objects, so they inline wherever used. */

import { API_DATE_DESCRIPTION, parseApiDate } from '../api-date.ts';
import { invalidInput } from '../errors.ts';

export const uuid = { type: 'string', format: 'uuid' } as const;
export const dateTime = { type: 'string', format: 'date-time' } as const;
export const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;
export const nullableString = { type: ['string', 'null'] } as const;
/** A count of rows, described. */
export const count = (description: string) => ({ type: 'integer', minimum: 0, description }) as const;

/**
 * Every date a client sends, in a query or a body: one rule (services/api/api-date.ts),
 * checked by the `api-date` format so impossible dates are a 400 naming the field.
 */
export const apiDate = { type: 'string', format: 'api-date', maxLength: 40, description: `A date: ${API_DATE_DESCRIPTION}` } as const;

/** The instant of a field that passed `apiDate`. */
export function apiDateValue(field: string, text: string): Date {
  const date = parseApiDate(text);
  if (date === undefined) throw invalidInput(field, `${field} must be ${API_DATE_DESCRIPTION}`);
  return date;
}

/** Two optional `apiDate` query fields bounding a range: their instants, the second after the first. */
export function queryDateRange<From extends string, To extends string>(
  query: { [K in From | To]?: string },
  fromName: From,
  toName: To,
): { from: Date | undefined; to: Date | undefined } {
  const fromText = query[fromName];
  const toText = query[toName];
  const from = fromText === undefined ? undefined : apiDateValue(`query.${fromName}`, fromText);
  const to = toText === undefined ? undefined : apiDateValue(`query.${toName}`, toText);
  if (from !== undefined && to !== undefined && from >= to) throw invalidInput(`query.${toName}`, `query.${toName} must be after query.${fromName}`);
  return { from, to };
}

/**
 * Path ids are accepted as any string and checked in the handler: a malformed id
 * answers 404 like an unknown one, so probing ids learns nothing.
 */
export const idParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', description: 'A UUID' } },
} as const;

export interface IdParams {
  id: string;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

export function toIso(date: Date): string;
export function toIso(date: Date | null): string | null;
export function toIso(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}

/** What Fastify's serialiser sets for JSON answers; one sent as ready-made text sets it itself. */
export const JSON_TYPE = 'application/json; charset=utf-8';

/** For routes without query parameters: a stray `?limit=` is reported, not silently ignored. */
export const noQuery = { type: 'object', additionalProperties: false, properties: {} } as const;
