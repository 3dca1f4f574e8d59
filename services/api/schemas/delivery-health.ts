import type { UnknownOutcome } from '../../../db/repositories/delivery-health.ts';
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

/** GET /v1/alerts/health: the outbox's health, and the channel sends whose outcome nobody can know. */
export const alertsHealthSchema = {
  ...deliveryHealthSchema,
  required: [...deliveryHealthSchema.required, 'unknown'],
  properties: {
    ...deliveryHealthSchema.properties,
    unknown: {
      type: 'object',
      required: ['count', 'latest'],
      additionalProperties: false,
      description:
        'Channel sends that were made and never answered (a timeout mid-request): the message may or may not have arrived, so Earshot never sends it again by itself. Look in the channel; these do not make the status degraded.',
      properties: {
        count: { type: 'integer', description: 'How many alerts ended with an unknown outcome' },
        latest: {
          type: 'array',
          description: 'The most recent ones (up to 20), newest first',
          items: {
            type: 'object',
            required: ['deliveryId', 'itemId', 'sourceId', 'channelId', 'reason', 'at'],
            additionalProperties: false,
            properties: {
              deliveryId: { type: 'string', format: 'uuid' },
              itemId: { type: ['string', 'null'], format: 'uuid', description: 'The item the alert was about' },
              sourceId: { type: ['string', 'null'], format: 'uuid', description: 'Or the source a notice was about' },
              channelId: { type: ['string', 'null'], format: 'uuid', description: 'The channel it was sent through' },
              reason: { ...nullableString, description: "The channel's name and what happened" },
              at: { type: 'string', format: 'date-time' },
            },
          },
        },
      },
    },
  },
} as const;

export interface AlertsHealthJson extends DeliveryHealthJson {
  unknown: {
    count: number;
    latest: Array<{ deliveryId: string; itemId: string | null; sourceId: string | null; channelId: string | null; reason: string | null; at: string }>;
  };
}

export function presentUnknownOutcomes(unknown: { count: number; latest: UnknownOutcome[] }): AlertsHealthJson['unknown'] {
  return { count: unknown.count, latest: unknown.latest.map((outcome) => ({ ...outcome, at: outcome.at.toISOString() })) };
}
