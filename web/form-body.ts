/** A submitted form: each field's value, or every value when a field repeats (checkbox lists). */
export type FormBody = Record<string, string | string[]>;

export const FORM_BODY_LIMIT = 256 * 1024;

export function parseFormBody(text: string): FormBody {
  const form: FormBody = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const earlier = form[name];
    if (earlier === undefined) form[name] = value;
    else form[name] = Array.isArray(earlier) ? [...earlier, value] : [earlier, value];
  }
  return form;
}

/** One field as text; the last value when it was sent more than once; '' when absent. */
export function field(form: unknown, name: string): string {
  const value = (form as FormBody | undefined)?.[name];
  if (Array.isArray(value)) return value.at(-1) ?? '';
  return typeof value === 'string' ? value : '';
}

/** Every value of a field that may repeat. */
export function fieldList(form: unknown, name: string): string[] {
  const value = (form as FormBody | undefined)?.[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
