import { passwordProblem } from './passwords.ts';
import { PeopleRefusal } from './people-refusal.ts';

export const DISPLAY_NAME_MAX_LENGTH = 100;
const EMAIL_MAX_LENGTH = 320;

/** An email address as typed, trimmed; refused when it cannot be one. */
export function cleanEmail(value: string, field = 'email'): string {
  const email = value.trim();
  if (email === '') throw new PeopleRefusal('Email: enter an email address.', { field });
  if (email.length > EMAIL_MAX_LENGTH || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw new PeopleRefusal(`Email: "${email.slice(0, 80)}" is not an email address.`, { field });
  }
  return email;
}

/** The name shown in timelines instead of the email: required, one line, at most 100 characters. */
export function cleanDisplayName(value: string, field = 'displayName'): string {
  const name = value.replace(/\s+/g, ' ').trim();
  if (name === '') throw new PeopleRefusal('Name: enter the name colleagues know you by.', { field });
  if (name.length > DISPLAY_NAME_MAX_LENGTH) throw new PeopleRefusal(`Name: use at most ${DISPLAY_NAME_MAX_LENGTH} characters.`, { field });
  return name;
}

/** Whether a write failed because the email already belongs to someone (the unique index on lower(email)). */
export function isTakenEmail(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}

/** A new password, typed twice: it must do (services/people/passwords.ts) and both must match. */
export function checkNewPassword(password: string, confirm: string, email: string): void {
  const problem = passwordProblem(password, email === '' ? undefined : email);
  if (problem !== undefined) throw new PeopleRefusal(`Password: ${problem}.`, { field: 'password' });
  if (password !== confirm) throw new PeopleRefusal('Repeat the password: the two passwords are not the same.', { field: 'confirm' });
}
