import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isBackingServiceOutage } from '../runtime/backing-service-outage.ts';
import { validationProblem } from './validation-problem.ts';

/** Every `error.code` the API returns. Clients branch on these; they never change meaning. */
export type ErrorCode =
  | 'validation_failed'
  | 'malformed_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  /** The item's platform has no reply API: reply on the platform, then `respond`. */
  | 'reply_not_supported'
  /** The platform takes replies, but the source lacks the credentials they need; the message says what to add. */
  | 'replies_not_set_up'
  /** An alert channel refused or failed a message sent at the caller's request (its test); the message is the channel's error. */
  | 'channel_failed'
  | 'payload_too_large'
  | 'request_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; field?: string };
}

/** A failure the client can act on, with the status and code it is reported under. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  /** Where in the request the problem is, e.g. `body.alertEmails[0]`. */
  readonly field: string | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: ErrorCode,
    message: string,
    options: { field?: string; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = options.field;
    this.headers = options.headers ?? {};
  }
}

export function invalidInput(field: string, message: string): ApiError {
  return new ApiError(400, 'validation_failed', message, { field });
}

/** Also what another account's ids get: whether they exist is none of the caller's business. */
export function notFound(what: string): ApiError {
  return new ApiError(404, 'not_found', `${what} not found`);
}

export function forbidden(message: string): ApiError {
  return new ApiError(403, 'forbidden', message);
}

/** Errors quote at most this much of what the client sent: enough to recognise it, never a 5,000-character echo. */
const MAX_ECHO = 200;
/** Our own words around a quote; the last line of defence for messages built elsewhere (connectors, features). */
const MAX_MESSAGE = 2 * MAX_ECHO + 200;

function clipEcho(text: string, max = MAX_ECHO): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const PG_UNIQUE_VIOLATION = '23505';
/** PostgreSQL or Redis is away (a restart, a fail-over): the client should simply try again. */
const RETRY_UNAVAILABLE_AFTER_SECONDS = 5;

/** Turns anything thrown into the error body; whatever is not understood becomes an opaque 500. */
function toApiError(error: unknown, requestId: string): ApiError {
  if (error instanceof ApiError) return error;
  const fastifyError = error as Partial<FastifyError> & { code?: unknown };
  if (fastifyError.validation && fastifyError.validationContext) {
    const problem = validationProblem(fastifyError.validationContext, fastifyError.validation);
    return invalidInput(problem.field, problem.message);
  }
  if (isBackingServiceOutage(error)) {
    return new ApiError(503, 'unavailable', `a service Earshot depends on is unreachable; retry in ${RETRY_UNAVAILABLE_AFTER_SECONDS} s`, {
      headers: { 'retry-after': String(RETRY_UNAVAILABLE_AFTER_SECONDS) },
    });
  }
  if (fastifyError.code === PG_UNIQUE_VIOLATION) {
    return new ApiError(409, 'conflict', 'this already exists');
  }
  // Fastify's own 4xx (unparsable JSON, wrong content type, oversized body); their messages may quote the request.
  const status = fastifyError.statusCode;
  const fromFastify = typeof fastifyError.code === 'string' && fastifyError.code.startsWith('FST_');
  if (fromFastify && typeof status === 'number' && status >= 400 && status < 500 && typeof fastifyError.message === 'string') {
    if (status === 413) return new ApiError(413, 'payload_too_large', fastifyError.message);
    if (status === 415) return new ApiError(415, 'unsupported_media_type', 'send the body as application/json');
    return new ApiError(400, 'malformed_request', clipEcho(fastifyError.message));
  }
  // The cause stays in the log; the client gets only an id to quote.
  return new ApiError(500, 'internal', `internal error; quote request id ${requestId} when reporting it`, { cause: error });
}

/** The body every API error is answered with. */
export function errorBodyOf(apiError: ApiError): ErrorBody {
  const body: ErrorBody = { error: { code: apiError.code, message: clipEcho(apiError.message, MAX_MESSAGE) } };
  if (apiError.field !== undefined) body.error.field = clipEcho(apiError.field);
  return body;
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const apiError = toApiError(error, request.id);
  // An outage is logged once, when it starts, by the connection watch; not per request.
  if (apiError.status >= 500 && apiError.code !== 'unavailable') request.log.error({ err: error }, 'request failed');
  return reply.status(apiError.status).headers(apiError.headers).send(errorBodyOf(apiError));
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = request.url.split('?')[0] ?? '';
  const body: ErrorBody = { error: { code: 'not_found', message: `no route ${clipEcho(request.method, 20)} ${clipEcho(path)}` } };
  return reply.status(404).send(body);
}
