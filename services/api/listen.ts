import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/config.ts';
import { StartupError } from '../runtime/startup-error.ts';

/** Starts serving on the configured host and port; resolves to the URL it listens on. */
export async function listen(app: FastifyInstance, config: Pick<Config, 'host' | 'port'>): Promise<string> {
  try {
    return await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    throw explainListenError(error, config) ?? error;
  }
}

function explainListenError(error: unknown, { host, port }: Pick<Config, 'host' | 'port'>): StartupError | undefined {
  const code = (error as { code?: unknown }).code;
  const where = `${host}:${port}`;
  if (code === 'EADDRINUSE') {
    return new StartupError(`the API cannot listen on ${where}: the port is already in use (another Earshot?); stop that program or set PORT to a free port`, { cause: error });
  }
  if (code === 'EACCES') {
    return new StartupError(`the API is not allowed to listen on ${where}: use a port above 1023 (PORT) or run with the right to bind it`, { cause: error });
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new StartupError(`the API cannot listen on ${where}: HOST is not an address of this machine; check HOST (0.0.0.0 listens on all)`, { cause: error });
  }
  return undefined;
}
