import type { Logger } from 'pino';
import type { Config } from '../../config/config.ts';
import type { Db } from '../../db/database.ts';
import { expireReReviewRequests } from '../../db/repositories/re-reviews.ts';

// The window is counted in days; checking hourly closes a request at most an hour late.
const CHECK_EVERY_MS = 3600_000;

/**
 * Closes re-review requests left unanswered past RE_REVIEW_EXPIRE_DAYS. The
 * returned function is called on every scheduler tick and does the work at
 * most hourly; several schedulers running it at once is harmless, since only
 * pending requests are updated.
 */
export function reReviewExpiry(deps: { db: Db; config: Config; log: Logger }): (now?: Date) => Promise<number> {
  let lastRun = 0;
  return async (now = new Date()) => {
    if (now.getTime() - lastRun < CHECK_EVERY_MS) return 0;
    lastRun = now.getTime();
    const expired = await expireReReviewRequests(deps.db, new Date(now.getTime() - deps.config.reReviewExpireDays * 86_400_000));
    if (expired > 0) deps.log.info({ expired }, 're-review requests expired with no edit of the review');
    return expired;
  };
}
