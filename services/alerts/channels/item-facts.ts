import type { AlertItem } from './contract.ts';

/** "★★☆☆☆ (2/5)": stars read at a glance, the number for screen readers and plain text. */
export function starsOf(rating: number): string {
  return `${'★'.repeat(rating)}${'☆'.repeat(5 - rating)} (${rating}/5)`;
}

/** "2026-03-02 12:30 UTC", as the alert email writes dates. */
export function alertDate(date: Date): string {
  return `${date.toISOString().replace('T', ' ').slice(0, 16)} UTC`;
}

/**
 * The labelled facts of an item alert, in the order the email shows them, for channels
 * that lay them out as fields (Slack, Teams). Links are separate: each channel makes buttons.
 */
export function itemFacts(item: AlertItem): Array<{ label: string; value: string }> {
  return [
    { label: 'Business', value: item.businessName },
    { label: 'Source', value: item.sourceName },
    ...(item.rating === null ? [] : [{ label: 'Rating', value: starsOf(item.rating) }]),
    { label: 'Author', value: item.author ?? 'unknown' },
    { label: 'Date', value: alertDate(item.publishedAt) },
  ];
}

/** Shortens text to at most `max` characters, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
