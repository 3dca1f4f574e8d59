import type { Migration } from 'kysely/migration';
import * as initial from './2026-11-23T1900_initial.ts';
import * as itemTopics from './2026-11-23T2100_item_topics.ts';
import * as sourceNotices from './2026-11-23T2110_source_notices.ts';
import * as itemWorkflow from './2026-11-23T2200_item_workflow.ts';
import * as responseTimeFunctions from './2026-11-23T2210_response_time_functions.ts';
import * as responseFactChanges from './2026-11-23T2300_response_fact_changes.ts';
import * as itemRemovals from './2026-11-23T2310_item_removals.ts';
import * as itemCohortIndex from './2026-11-23T2320_item_cohort_index.ts';
import * as reReviewChecks from './2026-11-23T2330_re_review_checks.ts';
import * as skippedItems from './2026-12-06T1000_skipped_items.ts';
import * as webhookSignaturesSeen from './2026-12-06T1100_webhook_signatures_seen.ts';
import * as deliveryErrors from './2026-12-06T1110_delivery_errors.ts';
import * as people from './2026-12-07T1000_people.ts';
import * as inboxIndexes from './2026-12-07T1300_inbox_indexes.ts';
import * as itemReplies from './2026-12-07T2000_item_replies.ts';
import * as itemListIndexes from './2026-12-07T1310_item_list_indexes.ts';
import * as replyFirstResponse from './2026-12-07T2010_reply_first_response.ts';
import * as alertChannels from './2026-12-07T2100_alert_channels.ts';
import * as deliveryChannels from './2026-12-07T2200_delivery_channels.ts';
import * as alertRules from './2026-12-07T2210_alert_rules.ts';
import * as alertTiming from './2026-12-08T1000_alert_timing.ts';
import * as streamCursors from './2026-12-08T1100_stream_cursors.ts';
import * as itemAnnouncedAt from './2026-12-08T1200_item_announced_at.ts';

/** Every migration, by name; names sort in the order they apply. Append, never edit. */
export const migrations: Record<string, Migration> = {
  '2026-11-23T1900_initial': initial,
  '2026-11-23T2100_item_topics': itemTopics,
  '2026-11-23T2110_source_notices': sourceNotices,
  '2026-11-23T2200_item_workflow': itemWorkflow,
  '2026-11-23T2210_response_time_functions': responseTimeFunctions,
  '2026-11-23T2300_response_fact_changes': responseFactChanges,
  '2026-11-23T2310_item_removals': itemRemovals,
  '2026-11-23T2320_item_cohort_index': itemCohortIndex,
  '2026-11-23T2330_re_review_checks': reReviewChecks,
  '2026-12-06T1000_skipped_items': skippedItems,
  '2026-12-06T1100_webhook_signatures_seen': webhookSignaturesSeen,
  '2026-12-06T1110_delivery_errors': deliveryErrors,
  '2026-12-07T1000_people': people,
  '2026-12-07T1300_inbox_indexes': inboxIndexes,
  '2026-12-07T1310_item_list_indexes': itemListIndexes,
  '2026-12-07T2000_item_replies': itemReplies,
  '2026-12-07T2010_reply_first_response': replyFirstResponse,
  '2026-12-07T2100_alert_channels': alertChannels,
  '2026-12-07T2200_delivery_channels': deliveryChannels,
  '2026-12-07T2210_alert_rules': alertRules,
  '2026-12-08T1000_alert_timing': alertTiming,
  '2026-12-08T1100_stream_cursors': streamCursors,
  '2026-12-08T1200_item_announced_at': itemAnnouncedAt,
};
