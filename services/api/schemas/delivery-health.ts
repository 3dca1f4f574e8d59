import type { DeliveryHealth } from '../../alerts/delivery-health.ts';
import { MAIL_STUCK_AFTER_SECONDS } from '../../alerts/delivery-health.ts';
import { nullableDateTime, nullableString, toIso } from './common.ts';

export const deliveryHealthSchema = {
  type: 'object',
  required: ['status', 'waiting', 'failing', 'oldestWaitingSince', 'oldestWaitingSeconds', 'lastError', 'lastErrorAt'],
  additionalProperties: false,
  properties: {
    status: {
      type: 'string',
      enum: ['ok', 'degraded'],
      description: `degraded: an unsent alert's last attempt failed, or the oldest unsent alert is older than ${MAIL_STUCK_AFTER_SECONDS} s. Alerts still wait and are retried; none is dropped.`,
    },
    waiting: { type: 'integer', description: 'Alerts and source notices not sent yet' },
    failing: { type: 'integer', description: 'Of those, how many failed their last attempt' },
    oldestWaitingSince: { ...nullableDateTime, description: 'When the oldest unsent alert was created' },
    oldestWaitingSeconds: { type: ['integer', 'null'], description: 'Its age' },
    lastError: { ...nullableString, description: 'The most recent failure of an unsent alert, as the mail server or network gave it' },
    lastErrorAt: { ...nullableDateTime, description: 'When it happened' },
  },
} as const;

export interface DeliveryHealthJson {
  status: DeliveryHealth['status'];
  waiting: number;
  failing: number;
  oldestWaitingSince: string | null;
  oldestWaitingSeconds: number | null;
  lastError: string | null;
  lastErrorAt: string | null;
}

export function presentDeliveryHealth(health: DeliveryHealth): DeliveryHealthJson {
  return {
    status: health.status,
    waiting: health.waiting,
    failing: health.failing,
    oldestWaitingSince: toIso(health.oldestWaitingSince),
    oldestWaitingSeconds: health.oldestWaitingSeconds,
    lastError: health.lastError,
    lastErrorAt: toIso(health.lastErrorAt),
  };
}
