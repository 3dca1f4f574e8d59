import { ConnectorError } from './contract.ts';

/** Reading platform JSON, where every field may be missing or of the wrong type. */

const MAX_KEPT_PAYLOAD_CHARS = 64 * 1024;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export function dateOrNull(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A page the connector cannot read; the whole body is kept so the owner can see what came. */
export function badPayload(message: string, body: unknown): ConnectorError {
  return new ConnectorError('bad_payload', message, { payload: JSON.stringify(body).slice(0, MAX_KEPT_PAYLOAD_CHARS) });
}
