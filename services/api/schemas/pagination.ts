import type { ItemPosition } from '../../../db/repositories/item-queries.ts';
import { parseApiDate } from '../api-date.ts';
import { invalidInput } from '../errors.ts';
import { isUuid } from './common.ts';

/**
 * Cursors are opaque to clients (base64url) so their contents can change without
 * breaking anyone; inside is the keyset position of the last item returned.
 */
export const cursorQuery = {
  type: 'string',
  maxLength: 200,
  description: '`nextCursor` from the previous page; omit for the first page',
} as const;

export const nextCursor = {
  type: ['string', 'null'],
  description: 'Pass as `cursor` to get the next page; null on the last page',
} as const;

export const limitQuery = { type: 'integer', minimum: 1, maximum: 200, default: 50 } as const;

const ISO_MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

export function encodeCursor(position: ItemPosition): string {
  return Buffer.from(JSON.stringify([position.sortAt, position.id])).toString('base64url');
}

/** The position inside a cursor; anything that is not one of ours is a 400 on `query.cursor`. */
export function decodeCursor(cursor: string): ItemPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (Array.isArray(decoded) && decoded.length === 2) {
    const [sortAt, id] = decoded as unknown[];
    // Date.parse rolls 2026-02-30 over to March; PostgreSQL refuses it. The API's own rule refuses it here.
    if (typeof sortAt === 'string' && ISO_MICROS.test(sortAt) && parseApiDate(sortAt) !== undefined && typeof id === 'string' && isUuid(id)) {
      return { sortAt, id };
    }
  }
  throw invalidInput('query.cursor', 'query.cursor is not a cursor this API returned');
}
