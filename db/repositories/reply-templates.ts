import type { Kysely, Selectable } from 'kysely';
import type { Database, ReplyTemplatesTable } from '../schema.ts';
import { inBusinessScope, type TenantScope } from './tenant-scope.ts';
import { orWhenTaken } from './unique-violation.ts';

/** A business's named reply text; the rules for it live in services/replies/templates.ts. */
export interface ReplyTemplateRecord {
  id: string;
  businessId: string;
  name: string;
  body: string;
  /** Offered first for items rated within this range; both null: no default. */
  defaultMinRating: number | null;
  defaultMaxRating: number | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a template is made of, checked by the caller. */
export interface ReplyTemplateFields {
  name: string;
  body: string;
  defaultMinRating: number | null;
  defaultMaxRating: number | null;
}

const COLUMNS = ['id', 'business_id', 'name', 'body', 'default_min_rating', 'default_max_rating', 'created_at', 'updated_at'] as const;

function toRecord(row: Pick<Selectable<ReplyTemplatesTable>, (typeof COLUMNS)[number]>): ReplyTemplateRecord {
  return {
    id: row.id,
    businessId: row.business_id,
    name: row.name,
    body: row.body,
    defaultMinRating: row.default_min_rating,
    defaultMaxRating: row.default_max_rating,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The business's templates by name; empty when the business is not in the scope. */
export async function listReplyTemplates(db: Kysely<Database>, scope: TenantScope, businessId: string): Promise<ReplyTemplateRecord[]> {
  const rows = await db
    .selectFrom('reply_templates')
    .select(COLUMNS)
    .where('business_id', '=', businessId)
    .where('account_id', '=', scope.accountId)
    .where(inBusinessScope('reply_templates.business_id', scope))
    .orderBy('name')
    .execute();
  return rows.map(toRecord);
}

export async function findReplyTemplate(db: Kysely<Database>, scope: TenantScope, templateId: string): Promise<ReplyTemplateRecord | undefined> {
  const row = await db
    .selectFrom('reply_templates')
    .select(COLUMNS)
    .where('id', '=', templateId)
    .where('account_id', '=', scope.accountId)
    .where(inBusinessScope('reply_templates.business_id', scope))
    .executeTakeFirst();
  return row && toRecord(row);
}

/**
 * Adds a template to a business in the scope. undefined: the business is not in the
 * scope; 'name_taken': the business already has a template of that name.
 */
export async function insertReplyTemplate(
  db: Kysely<Database>,
  scope: TenantScope,
  businessId: string,
  fields: ReplyTemplateFields,
): Promise<ReplyTemplateRecord | 'name_taken' | undefined> {
  // Inserting from the scoped business row: a business outside the scope inserts nothing.
  const row = await orWhenTaken(() =>
    db
      .insertInto('reply_templates')
      .columns(['account_id', 'business_id', 'name', 'body', 'default_min_rating', 'default_max_rating'])
      .expression((eb) =>
        eb
          .selectFrom('businesses')
          .select((select) => [
            'businesses.account_id',
            'businesses.id',
            select.val(fields.name).as('name'),
            select.val(fields.body).as('body'),
            select.cast<number | null>(select.val(fields.defaultMinRating), 'smallint').as('default_min_rating'),
            select.cast<number | null>(select.val(fields.defaultMaxRating), 'smallint').as('default_max_rating'),
          ])
          .where('businesses.id', '=', businessId)
          .where('businesses.account_id', '=', scope.accountId)
          .where(inBusinessScope('businesses.id', scope)),
      )
      .returning(COLUMNS)
      .executeTakeFirst(),
    'name_taken' as const,
  );
  return row === 'name_taken' ? row : row && toRecord(row);
}

/** Changes a template of a business in the scope; undefined: not in the scope; 'name_taken': another template has that name. */
export async function updateReplyTemplate(
  db: Kysely<Database>,
  scope: TenantScope,
  businessId: string,
  templateId: string,
  fields: ReplyTemplateFields,
): Promise<ReplyTemplateRecord | 'name_taken' | undefined> {
  const row = await orWhenTaken(() =>
    db
      .updateTable('reply_templates')
      .set({
        name: fields.name,
        body: fields.body,
        default_min_rating: fields.defaultMinRating,
        default_max_rating: fields.defaultMaxRating,
        updated_at: new Date(),
      })
      .where('id', '=', templateId)
      .where('business_id', '=', businessId)
      .where('account_id', '=', scope.accountId)
      .where(inBusinessScope('reply_templates.business_id', scope))
      .returning(COLUMNS)
      .executeTakeFirst(),
    'name_taken' as const,
  );
  return row === 'name_taken' ? row : row && toRecord(row);
}

/** Removes a template of a business in the scope; false when there was none to remove. */
export async function deleteReplyTemplate(db: Kysely<Database>, scope: TenantScope, businessId: string, templateId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('reply_templates')
    .where('id', '=', templateId)
    .where('business_id', '=', businessId)
    .where('account_id', '=', scope.accountId)
    .where(inBusinessScope('reply_templates.business_id', scope))
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
