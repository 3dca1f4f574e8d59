import type { FastifyPluginAsync } from 'fastify';

/** The OpenAPI document generated from the route schemas, so it cannot drift from what is served. */
export const openapiRoute: FastifyPluginAsync = async (app) => {
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
};
