import { findConnector } from '../../connectors/registry.ts';
import type { Db } from '../../db/database.ts';
import { findBusiness } from '../../db/repositories/businesses.ts';
import type { TenantScope } from '../../db/repositories/tenant-scope.ts';
import { labelGroups, type LabelledGroup } from './group-labels.ts';
import type { ResponseFactsCache } from './response-facts-cache.ts';
import type { ResponseTimeQuery, UnrepliableSummary } from './response-time-query.ts';
import { responseTimeReport } from './response-time-report.ts';

/** A report's groups, each named, and the items left out because nobody can answer them. */
export interface ResponseTimeFigures {
  groups: LabelledGroup[];
  unrepliable: UnrepliableSummary;
}

/**
 * Response-time figures for someone with a scope (an API key, a signed-in person): the
 * one path the API's `/v1/metrics/response-times` and the web app's reports both take.
 * Undefined when a business asked for is out of the scope — to the caller it does not exist.
 */
export async function responseTimeFigures(
  db: Db,
  facts: ResponseFactsCache,
  scope: TenantScope,
  query: ResponseTimeQuery,
): Promise<ResponseTimeFigures | undefined> {
  const businessIds = [...new Set(query.businessIds)];
  for (const businessId of businessIds) {
    if ((await findBusiness(db, scope, businessId)) === undefined) return undefined;
  }
  const scoped = await facts.read(db, scope, businessIds);
  const report = responseTimeReport(scoped, { ...query, businessIds });
  const businessNames = new Map(scoped.businesses.map((business) => [business.id, business.name]));
  const groups = labelGroups(report.groups, query.groupBy, {
    business: (id) => businessNames.get(id),
    source: (type) => findConnector(type)?.displayName,
  });
  return { groups, unrepliable: report.unrepliable };
}
