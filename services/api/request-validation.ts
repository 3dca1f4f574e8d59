import { AjvCompiler } from '@fastify/ajv-compiler';
import type { FastifyServerOptions } from 'fastify';
import { parseApiDate } from './api-date.ts';

/** The part of Ajv the formats need. */
type Ajv = { addFormat(name: string, format: RegExp | ((text: string) => boolean)): unknown };

/** Only the plain 8-4-4-4-12 form: `urn:uuid:…` passes Ajv's own format, then fails in PostgreSQL. */
const PLAIN_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Formats as this API means them. Installed after ajv-formats (onCreate runs last),
 * so they replace its looser `uuid` and its `date-time`, which lets a leap second through.
 */
function installApiFormats(ajv: Ajv): void {
  ajv.addFormat('uuid', PLAIN_UUID);
  ajv.addFormat('api-date', (text: string) => parseApiDate(text) !== undefined);
  ajv.addFormat('date-time', (text: string) => /[Tt]/.test(text) && parseApiDate(text) !== undefined);
  ajv.addFormat('date', (text: string) => /^\d{4}-\d{2}-\d{2}$/.test(text) && parseApiDate(text) !== undefined);
}

export const ajvOptions: NonNullable<FastifyServerOptions['ajv']> = {
  // Unknown fields are an error the client should hear about, not silently dropped.
  customOptions: { removeAdditional: false },
  onCreate: installApiFormats,
};

/** What the pooled compiler really takes (its typings say a bare schema): the route's definition of one part. */
type CompileRoutePart = (route: { schema: unknown; httpPart?: string; method: string; url: string }) => unknown;
type ValidatorFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator'];

type Validate = ((data: unknown) => boolean) & { errors?: unknown };

/**
 * Ajv checks a value it has just coerced only for its type: `?limit=1e309` becomes
 * Infinity and passes `maximum`, then fails in PostgreSQL. A second pass over the
 * coerced values applies every keyword (and changes nothing when the first had nothing to coerce).
 */
function checkedAfterCoercion(validate: Validate): Validate {
  const checked: Validate = (data) => {
    const valid = validate(data) && validate(data);
    checked.errors = validate.errors;
    return valid;
  };
  return checked;
}

/**
 * Query strings and path params arrive as text, so they keep Fastify's coercion
 * (`?limit=20` is a number, a single `?businessId=` a list). A JSON body already has
 * types: `{"name":123}` or `{"paused":null}` is refused rather than turned into "123" or false.
 */
export function partAwareValidators(): ValidatorFactory {
  const fromPool = AjvCompiler();
  const build = (externalSchemas: Parameters<typeof fromPool>[0], options: Parameters<typeof fromPool>[1]) => {
    const lenient = fromPool(externalSchemas, options) as unknown as CompileRoutePart;
    const strict = fromPool(externalSchemas, {
      ...options,
      customOptions: { ...options?.customOptions, coerceTypes: false },
    } as Parameters<typeof fromPool>[1]) as unknown as CompileRoutePart;
    return (route: Parameters<CompileRoutePart>[0]) => (route.httpPart === 'body' ? strict(route) : checkedAfterCoercion(lenient(route) as Validate));
  };
  return build as unknown as ValidatorFactory;
}
