import type { BusinessRecord } from '../../db/repositories/businesses.ts';
import type { Role } from '../../db/schema.ts';
import { field, fieldList } from '../form-body.ts';
import { html, type Html } from '../html.ts';

export const ROLES: readonly Role[] = ['owner', 'staff', 'consultant'];

export const ROLE_WORDS: Record<Role, string> = {
  owner: 'Owner: everything, including sources, businesses, people and keys',
  staff: 'Staff: works the inbox of their businesses',
  consultant: 'Consultant: reads items and reports, changes nothing',
};

/** A labelled input; the field a refusal named is marked invalid, so a screen reader says so too. */
export function textField(options: {
  id: string;
  name?: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  value?: string;
  autocomplete?: string;
  required?: boolean;
  maxlength?: number;
  invalid?: boolean;
}): Html {
  return html`<label for="${options.id}">${options.label}</label>
<input id="${options.id}" name="${options.name ?? options.id}" type="${options.type ?? 'text'}"${options.value !== undefined ? html` value="${options.value}"` : ''}${
    options.autocomplete ? html` autocomplete="${options.autocomplete}"` : ''
  }${options.required === false ? '' : html` required`} maxlength="${options.maxlength ?? 200}"${options.invalid ? html` aria-invalid="true"` : ''}>`;
}

export function roleSelect(id: string, selected: Role, label = 'Role'): Html {
  return html`<label for="${id}">${label}</label>
<select id="${id}" name="role">
${ROLES.map((role) => html`<option value="${role}"${role === selected ? html` selected` : ''}>${ROLE_WORDS[role]}</option>`)}
</select>`;
}

/** Checkboxes for a business scope: none ticked means every business, including ones added later. */
export function businessChoices(idPrefix: string, businesses: readonly BusinessRecord[], chosen: readonly string[] | null, invalid = false): Html {
  if (businesses.length === 0) return html`<p class="muted">Every business (the account has none yet).</p>`;
  return html`<fieldset${invalid ? html` aria-invalid="true"` : ''}>
<legend>Businesses <span class="muted">(none ticked: every business, also ones added later)</span></legend>
${businesses.map(
  (business) => html`<div class="choice"><input type="checkbox" id="${idPrefix}-${business.id}" name="businessIds" value="${business.id}"${
    chosen?.includes(business.id) ? html` checked` : ''
  }> <label for="${idPrefix}-${business.id}">${business.name}</label></div>`,
)}
</fieldset>`;
}

/** A scope in words: "All businesses", or their names. */
export function scopeWords(businessIds: readonly string[] | null, businesses: readonly BusinessRecord[]): string {
  if (businessIds === null) return 'All businesses';
  const names = businessIds.map((id) => businesses.find((business) => business.id === id)?.name ?? 'a deleted business');
  return names.length === 0 ? 'No business' : names.join(', ');
}

export function readRole(value: string): Role | undefined {
  return ROLES.find((role) => role === value);
}

/** The role and business scope a form asks for (invite, change access, new key); an unknown role is undefined. */
export function readAccessFields(body: unknown): { role: Role | undefined; businessIds: string[] } {
  return { role: readRole(field(body, 'role')), businessIds: fieldList(body, 'businessIds') };
}
