import { sql, type RawBuilder } from 'kysely';

/**
 * What claiming an outbox row (an alert delivery, a reply) writes: a fresh token only the
 * holder knows, when it was taken, and one more attempt. Marking it done later requires
 * the token, so a worker whose lease ran out cannot finish what another took over.
 */
export function claimColumns() {
  return {
    status: 'sending' as const,
    claim_token: sql<string>`gen_random_uuid()`,
    claimed_at: sql<Date>`now()`,
    attempts: sql<number>`attempts + 1`,
    updated_at: sql<Date>`now()`,
  };
}

/** The instant `seconds` ago, on PostgreSQL's clock (the one every claim was dated by). */
export function secondsAgo(seconds: number): RawBuilder<Date> {
  return sql<Date>`now() - make_interval(secs => ${seconds})`;
}
