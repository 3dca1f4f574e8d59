import { createBusiness } from '../../db/repositories/businesses.ts';
import { createSource } from '../../services/sources/store-source.ts';
import type { ApiHarness, TestItem } from './api.ts';

/** A named business of the tenant with one source of a real platform, so pages name it as people would see it. */
export async function addShop(
  h: Pick<ApiHarness, 'db' | 'credentialsKey' | 'tenant'>,
  options: { name: string; timezone?: string; type?: string },
): Promise<TestItem> {
  const business = await createBusiness(h.db, h.tenant.accountId, { name: options.name, timezone: options.timezone ?? 'UTC', alertEmails: ['owner@example.com'] });
  return addShopSource(h, business.id, options.type ?? 'trustpilot');
}

/** Another source for a business of the tenant. */
export async function addShopSource(h: Pick<ApiHarness, 'db' | 'credentialsKey' | 'tenant'>, businessId: string, type: string): Promise<TestItem> {
  const source = await createSource(h.db, h.credentialsKey, {
    accountId: h.tenant.accountId,
    businessId,
    type,
    config: {},
    credentials: {},
    pollEveryMinutes: 15,
    scheduled: false,
  });
  return { accountId: h.tenant.accountId, businessId, sourceId: source.id };
}
