import { sql } from 'kysely';
import type { OpeningHours } from '../opening-hours-shape.ts';
import type { Db } from '../database.ts';

/** A business's SLA as an item's countdown needs it. */
export interface SlaBusinessTerms {
  slaHours: number;
  timezone: string;
  /** null: no hours set, every hour counts. */
  openingHours: OpeningHours | null;
}

/** A flagged, unanswered item that may be past its SLA, with what deciding that needs. */
export interface EscalationCandidate {
  itemId: string;
  businessId: string;
  publishedAt: Date | null;
  firstSeenAt: Date;
  business: SlaBusinessTerms;
}

/**
 * Flagged items still unanswered and not resolved, not removed from their platform and not escalated yet,
 * published (or, undated, first seen) since `since` and past their business's SLA in calendar
 * time by `now` — opening hours count no more than the calendar, so the caller's opening-hours
 * reckoning only narrows these. Items of `skipSourceTypes` (platforms that take no reply) are
 * left out. In pages by item id: pass the last id read as `after`.
 */
export async function listEscalationCandidates(
  db: Db,
  options: { now: Date; since: Date; skipSourceTypes: readonly string[]; after: string | null; limit: number },
): Promise<EscalationCandidate[]> {
  const clockStart = sql<Date>`coalesce(i.published_at, i.first_seen_at)`;
  const rows = await db
    .selectFrom('items as i')
    .innerJoin('businesses as b', 'b.id', 'i.business_id')
    .innerJoin('sources as s', 's.id', 'i.source_id')
    .select(['i.id', 'i.business_id', 'i.published_at', 'i.first_seen_at', 'b.sla_hours', 'b.timezone', 'b.opening_hours'])
    .where('i.flagged', '=', true)
    .where('i.first_response_at', 'is', null)
    // Resolved without an answer (handled off the platform): closed, nothing to escalate.
    .where('i.status', '<>', 'resolved')
    .where('i.removed_at', 'is', null)
    // First seen no earlier than published: the same bound on first_seen_at lets its index help.
    .where('i.first_seen_at', '>=', options.since)
    .where(clockStart, '>=', options.since)
    .where(clockStart, '<', sql<Date>`${options.now}::timestamptz - b.sla_hours * interval '1 hour'`)
    .where('s.type', '<>', sql<string>`ALL(${[...options.skipSourceTypes]}::text[])`)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('sla_escalations as e').select('e.item_id').whereRef('e.item_id', '=', 'i.id'))))
    .$if(options.after !== null, (query) => query.where('i.id', '>', options.after!))
    .orderBy('i.id')
    .limit(options.limit)
    .execute();
  return rows.map((row) => ({
    itemId: row.id,
    businessId: row.business_id,
    publishedAt: row.published_at,
    firstSeenAt: row.first_seen_at,
    business: { slaHours: row.sla_hours, timezone: row.timezone, openingHours: (row.opening_hours ?? null) as OpeningHours | null },
  }));
}

/**
 * Records the items as escalated at `at` and returns those newly recorded: an item escalated
 * before, or answered or resolved since it was read, is left out, so it is never escalated twice nor
 * after its answer.
 */
export async function insertEscalations(tx: Db, itemIds: string[], at: Date): Promise<string[]> {
  if (itemIds.length === 0) return [];
  const result = await sql<{ item_id: string }>`
    INSERT INTO sla_escalations (item_id, account_id, escalated_at)
    SELECT i.id, i.account_id, ${at}::timestamptz
    FROM items i
    WHERE i.id = ANY(${itemIds}::uuid[]) AND i.first_response_at IS NULL AND i.status <> 'resolved'
    ON CONFLICT DO NOTHING
    RETURNING item_id`.execute(tx);
  return result.rows.map((row) => row.item_id);
}

/** An escalated item's countdown as its message tells it. */
export interface EscalationRecord {
  publishedAt: Date | null;
  firstSeenAt: Date;
  firstResponseAt: Date | null;
  business: SlaBusinessTerms;
}

export async function findEscalation(db: Db, itemId: string): Promise<EscalationRecord | undefined> {
  const row = await db
    .selectFrom('sla_escalations as e')
    .innerJoin('items as i', 'i.id', 'e.item_id')
    .innerJoin('businesses as b', 'b.id', 'i.business_id')
    .select(['i.published_at', 'i.first_seen_at', 'i.first_response_at', 'b.sla_hours', 'b.timezone', 'b.opening_hours'])
    .where('e.item_id', '=', itemId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    publishedAt: row.published_at,
    firstSeenAt: row.first_seen_at,
    firstResponseAt: row.first_response_at,
    business: { slaHours: row.sla_hours, timezone: row.timezone, openingHours: (row.opening_hours ?? null) as OpeningHours | null },
  };
}
