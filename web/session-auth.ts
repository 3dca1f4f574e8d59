import type { FastifyReply, onRequestAsyncHookHandler } from 'fastify';
import type { Db } from '../db/database.ts';
import { personOfSession, type SessionLimits } from '../services/people/sessions.ts';
import { readCookie, serializeCookie } from './cookies.ts';

export const SESSION_COOKIE = 'earshot_session';

/** Puts the signed-in person, if any, on the request; a dead session's cookie is cleared. */
export function loadPerson(db: Db, limits: SessionLimits, secureCookies: boolean): onRequestAsyncHookHandler {
  return async (request, reply) => {
    const token = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (token === undefined) return;
    const person = await personOfSession(db, token, limits);
    if (person === undefined) clearSessionCookie(reply, secureCookies);
    request.person = person ?? null;
  };
}

export function setSessionCookie(reply: FastifyReply, token: string, limits: SessionLimits, secureCookies: boolean): void {
  reply.header('set-cookie', serializeCookie(SESSION_COOKIE, token, { maxAge: limits.maxDays * 86_400, secure: secureCookies }));
}

export function clearSessionCookie(reply: FastifyReply, secureCookies: boolean): void {
  reply.header('set-cookie', serializeCookie(SESSION_COOKIE, '', { maxAge: 0, secure: secureCookies }));
}
