import { createHash } from 'node:crypto';

/** What makes an edit an edit: the stars and the words, not the platform's bookkeeping. */
export function contentHash(item: { rating: number | null; title: string | null; body: string }): string {
  return createHash('sha256')
    .update(JSON.stringify([item.rating, item.title ?? '', item.body]))
    .digest('base64url');
}
