import type { NormalizedItem } from '../contract.ts';
import { htmlToText } from '../html-text.ts';
import { badPayload, dateOrNull, isRecord, stringOrNull } from '../payload-shape.ts';

/**
 * A Mastodon Status. `id` is the instance's own, opaque (numeric-looking on
 * Mastodon, not on Pleroma/Akkoma): it is only ever handed back as min_id/max_id.
 * `uri` is the post's ActivityPub id, the same on every instance.
 */
export interface Status extends Record<string, unknown> {
  id: string;
  uri: string;
}

function checkStatus(value: unknown, where: string, body: unknown, label: string): void {
  if (!isRecord(value) || typeof value.id !== 'string' || value.id === '' || typeof value.uri !== 'string' || value.uri === '') {
    throw badPayload(`${label}: ${where} has no "id" and "uri"`, body);
  }
  if (value.reblog !== undefined && value.reblog !== null) checkStatus(value.reblog, `${where}'s reblog`, body, label);
}

export function readStatusList(body: unknown, label: string): Status[] {
  if (!Array.isArray(body)) throw badPayload(`${label}: the response is not a list of statuses`, body);
  body.forEach((status, index) => checkStatus(status, `status ${index}`, body, label));
  return body as Status[];
}

export function readSearchResults(body: unknown, label: string): Status[] {
  if (!isRecord(body) || !Array.isArray(body.statuses)) throw badPayload(`${label}: the response has no "statuses" list`, body);
  body.statuses.forEach((status, index) => checkStatus(status, `status ${index}`, body, label));
  return body.statuses as Status[];
}

/** A boost stands for the post it boosts: that post is the mention, whoever boosted it. */
export function original(status: Status): Status {
  return isRecord(status.reblog) ? (status.reblog as Status) : status;
}

/** The content warning, then the post, as plain text. */
export function statusText(status: Status): string {
  const post = original(status);
  const warning = stringOrNull(post.spoiler_text);
  const content = htmlToText(stringOrNull(post.content) ?? '');
  return warning === null ? content : [warning, content].filter((part) => part !== '').join('\n\n');
}

export function statusCreatedAt(status: Status): Date | null {
  return dateOrNull(original(status).created_at);
}

export function statusToItem(status: Status): NormalizedItem {
  const post = original(status);
  const account = isRecord(post.account) ? post.account : {};
  const acct = stringOrNull(account.acct);
  return {
    externalId: post.uri,
    kind: 'mention',
    url: stringOrNull(post.url) ?? post.uri,
    author: stringOrNull(account.display_name) ?? (acct === null ? null : `@${acct}`),
    rating: null,
    title: null,
    body: statusText(post),
    language: stringOrNull(post.language),
    publishedAt: dateOrNull(post.created_at),
    updatedAt: dateOrNull(post.edited_at),
    ownerReply: null,
    raw: status,
  };
}
