import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TYPES: Record<string, string> = { '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.png': 'image/png', '.svg': 'image/svg+xml' };

/** The web app's own stylesheet and scripts, read once at start: no build step, nothing fetched from elsewhere. */
export const assetRoutes: FastifyPluginAsync = async (app) => {
  const directory = path.join(HERE, 'assets');
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const name of readdirSync(directory)) {
    const type = TYPES[path.extname(name)];
    if (type !== undefined) files.set(name, { body: readFileSync(path.join(directory, name)), type });
  }
  app.get<{ Params: { name: string } }>(
    '/assets/:name',
    {
      config: { page: { public: true } },
      schema: { hide: true, params: { type: 'object', properties: { name: { type: 'string', maxLength: 100 } }, required: ['name'] } },
    },
    async (request, reply) => {
      const file = files.get(request.params.name);
      if (file === undefined) return reply.status(404).type('text/plain; charset=utf-8').send('no such asset');
      return reply.header('content-type', file.type).header('cache-control', 'public, max-age=300').header('x-content-type-options', 'nosniff').send(file.body);
    },
  );
};
