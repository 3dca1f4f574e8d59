import type { ReplyTemplateRecord } from '../../db/repositories/reply-templates.ts';
import { PLACEHOLDERS, TEMPLATE_LIMITS, type InvalidReplyTemplate, type TemplateField, type TemplateInput } from '../../services/replies/templates.ts';
import { field } from '../form-body.ts';
import { html, type Html } from '../html.ts';
import { csrfField } from '../layout.ts';

/**
 * The reply templates section of a business's settings page: each template as a form to
 * change or delete, and one to add a template. Staff pick them in the reply box.
 */

/** A template form as typed: `templateId` null is the "add" form. */
export interface TemplateText {
  templateId: string | null;
  name: string;
  body: string;
  min: string;
  max: string;
}

/** A template form that came back refused: what was typed, and the field to mark. */
export interface TemplateSubmission {
  text: TemplateText;
  field: TemplateField;
  message: string;
}

const LABELS: Record<TemplateField, string> = { name: 'Template name', body: 'Text', defaultMinRating: 'Offer first from', defaultMaxRating: 'Offer first up to' };

export function readTemplateText(body: unknown, templateId: string | null): TemplateText {
  return { templateId, name: field(body, 'name'), body: field(body, 'body'), min: field(body, 'min'), max: field(body, 'max') };
}

/** The rules' input; an empty star field is "no default", anything but 1–5 is refused by the rules by name. */
export function templateInputOf(text: TemplateText): TemplateInput {
  const stars = (value: string) => (value.trim() === '' ? null : /^\s*\d\s*$/.test(value) ? Number(value) : Number.NaN);
  return { name: text.name, body: text.body, defaultMinRating: stars(text.min), defaultMaxRating: stars(text.max) };
}

export function templateProblem(error: InvalidReplyTemplate): string {
  return `${LABELS[error.field]}: ${error.problem}`;
}

function textOf(template: ReplyTemplateRecord): TemplateText {
  return { templateId: template.id, name: template.name, body: template.body, min: template.defaultMinRating?.toString() ?? '', max: template.defaultMaxRating?.toString() ?? '' };
}

function starOptions(chosen: string): Html[] {
  return ['', '1', '2', '3', '4', '5'].map((value) => html`<option value="${value}"${chosen === value ? html` selected` : ''}>${value === '' ? 'No default' : `${value} ★`}</option>`);
}

/** The fields of one template form; ids carry the template's id so every label points at its own control. */
function templateFields(text: TemplateText, problem: TemplateField | undefined): Html {
  const key = text.templateId ?? 'new';
  const invalid = (name: TemplateField) => (problem === name ? html` aria-invalid="true"` : '');
  return html`<div class="field">
<label for="template-name-${key}">Template name</label>
<input type="text" id="template-name-${key}" name="name" required maxlength="${TEMPLATE_LIMITS.name}" value="${text.name}"${invalid('name')}>
</div>
<div class="field">
<label for="template-body-${key}">Text</label>
<textarea id="template-body-${key}" name="body" rows="4" required maxlength="${TEMPLATE_LIMITS.body}" aria-describedby="template-hint"${invalid('body')}>${text.body}</textarea>
</div>
<fieldset class="star-range">
<legend>Offer it first for reviews rated (optional)</legend>
<label for="template-min-${key}">From</label>
<select id="template-min-${key}" name="min"${invalid('defaultMinRating')}>${starOptions(text.min.trim())}</select>
<label for="template-max-${key}">up to</label>
<select id="template-max-${key}" name="max"${invalid('defaultMaxRating')}>${starOptions(text.max.trim())}</select>
</fieldset>`;
}

function existingTemplate(businessId: string, csrf: string, template: ReplyTemplateRecord, submitted: TemplateSubmission | undefined): Html {
  const mine = submitted?.text.templateId === template.id ? submitted : undefined;
  const range = template.defaultMinRating === null ? '' : ` · offered first for ${template.defaultMinRating}–${template.defaultMaxRating} ★`;
  return html`<li class="card">
<details${mine ? html` open` : ''}>
<summary><strong>${template.name}</strong><span class="muted">${range}</span></summary>
<form method="post" action="/businesses/${businessId}/reply-templates/${template.id}" aria-label="Change template ${template.name}">
${csrfField(csrf)}
${templateFields(mine?.text ?? textOf(template), mine?.field)}
<button type="submit">Save template</button>
</form>
<form method="post" action="/businesses/${businessId}/reply-templates/${template.id}/delete">
${csrfField(csrf)}
<button type="submit" class="danger" aria-label="Delete template ${template.name}">Delete</button>
</form>
</details>
</li>`;
}

export function replyTemplatesSection(businessId: string, csrf: string, templates: readonly ReplyTemplateRecord[], submitted: TemplateSubmission | undefined): Html {
  const adding = submitted?.text.templateId === null ? submitted : undefined;
  const placeholders = PLACEHOLDERS.map((name) => `{${name}}`).join(', ');
  return html`<section class="card" aria-labelledby="templates-title" id="reply-templates">
<h2 id="templates-title">Reply templates</h2>
<p class="hint muted" id="template-hint">Offered in the reply box, filled in for each review: ${placeholders} (the first word of the author's name). A template is never sent by itself: someone always reads it and presses Send.</p>
${templates.length === 0 ? html`<p class="muted">No templates yet.</p>` : html`<ul class="plain-list">${templates.map((template) => existingTemplate(businessId, csrf, template, submitted))}</ul>`}
<form method="post" action="/businesses/${businessId}/reply-templates" aria-label="Add a template">
<h3>Add a template</h3>
${csrfField(csrf)}
${templateFields(adding?.text ?? { templateId: null, name: '', body: '', min: '', max: '' }, adding?.field)}
<button type="submit">Add template</button>
</form>
</section>`;
}
