import type { FastifyError, FastifySchemaValidationError } from 'fastify';
import { API_DATE_DESCRIPTION } from './api-date.ts';

/** Which part of the request failed validation, as Fastify names it. */
export type RequestPart = NonNullable<FastifyError['validationContext']>;

/** Request parts as clients name them: `query`, not Fastify's `querystring`. */
const PART_NAMES: Record<RequestPart, string> = {
  body: 'body',
  querystring: 'query',
  params: 'params',
  headers: 'headers',
};

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Field names come from the client; a 5,000-character key is named by its start only. */
const MAX_ECHOED_NAME = 100;

function clipped(text: string): string {
  return text.length > MAX_ECHOED_NAME ? `${text.slice(0, MAX_ECHOED_NAME)}…` : text;
}

export function appendSegment(path: string, name: string): string {
  const segment = clipped(name);
  if (/^\d+$/.test(segment)) return `${path}[${segment}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(segment)) return `${path}.${segment}`;
  return `${path}[${JSON.stringify(segment)}]`;
}

/** What each format asks for, in the words of the API docs. */
const FORMATS: Record<string, string> = {
  uuid: 'a UUID (8-4-4-4-12 hexadecimal digits)',
  'api-date': API_DATE_DESCRIPTION,
  'date-time': 'an RFC 3339 date-time, e.g. 2026-03-01T09:30:00Z',
  date: 'a date, e.g. 2026-03-01',
  email: 'an email address',
};

/** The property an error is about, when Ajv reports it on the parent object. */
function childProperty(error: FastifySchemaValidationError): string | undefined {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required' && typeof params.missingProperty === 'string') return params.missingProperty;
  if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') return params.additionalProperty;
  return undefined;
}

function describe(error: FastifySchemaValidationError): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') return 'is required';
  if (error.keyword === 'additionalProperties') return 'is not a known field';
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return `must be one of: ${params.allowedValues.map(String).join(', ')}`;
  }
  if (error.keyword === 'format' && typeof params.format === 'string' && params.format in FORMATS) {
    return `must be ${FORMATS[params.format]}`;
  }
  return error.message ?? 'is invalid';
}

/**
 * Names the field of the first schema violation the way a client would write it
 * (`body.alertEmails[0]`, `query.limit`), with a sentence about what is wrong.
 */
export function validationProblem(
  context: RequestPart,
  errors: readonly FastifySchemaValidationError[],
): { field: string; message: string } {
  let field = PART_NAMES[context];
  const first = errors[0];
  if (first === undefined) return { field, message: `${field} is invalid` };
  for (const segment of first.instancePath.split('/').slice(1)) field = appendSegment(field, unescapePointer(segment));
  const child = childProperty(first);
  if (child !== undefined) field = appendSegment(field, child);
  return { field, message: `${field} ${describe(first)}` };
}
