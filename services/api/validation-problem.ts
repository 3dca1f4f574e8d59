import type { FastifyError, FastifySchemaValidationError } from 'fastify';

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

function appendSegment(path: string, segment: string): string {
  if (/^\d+$/.test(segment)) return `${path}[${segment}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(segment)) return `${path}.${segment}`;
  return `${path}[${JSON.stringify(segment)}]`;
}

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
