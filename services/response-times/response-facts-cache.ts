import type { Kysely } from 'kysely';
import {
  businessClocks,
  changedFactChunks,
  currentSnapshot,
  factsOfBusinesses,
  factsOfChunks,
  type BusinessClockRow,
  type FactChunkKey,
} from '../../db/repositories/response-facts.ts';
import type { TenantScope } from '../../db/repositories/tenant-scope.ts';
import type { Database } from '../../db/schema.ts';
import { packFactChunks, type FactChunk } from './fact-chunk.ts';
import { OpeningClocks } from './opening-clock.ts';
import type { ReportFacts } from './response-time-report.ts';

/** How long the change log keeps rows (pruned by the scheduler). */
export const FACT_CHANGES_KEPT_MS = 24 * 3_600_000;
/** A business read longer ago than this is read again whole, well inside what the log keeps. */
const REREAD_AFTER_MS = FACT_CHANGES_KEPT_MS / 2;

interface BusinessFacts {
  /** The snapshot these chunks were read under. */
  snapshot: string;
  readAt: number;
  chunks: Map<string, FactChunk>;
}

export interface ScopedFacts extends ReportFacts {
  businesses: BusinessClockRow[];
  chunks: FactChunk[];
}

/**
 * Item facts for response-time figures, held in memory and brought up to date from
 * PostgreSQL on every read: the reader asks the change log which (business, month)
 * chunks were written by transactions its last snapshot could not see, and re-reads
 * only those, so every answer reflects everything committed before the request.
 * One per process; created by whoever builds the API and passed in.
 */
export interface ResponseFactsCache {
  read(db: Kysely<Database>, scope: TenantScope, businessIds: readonly string[]): Promise<ScopedFacts>;
}

export function createResponseFactsCache(clock: () => number = Date.now): ResponseFactsCache {
  const byBusiness = new Map<string, BusinessFacts>();
  const clocks = new OpeningClocks();
  // Reads run one at a time, so two never interleave their updates of the same chunks.
  let queue: Promise<unknown> = Promise.resolve();

  async function refresh(db: Kysely<Database>, businesses: readonly BusinessClockRow[]): Promise<void> {
    await db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        const snapshot = await currentSnapshot(trx);
        const whole: string[] = [];
        const bySnapshot = new Map<string, string[]>();
        for (const { id } of businesses) {
          const known = byBusiness.get(id);
          if (known === undefined || clock() - known.readAt > REREAD_AFTER_MS) whole.push(id);
          else {
            const ids = bySnapshot.get(known.snapshot);
            if (ids === undefined) bySnapshot.set(known.snapshot, [id]);
            else ids.push(id);
          }
        }
        const changed: FactChunkKey[] = [];
        for (const [since, ids] of bySnapshot) changed.push(...(await changedFactChunks(trx, ids, since)));

        const readAt = clock();
        for (const [id, chunks] of groupByBusiness(packFactChunks(await factsOfBusinesses(trx, whole)), whole)) {
          byBusiness.set(id, { snapshot, readAt, chunks });
        }
        const fresh = packFactChunks(await factsOfChunks(trx, changed));
        for (const { businessId, month } of changed) {
          const chunks = byBusiness.get(businessId)!.chunks;
          const chunk = fresh.get(`${businessId}/${month}`);
          if (chunk === undefined) chunks.delete(`${businessId}/${month}`);
          else chunks.set(`${businessId}/${month}`, chunk);
        }
        for (const ids of bySnapshot.values()) {
          for (const id of ids) byBusiness.get(id)!.snapshot = snapshot;
        }
      });
  }

  return {
    read(db, scope, businessIds) {
      const result = queue.then(async (): Promise<ScopedFacts> => {
        const businesses = await businessClocks(db, scope, businessIds);
        await refresh(db, businesses);
        const chunks: FactChunk[] = [];
        for (const { id } of businesses) chunks.push(...byBusiness.get(id)!.chunks.values());
        return { businesses, chunks, clocks };
      });
      queue = result.catch(() => undefined);
      return result;
    },
  };
}

function groupByBusiness(chunks: Map<string, FactChunk>, businessIds: readonly string[]): Map<string, Map<string, FactChunk>> {
  const grouped = new Map<string, Map<string, FactChunk>>(businessIds.map((id) => [id, new Map()]));
  for (const [key, chunk] of chunks) grouped.get(chunk.businessId)!.set(key, chunk);
  return grouped;
}
