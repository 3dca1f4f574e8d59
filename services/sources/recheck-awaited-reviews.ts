import type { Logger } from 'pino';
import { ConnectorError, type Connector, type ConnectorContext } from '../../connectors/contract.ts';
import type { Db } from '../../db/database.ts';
import { markRechecked, reviewsAwaitingRecheck } from '../../db/repositories/re-reviews.ts';
import { ingestPage, type IngestResult, type IngestSource } from '../ingest/ingest-page.ts';

/** Lookups per poll: a small share of any platform's request budget. */
export const RECHECKS_PER_POLL = 20;
/** A pending request's item is looked up at most this often. */
export const RECHECK_EVERY_MS = 3_600_000;

export interface RecheckOutcome {
  asked: number;
  ingested: IngestResult | null;
}

/**
 * Looks up, by id, the items of this source whose customers were asked to re-review,
 * for platforms whose listings show only recent items: an edit of an older review
 * closes its request as revised, a removal as removed, exactly as if a page had shown
 * it. A lookup the platform refuses or fails is logged and left for the next poll: it
 * does not fail the poll, whose own pages are already stored.
 */
export async function recheckAwaitedReviews<C, K>(
  db: Db,
  source: IngestSource,
  connector: Connector<C, K>,
  parsed: { config: C; credentials: K },
  ctx: ConnectorContext,
  log: Logger,
): Promise<RecheckOutcome> {
  if (connector.recheck === undefined) return { asked: 0, ingested: null };
  const awaited = await reviewsAwaitingRecheck(db, source.id, new Date(ctx.now().getTime() - RECHECK_EVERY_MS), RECHECKS_PER_POLL);
  if (awaited.length === 0) return { asked: 0, ingested: null };
  const asked = awaited.map((review) => review.externalId);
  try {
    const answer = await connector.recheck(parsed.config, parsed.credentials, asked, ctx);
    // Only what was asked about: a connector's answer cannot touch other items.
    const wanted = new Set(asked);
    const ingested = await ingestPage(
      db,
      source,
      { items: answer.items.filter((item) => wanted.has(item.externalId)), removed: answer.removed.filter((id) => wanted.has(id)), cursor: null },
      { saveCursor: false },
    );
    await markRechecked(db, awaited.map((review) => review.requestId));
    return { asked: asked.length, ingested };
  } catch (error) {
    if (!(error instanceof ConnectorError)) throw error;
    log.warn({ err: error.message, kind: error.kind, items: asked.length }, 'looking up reviews awaiting a re-review failed; next poll tries again');
    return { asked: asked.length, ingested: null };
  }
}
