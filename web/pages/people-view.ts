import type { ApiKeyRecord } from '../../db/repositories/api-keys.ts';
import type { BusinessRecord } from '../../db/repositories/businesses.ts';
import type { SignInLinkRecord } from '../../db/repositories/sign-in-links.ts';
import type { UserRecord } from '../../db/repositories/users.ts';
import type { Role } from '../../db/schema.ts';
import type { Person } from '../../services/people/sessions.ts';
import { html, type Html } from '../html.ts';
import { csrfField } from '../layout.ts';
import { businessChoices, roleSelect, ROLE_WORDS, scopeWords, textField } from './people-fields.ts';

/** What the People & keys page shows; `canChange` is false for owners limited to some businesses. */
export interface PeopleView {
  person: Person;
  canChange: boolean;
  people: UserRecord[];
  invitations: Array<{ link: SignInLinkRecord; url: string }>;
  keys: ApiKeyRecord[];
  businesses: BusinessRecord[];
  /** Values to put back into a form the person sent with a problem. */
  invite?: { email: string; role: Role; businessIds: string[]; invalid?: string | undefined };
  newKey?: { name: string; role: Role; businessIds: string[]; invalid?: string | undefined };
}

const day = (date: Date | null) => (date === null ? 'never' : date.toISOString().slice(0, 10));

function personCard(view: PeopleView, user: UserRecord): Html {
  const name = user.displayName ?? user.email;
  const you = user.id === view.person.userId;
  const manage = view.canChange
    ? html`<details>
<summary>Change access</summary>
<form method="post" action="/people/${user.id}/access">
${csrfField(view.person.csrfToken)}
${roleSelect(`role-${user.id}`, user.role, `Role of ${name}`)}
${businessChoices(`scope-${user.id}`, view.businesses, user.businessIds)}
<button type="submit" aria-label="Save access of ${name}">Save access</button>
</form>
</details>
<form method="post" action="/people/${user.id}/remove" data-confirm="Remove ${name}? They are signed out at once and can no longer sign in.">
${csrfField(view.person.csrfToken)}
<button type="submit" class="danger" aria-label="Remove ${name}">Remove</button>
</form>`
    : '';
  return html`<li class="card">
<strong>${name}</strong>${you ? html` <span class="badge">you</span>` : ''}
<div class="muted">${user.email}</div>
<div>${ROLE_WORDS[user.role].split(':')[0]} · ${scopeWords(user.businessIds, view.businesses)}</div>
${manage}
</li>`;
}

function invitationCard(view: PeopleView, invitation: { link: SignInLinkRecord; url: string }): Html {
  const { link } = invitation;
  return html`<li class="card">
<strong>${link.email}</strong> <span class="badge">invited</span>
<div>${ROLE_WORDS[link.role ?? 'staff'].split(':')[0]} · ${scopeWords(link.businessIds, view.businesses)} · by ${link.createdBy}, works until ${day(link.expiresAt)}</div>
${
  view.canChange
    ? html`<label for="link-${link.id}">Invitation link (also emailed; works once)</label>
<input id="link-${link.id}" type="text" readonly value="${invitation.url}">
<form method="post" action="/people/invitations/${link.id}/withdraw">
${csrfField(view.person.csrfToken)}
<button type="submit" class="secondary" aria-label="Withdraw the invitation of ${link.email}">Withdraw</button>
</form>`
    : ''
}
</li>`;
}

function inviteForm(view: PeopleView): Html {
  const values = view.invite ?? { email: '', role: 'staff' as Role, businessIds: [] };
  return html`<form method="post" action="/people/invite" class="card">
<h2>Invite someone</h2>
${csrfField(view.person.csrfToken)}
${textField({ id: 'invite-email', name: 'email', label: 'Their email', type: 'email', value: values.email, maxlength: 320, invalid: view.invite?.invalid === 'email' })}
${roleSelect('invite-role', values.role, 'Their role')}
${businessChoices('invite-scope', view.businesses, values.businessIds, view.invite?.invalid === 'businessIds')}
<button type="submit">Send invitation</button>
</form>`;
}

function keyRow(view: PeopleView, key: ApiKeyRecord): Html {
  const revoke =
    view.canChange && key.revokedAt === null
      ? html`<form method="post" action="/people/keys/${key.id}/revoke" data-confirm="Revoke the key ${key.name}? Scripts using it stop working at once.">
${csrfField(view.person.csrfToken)}
<button type="submit" class="danger" aria-label="Revoke key ${key.name}">Revoke</button>
</form>`
      : '';
  return html`<tr>
<td>${key.name}</td>
<td>${key.role}</td>
<td>${scopeWords(key.businessIds, view.businesses)}</td>
<td><code>${key.prefix}…</code></td>
<td>${day(key.createdAt)}</td>
<td>${key.revokedAt === null ? day(key.lastUsedAt) : html`revoked ${day(key.revokedAt)}`}</td>
<td>${revoke}</td>
</tr>`;
}

function keyForm(view: PeopleView): Html {
  const values = view.newKey ?? { name: '', role: 'consultant' as Role, businessIds: [] };
  return html`<form method="post" action="/people/keys" class="card">
<h2>Create an API key</h2>
${csrfField(view.person.csrfToken)}
${textField({ id: 'key-name', name: 'name', label: 'Name (shown in item timelines)', value: values.name, maxlength: 100, invalid: view.newKey?.invalid === 'name' })}
${roleSelect('key-role', values.role, 'Role of the key')}
${businessChoices('key-scope', view.businesses, values.businessIds, view.newKey?.invalid === 'businessIds')}
<button type="submit">Create key</button>
</form>`;
}

export function peopleBody(view: PeopleView): Html {
  const live = view.keys.filter((key) => key.revokedAt === null).length;
  return html`<h1>People &amp; keys</h1>
${view.canChange ? '' : html`<p class="notice problem">Only owners of all businesses can invite, change or remove people and manage keys.</p>`}
<section aria-labelledby="people-heading">
<h2 id="people-heading">People (${view.people.length})</h2>
<ul class="plain-list">${view.people.map((user) => personCard(view, user))}</ul>
</section>
<section aria-labelledby="invitations-heading">
<h2 id="invitations-heading">Invitations waiting (${view.invitations.length})</h2>
${view.invitations.length === 0 ? html`<p class="muted">None.</p>` : html`<ul class="plain-list">${view.invitations.map((invitation) => invitationCard(view, invitation))}</ul>`}
</section>
${view.canChange ? inviteForm(view) : ''}
<section aria-labelledby="keys-heading">
<h2 id="keys-heading">API keys (${live} in use)</h2>
<p class="muted">For scripts and integrations: send as <code>Authorization: Bearer &lt;key&gt;</code>. See <a href="/docs">the API docs</a>.</p>
<div class="table-wrap"><table>
<thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Businesses</th><th scope="col">Starts with</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col"><span class="hide-narrow">Actions</span></th></tr></thead>
<tbody>${view.keys.map((key) => keyRow(view, key))}</tbody>
</table></div>
</section>
${view.canChange ? keyForm(view) : ''}
<section class="card">
<h2>Your sessions</h2>
<form method="post" action="/sign-out-everywhere" data-confirm="Sign out on every browser, this one included?">
${csrfField(view.person.csrfToken)}
<button type="submit" class="secondary">Sign out everywhere</button>
</form>
</section>`;
}

/** The page shown once after a key is made: the only time its secret is visible. */
export function newKeyBody(key: { name: string; secret: string }): Html {
  return html`<h1>New API key: ${key.name}</h1>
<section class="card">
<p><strong>Copy the key now.</strong> Earshot keeps only a hash of it: this page is the only time it is shown.</p>
<label for="new-key">The key</label>
<input id="new-key" type="text" readonly value="${key.secret}">
<p><a href="/people">Back to People &amp; keys</a></p>
</section>`;
}
