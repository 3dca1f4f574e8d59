import type { FastifyRequest } from 'fastify';
import { isStorableText } from '../../db/storable-text.ts';
import { invalidInput } from './errors.ts';
import { appendSegment } from './validation-problem.ts';

/**
 * PostgreSQL text cannot hold U+0000, and a lone surrogate (half of an emoji cut in
 * two) is not Unicode at all: both used to reach the database and come back as a 500.
 * Refused here, for every route and every part of the request, naming the field.
 */
function problemWith(text: string): string | undefined {
  if (isStorableText(text)) return undefined;
  if (text.includes('\u0000')) return 'contains U+0000 (NUL), which cannot be stored; remove it';
  return 'contains a lone surrogate (half of a character, e.g. a cut emoji); send valid Unicode';
}

/** The first field in `value` holding such text, with what is wrong with it. */
function findUnstorableText(value: unknown, path: string): { field: string; problem: string } | undefined {
  if (typeof value === 'string') {
    const problem = problemWith(value);
    return problem === undefined ? undefined : { field: path, problem };
  }
  if (Array.isArray(value)) {
    for (const [index, entry] of value.entries()) {
      const found = findUnstorableText(entry, appendSegment(path, String(index)));
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return undefined;
  for (const [key, entry] of Object.entries(value)) {
    const field = appendSegment(path, key);
    const keyProblem = problemWith(key);
    if (keyProblem !== undefined) return { field, problem: `has a name that ${keyProblem}` };
    const found = findUnstorableText(entry, field);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A preValidation hook: runs before the schema, so no route can forget it. */
export async function refuseUnstorableText(request: FastifyRequest): Promise<void> {
  // An unknown route is a 404 whatever was sent to it.
  if (request.is404) return;
  const parts: Array<[string, unknown]> = [['params', request.params], ['query', request.query], ['body', request.body]];
  for (const [part, value] of parts) {
    const found = findUnstorableText(value, part);
    if (found !== undefined) throw invalidInput(found.field, `${found.field} ${found.problem}`);
  }
}
