import { ChannelError } from '../contract.ts';

// Timeouts before anything of the message was sent (nodemailer's timeoutType).
const SETUP_TIMEOUTS = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT']);
// Failures to reach the server at all (nodemailer's code, or the system's under originalCode).
const UNREACHABLE = new Set(['EDNS', 'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETLS']);

interface SmtpFailure {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  timeoutType?: string;
  command?: string;
}

/**
 * What a failed SMTP send means. The server's own answer decides where there is one:
 * 5xx refuses for good (a bad address, relaying denied: the owner must fix something),
 * 4xx asks to come back later. Without an answer, only a failure before the connection
 * was set up proves the message was not taken; a timeout or a dropped connection later
 * (during DATA, say) may come after the server queued it.
 */
export function smtpError(error: unknown): ChannelError {
  if (error instanceof ChannelError) return error;
  const failure = (typeof error === 'object' && error !== null ? error : {}) as SmtpFailure;
  // nodemailer's message holds the server's reply and addresses, never the SMTP password.
  const reason = error instanceof Error ? error.message : String(error);
  const options = { status: failure.responseCode ?? null, cause: error };
  if (failure.code === 'EAUTH') return new ChannelError('config', `email server refused the login: ${reason}`, options);
  if (failure.responseCode !== undefined && failure.responseCode >= 500) return new ChannelError('config', `email server refused the message: ${reason}`, options);
  if (failure.responseCode !== undefined && failure.responseCode >= 400) return new ChannelError('transient', `email server deferred the message: ${reason}`, options);
  if (failure.code === 'EENVELOPE' || failure.code === 'EMESSAGE') return new ChannelError('config', `email not sent: ${reason}`, options);
  const setupTimeout = failure.code === 'ETIMEDOUT' && failure.timeoutType !== undefined && SETUP_TIMEOUTS.has(failure.timeoutType);
  const unreachable = [failure.code, failure.originalCode].some((code) => code !== undefined && UNREACHABLE.has(code));
  if (setupTimeout || unreachable) return new ChannelError('transient', `email server not reached: ${reason}`, options);
  return new ChannelError('unknown_outcome', `email send interrupted: ${reason}; the server may have taken the message`, options);
}
