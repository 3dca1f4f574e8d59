/**
 * Something the person starting Earshot must fix before it can run: a service it
 * cannot reach, a refused password, a port already taken. The message is one line that
 * says what is wrong and what to check; `earshot start` prints it instead of a stack trace.
 */
export class StartupError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'StartupError';
  }
}
