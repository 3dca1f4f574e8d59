import type { ErrorCode } from '../errors.ts';

const ERROR_CODES: readonly ErrorCode[] = [
  'validation_failed',
  'malformed_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'reply_not_supported',
  'replies_not_set_up',
  'channel_failed',
  'payload_too_large',
  'request_too_large',
  'unsupported_media_type',
  'rate_limited',
  'unavailable',
  'internal',
];

export const errorSchema = {
  $id: 'Error',
  type: 'object',
  required: ['error'],
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: false,
      properties: {
        code: { type: 'string', enum: ERROR_CODES, description: 'Stable; branch on this, not on the message.' },
        message: { type: 'string', description: 'For people; may change.' },
        field: { type: 'string', description: 'The offending part of the request, e.g. `body.alertEmails[0]` or `query.limit`.' },
      },
    },
  },
} as const;

const DESCRIPTIONS = {
  400: 'Invalid input; `error.field` names the offending field',
  401: 'Missing, unknown or revoked API key',
  403: 'The API key\'s role does not allow this',
  404: 'Not found, or not visible to this API key',
  409: 'The request conflicts with the current state of the resource',
  413: 'The body is larger than this route accepts',
  429: 'This API key made too many requests this minute; retry after `Retry-After` seconds',
  500: 'Internal error; details are logged, never returned',
  502: 'A third party Earshot sent to on the caller\'s behalf refused or failed (`channel_failed`); `error.message` is its error',
  503: 'PostgreSQL or Redis is unreachable for the moment (`unavailable`); retry after `Retry-After` seconds',
} as const;

type ErrorStatus = keyof typeof DESCRIPTIONS;

/** Response schemas for the error statuses a route can answer with (500 and 503 are always included). */
export function errorResponses(...statuses: ErrorStatus[]): Record<number, { $ref: string; description: string }> {
  const responses: Record<number, { $ref: string; description: string }> = {};
  for (const status of [...statuses, 500 as const, 503 as const]) responses[status] = { $ref: 'Error#', description: DESCRIPTIONS[status] };
  return responses;
}
