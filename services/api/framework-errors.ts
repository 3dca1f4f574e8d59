import http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, errorHandler, type ErrorBody } from './errors.ts';

/**
 * Errors Fastify finds before a route is chosen, in the API's one error shape
 * (its own shape quoted the whole path back).
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return errorHandler(new ApiError(414, 'request_too_large', 'a part of the URL path is longer than 100 characters; no id is that long'), request, reply);
  }
  if (error.code === 'FST_ERR_BAD_URL') {
    return errorHandler(new ApiError(400, 'malformed_request', 'the URL path is not valid: a %-escape does not decode to UTF-8 text'), request, reply);
  }
  return errorHandler(error, request, reply);
}

const CLIENT_ERRORS: Record<string, { status: number; body: ErrorBody }> = {
  HPE_HEADER_OVERFLOW: { status: 431, body: { error: { code: 'request_too_large', message: 'the request headers are too large' } } },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, body: { error: { code: 'malformed_request', message: 'the request did not arrive in time' } } },
};
const NOT_HTTP = { status: 400, body: { error: { code: 'malformed_request', message: 'the request is not valid HTTP' } } } satisfies { status: number; body: ErrorBody };

/**
 * Node's `clientError`: requests so broken (oversized headers, bad HTTP) that no
 * request object exists. Answered on the socket in the same shape, then closed.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  // A reset connection has no one left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const { status, body } = CLIENT_ERRORS[error.code ?? ''] ?? NOT_HTTP;
    const text = JSON.stringify(body);
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy(error);
}
