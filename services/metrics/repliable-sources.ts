/**
 * Source types whose items the business has no channel to answer: a news article or
 * blog post found through a feed (Google Alerts included) takes no reply from the
 * business. Every other platform takes one — on the platform, or off it and marked
 * `respond` in Earshot — so its items count in the response-time figures.
 * Whether a platform *shows* the owner's reply to Earshot (the connector capability
 * `detectsOwnerReplies`) is a different matter: there, only Earshot `respond` marks count.
 */
export const UNREPLIABLE_SOURCE_TYPES: readonly string[] = ['rss'];
