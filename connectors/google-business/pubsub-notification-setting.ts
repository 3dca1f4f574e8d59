import { withAdvice } from '../config-advice.ts';
import type { HttpClient } from '../contract.ts';
import type { GoogleBusinessConfig } from './settings.ts';

/** What Earshot asks Google to publish: the reviews, new and edited. */
export const REVIEW_NOTIFICATION_TYPES = ['NEW_REVIEW', 'UPDATED_REVIEW'] as const;

function advice(status: number): string | null {
  if (status === 403) {
    return 'Google refused to set the notification setting: enable the My Business Notifications API in the Google Cloud project, make sure the Google account is an owner or manager of the Business Profile account, and grant roles/pubsub.publisher on config.pubsubTopic to mybusiness-api-pubsub@system.gserviceaccount.com';
  }
  if (status === 404) return 'Google knows no such account: check config.accountId';
  if (status === 400) return 'Google refused config.pubsubTopic: it must be an existing topic, "projects/{project}/topics/{topic}"';
  return null;
}

/**
 * Points the account's notification setting at `config.pubsubTopic` for new and edited
 * reviews (My Business Notifications API: `PATCH /v1/accounts/{id}/notificationSetting`,
 * `updateMask=notificationTypes,pubsubTopic`). There is one setting per account: this
 * replaces whatever topic and types it held. A refusal is a 'config' error saying what to fix.
 */
export async function setReviewNotifications(http: HttpClient, config: GoogleBusinessConfig & { pubsubTopic: string }, token: string): Promise<void> {
  const name = `accounts/${config.accountId}/notificationSetting`;
  const url = new URL(`${config.notificationsBaseUrl}/v1/accounts/${encodeURIComponent(config.accountId)}/notificationSetting`);
  url.searchParams.set('updateMask', 'notificationTypes,pubsubTopic');
  await withAdvice(
    http.json({
      method: 'PATCH',
      url: url.toString(),
      headers: { authorization: `Bearer ${token}` },
      body: { name, pubsubTopic: config.pubsubTopic, notificationTypes: [...REVIEW_NOTIFICATION_TYPES] },
      label: 'notification setting',
    }),
    advice,
  );
}
