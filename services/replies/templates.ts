import type { Db } from '../../db/database.ts';
import {
  deleteReplyTemplate,
  insertReplyTemplate,
  listReplyTemplates,
  updateReplyTemplate,
  type ReplyTemplateFields,
  type ReplyTemplateRecord,
} from '../../db/repositories/reply-templates.ts';
import type { TenantScope } from '../../db/repositories/tenant-scope.ts';

/**
 * Reply templates: a business's named texts with placeholders, offered (filled in) in
 * the reply box. A template is never sent on its own: a person always presses Send.
 */

export const TEMPLATE_LIMITS = { name: 100, body: 5000, perBusiness: 50 } as const;

/** The placeholders a template may use, and what each becomes. */
export const PLACEHOLDERS = ['author', 'business', 'first_name'] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];

/** Said when the platform names no author, so "Dear {first_name}," still reads well. */
const NO_AUTHOR = 'there';

export type TemplateField = 'name' | 'body' | 'defaultMinRating' | 'defaultMaxRating';

/** A template the rules refuse, naming the field and the problem in plain words. */
export class InvalidReplyTemplate extends Error {
  readonly field: TemplateField;
  readonly problem: string;
  constructor(field: TemplateField, problem: string) {
    super(`${field} ${problem}`);
    this.name = 'InvalidReplyTemplate';
    this.field = field;
    this.problem = problem;
  }
}

/** What a person asks a template to be, before the rules. */
export interface TemplateInput {
  name: string;
  body: string;
  defaultMinRating: number | null;
  defaultMaxRating: number | null;
}

function checkRating(field: 'defaultMinRating' | 'defaultMaxRating', value: number | null): void {
  if (value !== null && !(Number.isInteger(value) && value >= 1 && value <= 5)) throw new InvalidReplyTemplate(field, 'must be a whole number of stars from 1 to 5');
}

/** The placeholders written in a body, as typed (`{author}` → `author`). */
function placeholdersIn(body: string): string[] {
  return [...body.matchAll(/\{([^{}\s]{1,40})\}/g)].map((match) => match[1] as string);
}

/** The template as it will be stored: trimmed, each rule checked in the order of the form. */
export function checkTemplateInput(input: TemplateInput): ReplyTemplateFields {
  const name = input.name.trim();
  if (name === '') throw new InvalidReplyTemplate('name', 'must not be blank');
  if (name.length > TEMPLATE_LIMITS.name) throw new InvalidReplyTemplate('name', `must be at most ${TEMPLATE_LIMITS.name} characters`);
  const body = input.body.trim();
  if (body === '') throw new InvalidReplyTemplate('body', 'must not be blank');
  if (body.length > TEMPLATE_LIMITS.body) throw new InvalidReplyTemplate('body', `must be at most ${TEMPLATE_LIMITS.body} characters`);
  const unknown = placeholdersIn(body).find((placeholder) => !(PLACEHOLDERS as readonly string[]).includes(placeholder));
  if (unknown !== undefined) throw new InvalidReplyTemplate('body', `uses {${unknown}}, which is not a placeholder: use ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`);
  checkRating('defaultMinRating', input.defaultMinRating);
  checkRating('defaultMaxRating', input.defaultMaxRating);
  const { defaultMinRating: min, defaultMaxRating: max } = input;
  if ((min === null) !== (max === null)) throw new InvalidReplyTemplate(min === null ? 'defaultMinRating' : 'defaultMaxRating', 'and the other end of the star range go together: give both, or neither');
  if (min !== null && max !== null && min > max) throw new InvalidReplyTemplate('defaultMaxRating', `must be at least the lowest rating (${min})`);
  return { name, body, defaultMinRating: min, defaultMaxRating: max };
}

function nameTaken(name: string): InvalidReplyTemplate {
  return new InvalidReplyTemplate('name', `is already used by another template of this business ("${name}")`);
}

/** Adds a template; undefined when the business is not in the scope. */
export async function addReplyTemplate(db: Db, scope: TenantScope, businessId: string, input: TemplateInput): Promise<ReplyTemplateRecord | undefined> {
  const fields = checkTemplateInput(input);
  // A soft cap against a runaway script; the select in the reply box stays short enough to read.
  const existing = await listReplyTemplates(db, scope, businessId);
  if (existing.length >= TEMPLATE_LIMITS.perBusiness) throw new InvalidReplyTemplate('name', `cannot be added: a business keeps at most ${TEMPLATE_LIMITS.perBusiness} templates`);
  const saved = await insertReplyTemplate(db, scope, businessId, fields);
  if (saved === 'name_taken') throw nameTaken(fields.name);
  return saved;
}

/** Changes a template of the business; undefined when it is not there (or not in the scope). */
export async function changeReplyTemplate(db: Db, scope: TenantScope, businessId: string, templateId: string, input: TemplateInput): Promise<ReplyTemplateRecord | undefined> {
  const fields = checkTemplateInput(input);
  const saved = await updateReplyTemplate(db, scope, businessId, templateId, fields);
  if (saved === 'name_taken') throw nameTaken(fields.name);
  return saved;
}

export function removeReplyTemplate(db: Db, scope: TenantScope, businessId: string, templateId: string): Promise<boolean> {
  return deleteReplyTemplate(db, scope, businessId, templateId);
}

/** What the placeholders are filled with, for one item. */
export interface TemplateContext {
  author: string | null;
  business: string;
}

/** The first word of the author's name ("Maria G." → "Maria"); handles like "@maria.bsky.social" stay whole. */
export function firstName(author: string | null): string {
  const first = author?.trim().split(/\s+/)[0] ?? '';
  return first === '' ? NO_AUTHOR : first;
}

/** The template's text for one item: each known placeholder replaced, anything else left as written. */
export function fillTemplate(body: string, context: TemplateContext): string {
  const author = context.author?.trim() || NO_AUTHOR;
  const values: Record<Placeholder, string> = { author, business: context.business, first_name: firstName(context.author) };
  return body.replace(/\{(author|business|first_name)\}/g, (_match, name: Placeholder) => values[name]);
}

/**
 * The template offered first for an item of this rating: the one whose star range holds
 * it, the narrowest range winning (a "1–2 stars" apology beats a "1–5" thank-you), then
 * by name. None for an unrated item or when no range holds it.
 */
export function defaultTemplateFor<T extends Pick<ReplyTemplateRecord, 'name' | 'defaultMinRating' | 'defaultMaxRating'>>(templates: readonly T[], rating: number | null): T | undefined {
  if (rating === null) return undefined;
  const stars = Math.round(rating);
  const holding = templates.filter((t) => t.defaultMinRating !== null && t.defaultMaxRating !== null && t.defaultMinRating <= stars && stars <= t.defaultMaxRating);
  const width = (t: T) => (t.defaultMaxRating as number) - (t.defaultMinRating as number);
  return holding.sort((a, b) => width(a) - width(b) || a.name.localeCompare(b.name))[0];
}
