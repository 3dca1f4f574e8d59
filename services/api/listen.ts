import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/config.ts';

/** Starts serving on the configured host and port; resolves to the URL it listens on. */
export async function listen(app: FastifyInstance, config: Pick<Config, 'host' | 'port'>): Promise<string> {
  return app.listen({ host: config.host, port: config.port });
}
