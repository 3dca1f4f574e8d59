import type { AlertRuleDefinition } from '../../../db/alert-rule-shape.ts';
import type { Db } from '../../../db/database.ts';
import { findAlertChannel } from '../../../db/repositories/alert-channels.ts';
import {
  deleteAlertRule,
  findAlertRule,
  insertAlertRule,
  listAlertRules,
  updateAlertRule,
  type AlertRuleRecord,
} from '../../../db/repositories/alert-rules.ts';
import { findBusiness } from '../../../db/repositories/businesses.ts';
import type { TenantScope } from '../../../db/repositories/tenant-scope.ts';
import { findUser } from '../../../db/repositories/users.ts';
import { changedRuleDefinition, InvalidAlertRule, newRuleDefinition, type AlertRuleChange, type AlertRuleInput } from './rule-input.ts';

/**
 * Adding, listing, changing and deleting a business's alert rules: the same for the API
 * and the web app. A change applies to items judged after it; deliveries already
 * written stay as they are. Each returns undefined for a business or rule outside the scope.
 */

export async function listRules(db: Db, scope: TenantScope, businessId: string): Promise<AlertRuleRecord[] | undefined> {
  if ((await findBusiness(db, scope, businessId)) === undefined) return undefined;
  return listAlertRules(db, scope, businessId);
}

/** Throws InvalidAlertRule naming the field. */
export async function addRule(db: Db, scope: TenantScope, businessId: string, input: AlertRuleInput): Promise<AlertRuleRecord | undefined> {
  const business = await findBusiness(db, scope, businessId);
  if (business === undefined) return undefined;
  const rule = newRuleDefinition(input);
  await checkTargetReachable(db, business, rule);
  return insertAlertRule(db, { accountId: business.accountId, businessId: business.id }, rule);
}

/** Throws InvalidAlertRule naming the field. */
export async function changeRule(db: Db, scope: TenantScope, ruleId: string, change: AlertRuleChange): Promise<AlertRuleRecord | undefined> {
  const current = await findAlertRule(db, scope, ruleId);
  if (current === undefined) return undefined;
  const rule = changedRuleDefinition(current, change);
  if (change.to !== undefined) await checkTargetReachable(db, { id: current.businessId, accountId: current.accountId }, rule);
  return updateAlertRule(db, scope, ruleId, rule);
}

/** true when the rule was within the scope and is gone. */
export async function removeRule(db: Db, scope: TenantScope, ruleId: string): Promise<boolean> {
  return deleteAlertRule(db, scope, ruleId);
}

/**
 * A person the rule names must be of the account and allowed to see the business (an
 * alert shows the item); a channel must be the account's. Refused alike whether it is
 * another account's or does not exist, so ids of other tenants stay unknowable.
 */
async function checkTargetReachable(db: Db, business: { id: string; accountId: string }, rule: AlertRuleDefinition): Promise<void> {
  const { target } = rule;
  if ('userId' in target) {
    const person = await findUser(db, business.accountId, target.userId);
    if (person === undefined) throw new InvalidAlertRule('to.userId', 'is not a person of this account');
    if (person.businessIds !== null && !person.businessIds.includes(business.id)) throw new InvalidAlertRule('to.userId', 'names a person who cannot see this business');
  }
  if ('channelId' in target && (await findAlertChannel(db, business.accountId, target.channelId)) === undefined) {
    throw new InvalidAlertRule('to.channelId', 'is not a channel of this account');
  }
}
