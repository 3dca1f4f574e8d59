import type { BusinessRecord } from '../../../db/repositories/businesses.ts';
import type { DigestWeekday } from '../../../db/schema.ts';
import type { OpeningHours } from '../../response-times/opening-hours.ts';
import { WEEKDAYS } from '../../response-times/opening-hours.ts';
import { DIGEST_WEEKDAYS } from '../../alerts/digests/business-schedule.ts';
import { dateTime, toIso, uuid } from './common.ts';

const openingInterval = {
  type: 'object',
  required: ['open', 'close'],
  additionalProperties: false,
  properties: {
    open: { type: 'string', pattern: '^\\d\\d:\\d\\d$', description: 'Local time "HH:MM"' },
    close: { type: 'string', pattern: '^\\d\\d:\\d\\d$', description: 'Local time "HH:MM", after open; "24:00" is midnight' },
  },
} as const;

/** Per weekday (mon…sun), the intervals the business is open in its own time zone; a missing day is closed. */
export const openingHoursSchema = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(WEEKDAYS.map((day) => [day, { type: 'array', maxItems: 6, items: openingInterval }])),
  description: 'Per weekday (mon…sun), the intervals the business is open in its own time zone; a missing day is closed',
  examples: [{ mon: [{ open: '09:00', close: '12:30' }, { open: '14:00', close: '18:00' }], sat: [{ open: '10:00', close: '16:00' }] }],
};

const digestTime = { type: 'string', maxLength: 5, description: 'Local time "HH:MM" (00:00–23:59) in the business\'s time zone' } as const;
const digestWeekday = { type: 'string', enum: DIGEST_WEEKDAYS, description: 'The day the weekly digest goes out' } as const;

/** When the business's digests go out; in a change either part may be left out. */
export const digestSettingsSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { time: digestTime, weekday: digestWeekday },
  description: 'When digests go out: daily at `time`, weekly on `weekday` at `time`, in the business\'s time zone',
  examples: [{ time: '07:30', weekday: 'friday' }],
} as const;

export const businessSchema = {
  $id: 'Business',
  type: 'object',
  required: ['id', 'name', 'timezone', 'alertEmails', 'slaHours', 'openingHours', 'digest', 'weeklyReport', 'createdAt'],
  additionalProperties: false,
  properties: {
    id: uuid,
    name: { type: 'string' },
    timezone: { type: 'string', description: 'IANA time zone, e.g. Europe/Paris' },
    alertEmails: { type: 'array', items: { type: 'string', format: 'email' }, description: 'Who is emailed about flagged items' },
    slaHours: { type: 'integer', description: 'An unanswered item is overdue after this many hours' },
    openingHours: { anyOf: [openingHoursSchema, { type: 'null' }], description: 'null: none set (business-hours figures count every hour)' },
    digest: {
      type: 'object',
      required: ['time', 'weekday'],
      additionalProperties: false,
      properties: { time: digestTime, weekday: digestWeekday },
      description: 'When digests go out: daily at `time`, weekly on `weekday` at `time`, in the business\'s time zone',
    },
    weeklyReport: { type: 'boolean', description: 'The weekly report email to the owners (on by default)' },
    createdAt: dateTime,
  },
} as const;

export interface BusinessJson {
  id: string;
  name: string;
  timezone: string;
  alertEmails: string[];
  slaHours: number;
  openingHours: OpeningHours | null;
  digest: { time: string; weekday: DigestWeekday };
  weeklyReport: boolean;
  createdAt: string;
}

/** Everything `PATCH /v1/businesses/:id` can set is shown, so a client can read before it writes. */
export function presentBusiness(business: BusinessRecord): BusinessJson {
  return {
    id: business.id,
    name: business.name,
    timezone: business.timezone,
    alertEmails: business.alertEmails,
    slaHours: business.slaHours,
    openingHours: business.openingHours,
    digest: { time: business.digestTime, weekday: business.digestWeekday },
    weeklyReport: business.weeklyReport,
    createdAt: toIso(business.createdAt),
  };
}
