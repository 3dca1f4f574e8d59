import type { FastifyReply, FastifyRequest } from 'fastify';
import { linkProblem, type LinkState } from '../../services/people/open-sign-in-link.ts';
import { errorPage } from '../web-errors.ts';

/** The token of an invitation or reset link, as its URL carries it. */
export interface TokenParams {
  token: string;
}

export const TOKEN_PARAMS = { type: 'object', properties: { token: { type: 'string', maxLength: 200 } }, required: ['token'] } as const;

/**
 * The page for a link that no longer works: why, and whom to ask. A used or expired
 * link is gone for good (410); one Earshot never signed is simply not found (404).
 */
export function unusableLinkPage(request: FastifyRequest, reply: FastifyReply, state: Exclude<LinkState, { kind: 'usable' }>): FastifyReply {
  const { title, message } = linkProblem(state);
  return errorPage(request, reply, state.kind === 'unknown' ? 404 : 410, title, message);
}
