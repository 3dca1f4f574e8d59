import { ApiError } from './errors.ts';

/** Deeper than any body this API takes; deeper still only costs stack and time in every later walk. */
export const MAX_JSON_DEPTH = 32;

// fatal: a byte sequence that is not UTF-8 throws instead of becoming U+FFFD and garbling the text.
const utf8 = new TextDecoder('utf-8', { fatal: true });

function malformed(message: string): ApiError {
  return new ApiError(400, 'malformed_request', message);
}

/** How deeply arrays and objects nest in JSON text, counted without parsing it. */
function jsonNestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c) index++; // backslash: the next character is escaped
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (char === 0x7d || char === 0x5d) depth--;
  }
  return deepest;
}

/**
 * The text of a JSON body, UTF-8 whatever charset the request claims (JSON is UTF-8,
 * RFC 8259). The webhook, which parses its signed bytes itself and checks their depth
 * naming the item, uses this alone.
 */
export function decodeJsonText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw malformed('the body is not valid UTF-8; send JSON encoded as UTF-8');
  }
}

/** The text of a JSON body, UTF-8 and nested at most MAX_JSON_DEPTH levels. */
function readJsonText(bytes: Uint8Array): string {
  const text = decodeJsonText(bytes);
  if (jsonNestingDepth(text) > MAX_JSON_DEPTH) throw malformed(`the body nests deeper than ${MAX_JSON_DEPTH} levels of arrays and objects`);
  return text;
}

/** Keys that would reach an object's prototype when a body is later merged into another object. */
function refusePrototypeKeys(key: string, value: unknown): unknown {
  if (key === '__proto__' || (key === 'constructor' && value !== null && typeof value === 'object' && Object.hasOwn(value, 'prototype'))) {
    throw malformed(`the body uses the reserved name "${key}"`);
  }
  return value;
}

/** A JSON request body as a value, or a 400 `malformed_request` saying what is wrong with it. */
export function parseJsonBody(bytes: Uint8Array): unknown {
  const text = readJsonText(bytes);
  if (text.trim() === '') throw malformed('the body is empty; send JSON, or leave out the Content-Type header');
  try {
    return JSON.parse(text, refusePrototypeKeys);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    // The parser's own message quotes the body; the client already has it.
    throw malformed('the body is not valid JSON');
  }
}
