import { sql, type Kysely, type Selectable } from 'kysely';
import type { AlertRuleDefinition } from '../alert-rule-shape.ts';
import type { AlertRulesTable, Database, ItemKind, SentimentLabel } from '../schema.ts';
import { inBusinessScope, type TenantScope } from './tenant-scope.ts';

/** A business's alert rule; the rules for making one live in services/alerts/rules/. */
export interface AlertRuleRecord extends AlertRuleDefinition {
  id: string;
  accountId: string;
  businessId: string;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = ['id', 'account_id', 'business_id', 'name', 'conditions', 'target', 'delivery', 'urgent', 'created_at', 'updated_at'] as const;

function toRecord(row: Pick<Selectable<AlertRulesTable>, (typeof COLUMNS)[number]>): AlertRuleRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    businessId: row.business_id,
    name: row.name,
    conditions: row.conditions,
    target: row.target,
    delivery: row.delivery,
    urgent: row.urgent,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Writes a rule the caller has checked, for a business the caller knows is the account's. */
export async function insertAlertRule(
  db: Kysely<Database>,
  owner: { accountId: string; businessId: string },
  rule: AlertRuleDefinition,
): Promise<AlertRuleRecord> {
  const row = await db
    .insertInto('alert_rules')
    .values({
      account_id: owner.accountId,
      business_id: owner.businessId,
      name: rule.name,
      conditions: JSON.stringify(rule.conditions),
      target: JSON.stringify(rule.target),
      delivery: rule.delivery,
      urgent: rule.urgent,
      // The clock, not the transaction's start: rules written together (a business's defaults) keep their order.
      created_at: sql<Date>`clock_timestamp()`,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

/** The business's rules, oldest first; empty when the business is not in the scope. */
export async function listAlertRules(db: Kysely<Database>, scope: TenantScope, businessId: string): Promise<AlertRuleRecord[]> {
  const rows = await db
    .selectFrom('alert_rules')
    .select(COLUMNS)
    .where('business_id', '=', businessId)
    .where('account_id', '=', scope.accountId)
    .where(inBusinessScope('alert_rules.business_id', scope))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toRecord);
}

/** The rule, or undefined when its business is not in the scope (or it does not exist: callers cannot tell). */
export async function findAlertRule(db: Kysely<Database>, scope: TenantScope, id: string): Promise<AlertRuleRecord | undefined> {
  const row = await db
    .selectFrom('alert_rules')
    .select(COLUMNS)
    .where('id', '=', id)
    .where('account_id', '=', scope.accountId)
    .where(inBusinessScope('alert_rules.business_id', scope))
    .executeTakeFirst();
  return row && toRecord(row);
}

/** Replaces the rule's definition (checked by the caller); undefined when it is not in the scope. */
export async function updateAlertRule(db: Kysely<Database>, scope: TenantScope, id: string, rule: AlertRuleDefinition): Promise<AlertRuleRecord | undefined> {
  const row = await db
    .updateTable('alert_rules')
    .set({
      name: rule.name,
      conditions: JSON.stringify(rule.conditions),
      target: JSON.stringify(rule.target),
      delivery: rule.delivery,
      urgent: rule.urgent,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .where('account_id', '=', scope.accountId)
    .where(inBusinessScope('alert_rules.business_id', scope))
    .returning(COLUMNS)
    .executeTakeFirst();
  return row && toRecord(row);
}

/** true when a rule within the scope was deleted. */
export async function deleteAlertRule(db: Kysely<Database>, scope: TenantScope, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('alert_rules')
    .where('id', '=', id)
    .where('account_id', '=', scope.accountId)
    .where(inBusinessScope('alert_rules.business_id', scope))
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** A rule as sending needs it: who its person or channel is now. */
export interface RuleWithRecipient extends AlertRuleRecord {
  /** For `{userId}`: the person, while they are still in the account; null otherwise. */
  person: { email: string; businessIds: string[] | null } | null;
  /** For `{channelId}`: whether the account still has the channel. */
  channelExists: boolean;
}

/**
 * The rules of these businesses, each with its person's current email and access or its
 * channel's existence, in one round trip: a person removed or a channel deleted since the
 * rule was made is simply not told.
 */
export async function listRulesWithRecipients(db: Kysely<Database>, businessIds: string[]): Promise<RuleWithRecipient[]> {
  if (businessIds.length === 0) return [];
  const rows = await db
    .selectFrom('alert_rules as r')
    // Compared as text: a target without the key leaves the join empty instead of failing a cast.
    .leftJoin('users as u', (join) => join.on(sql<boolean>`u.id::text = r.target->>'userId'`).onRef('u.account_id', '=', 'r.account_id'))
    .leftJoin('alert_channels as c', (join) => join.on(sql<boolean>`c.id::text = r.target->>'channelId'`).onRef('c.account_id', '=', 'r.account_id'))
    .select(COLUMNS.map((column) => `r.${column}` as const))
    .select(['u.email as person_email', 'u.business_ids as person_business_ids', 'c.id as channel_id'])
    .where('r.business_id', '=', sql<string>`ANY(${businessIds}::uuid[])`)
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute();
  return rows.map((row) => ({
    ...toRecord(row),
    person: row.person_email === null ? null : { email: row.person_email, businessIds: row.person_business_ids },
    channelExists: row.channel_id !== null,
  }));
}

/** An item as alert rules judge it (whether it is flagged aside: the caller knows), with its business's alert addresses. */
export interface ItemToRoute {
  accountId: string;
  itemId: string;
  businessId: string;
  alertEmails: string[];
  kind: ItemKind;
  rating: number | null;
  sentimentLabel: SentimentLabel | null;
  topics: string[];
  sourceType: string;
  title: string | null;
  body: string;
}

/**
 * The items with what alert rules ask of them, locked against deletion until the
 * caller's transaction ends, so the deliveries written next find them.
 */
export async function listItemsToRoute(tx: Kysely<Database>, itemIds: string[]): Promise<ItemToRoute[]> {
  if (itemIds.length === 0) return [];
  const rows = await tx
    .selectFrom('items as i')
    .innerJoin('businesses as b', 'b.id', 'i.business_id')
    .innerJoin('sources as s', 's.id', 'i.source_id')
    .select(['i.account_id', 'i.id', 'i.business_id', 'b.alert_emails', 'i.kind', 'i.rating', 'i.sentiment_label', 'i.topics', 's.type as source_type', 'i.title', 'i.body'])
    .where('i.id', '=', sql<string>`ANY(${itemIds}::uuid[])`)
    .orderBy('i.id')
    .forKeyShare('i')
    .execute();
  return rows.map((row) => ({
    accountId: row.account_id,
    itemId: row.id,
    businessId: row.business_id,
    alertEmails: row.alert_emails,
    kind: row.kind,
    rating: row.rating,
    sentimentLabel: row.sentiment_label,
    topics: row.topics,
    sourceType: row.source_type,
    title: row.title,
    body: row.body,
  }));
}
