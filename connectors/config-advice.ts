import { ConnectorError } from './contract.ts';

/**
 * Adds what the owner should do to a 'config' failure the platform answered with a
 * status (a refused permission, a review that is gone): the message is shown as is.
 */
export async function withAdvice<T>(call: Promise<T>, advice: (status: number) => string | null): Promise<T> {
  try {
    return await call;
  } catch (error) {
    const words = error instanceof ConnectorError && error.kind === 'config' && error.status !== null ? advice(error.status) : null;
    if (words === null) throw error;
    throw new ConnectorError('config', `${(error as ConnectorError).message}; ${words}`, { status: (error as ConnectorError).status, cause: error });
  }
}
