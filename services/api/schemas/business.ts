import type { BusinessRecord } from '../../../db/repositories/businesses.ts';
import { dateTime, toIso, uuid } from './common.ts';

export const businessSchema = {
  $id: 'Business',
  type: 'object',
  required: ['id', 'name', 'timezone', 'alertEmails', 'slaHours', 'createdAt'],
  additionalProperties: false,
  properties: {
    id: uuid,
    name: { type: 'string' },
    timezone: { type: 'string', description: 'IANA time zone, e.g. Europe/Paris' },
    alertEmails: { type: 'array', items: { type: 'string', format: 'email' }, description: 'Who is emailed about flagged items' },
    slaHours: { type: 'integer', description: 'An unanswered item is overdue after this many hours' },
    createdAt: dateTime,
  },
} as const;

export interface BusinessJson {
  id: string;
  name: string;
  timezone: string;
  alertEmails: string[];
  slaHours: number;
  createdAt: string;
}

export function presentBusiness(business: BusinessRecord): BusinessJson {
  return {
    id: business.id,
    name: business.name,
    timezone: business.timezone,
    alertEmails: business.alertEmails,
    slaHours: business.slaHours,
    createdAt: toIso(business.createdAt),
  };
}
