import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { enforceAccess, requireAccessRule } from './access.ts';
import { authenticate } from './auth.ts';
import type { ApiDeps, AppDeps } from './deps.ts';
import { createResponseFactsCache } from '../response-times/response-facts-cache.ts';
import { errorHandler, notFoundHandler } from './errors.ts';
import { clientErrorHandler, frameworkErrorHandler } from './framework-errors.ts';
import { parseJsonBody } from './json-body.ts';
import { openapiOptions } from './openapi-options.ts';
import { alertRuleRoutes } from './routes/alert-rules.ts';
import { alertsHealthRoutes } from './routes/alerts-health.ts';
import { businessSettingsRoutes } from './routes/business-settings.ts';
import { businessRoutes } from './routes/businesses.ts';
import { channelRoutes } from './routes/channels.ts';
import { healthRoutes } from './routes/health.ts';
import { itemRoutes } from './routes/items.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { keyRoutes } from './routes/keys.ts';
import { accountRoutes } from './routes/account.ts';
import { openapiRoute } from './routes/openapi.ts';
import { latencyMetricsRoutes } from './routes/latency-metrics.ts';
import { reReviewMetricsRoutes } from './routes/re-review-metrics.ts';
import { replyRoutes } from './routes/replies.ts';
import { replyTemplateRoutes } from './routes/reply-templates.ts';
import { sourceTypeRoutes } from './routes/source-types.ts';
import { sourceRoutes } from './routes/sources.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { trustpilotWebhookRoutes } from './routes/trustpilot-webhooks.ts';
import { addRateLimitPerKey } from './rate-limit.ts';
import { ajvOptions, partAwareValidators } from './request-validation.ts';
import { sharedSchemas } from './schemas/index.ts';
import { refuseUnstorableText } from './unstorable-text.ts';
import { webApp } from '../../web/web-app.ts';
import { errorPage, wantsPage } from '../../web/web-errors.ts';

export type { ApiDeps } from './deps.ts';

function loggerOptions(deps: ApiDeps): Pick<FastifyServerOptions, 'logger' | 'loggerInstance'> {
  if (deps.logger === false) return { logger: false };
  if (deps.logger !== undefined) return { loggerInstance: deps.logger };
  return { logger: { level: deps.config.logLevel } };
}

/** The HTTP API, fully registered and ready to `listen` on or `inject` into. */
export async function buildApp(given: ApiDeps): Promise<FastifyInstance> {
  const deps: AppDeps = { ...given, responseFacts: given.responseFacts ?? createResponseFactsCache() };
  const app = Fastify({
    ...loggerOptions(deps),
    // Ids that mean something across processes, for quoting in bug reports.
    genReqId: () => randomUUID(),
    ajv: ajvOptions,
    schemaController: { compilersFactory: { buildValidator: partAwareValidators() } },
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
  });

  app.decorateRequest('auth', null);
  app.decorateRequest('person', null);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) =>
    wantsPage(request) ? errorPage(request, reply, 404, 'Not found', 'There is no page at this address.') : notFoundHandler(request, reply),
  );
  app.addHook('preValidation', refuseUnstorableText);
  // Every JSON body, unknown routes' included, is checked for UTF-8 and depth before anything walks it.
  // The webhook replaces this parser with its own: it verifies a signature over the raw bytes, then decodes them with decodeJsonText after its own depth check, which names the item.
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body: Buffer, done) => {
    try {
      done(null, parseJsonBody(body));
    } catch (error) {
      done(error as Error);
    }
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  for (const schema of sharedSchemas) app.addSchema(schema);

  await app.register(swagger, openapiOptions);

  await app.register(healthRoutes(deps));
  await app.register(openapiRoute);
  // A browsable view of the same document; its assets ship in the package, so it works offline.
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  await app.register(webhookRoutes(deps));
  await app.register(trustpilotWebhookRoutes(deps));
  await app.register(async (v1) => {
    v1.addHook('onRoute', requireAccessRule);
    v1.addHook('onRequest', authenticate(deps.db));
    addRateLimitPerKey(v1, { ...deps.queues, perMinute: deps.config.apiRateLimitPerMinute }, app.log);
    v1.addHook('onRequest', enforceAccess(deps.db));
    await v1.register(businessRoutes(deps));
    await v1.register(businessSettingsRoutes(deps));
    await v1.register(replyTemplateRoutes(deps));
    await v1.register(sourceRoutes(deps));
    await v1.register(sourceTypeRoutes);
    await v1.register(itemRoutes(deps));
    await v1.register(replyRoutes(deps));
    await v1.register(metricsRoutes(deps));
    await v1.register(reReviewMetricsRoutes(deps));
    await v1.register(latencyMetricsRoutes(deps));
    await v1.register(keyRoutes(deps));
    await v1.register(accountRoutes(deps));
    await v1.register(alertsHealthRoutes(deps));
    await v1.register(channelRoutes(deps));
    await v1.register(alertRuleRoutes(deps));
  });
  await app.register(webApp(deps));

  await app.ready();
  return app;
}
