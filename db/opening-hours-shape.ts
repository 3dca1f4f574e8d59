/**
 * A business's opening hours as stored in `businesses.opening_hours`: per weekday, the
 * intervals it is open, in its own local time. A missing or empty day is closed. `close`
 * may be "24:00" (open until midnight); an interval never crosses midnight — split it over
 * two days. The shape only: validating and measuring them is services/response-times/opening-hours.ts.
 */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface OpeningInterval {
  open: string;
  close: string;
}

export type OpeningHours = Partial<Record<Weekday, OpeningInterval[]>>;
