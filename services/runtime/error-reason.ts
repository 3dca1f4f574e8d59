/** A short reason for a one-line message: the socket error code, or the message's first line. */
export function shortReason(error: Error): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  return error.message.split('\n')[0] || error.name;
}
