import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../services/api/deps.ts';
import { assetRoutes } from './assets.ts';
import { requireSameOriginForm } from './csrf.ts';
import { FORM_BODY_LIMIT, parseFormBody } from './form-body.ts';
import { enforcePageAccess, requirePageRule } from './page-access.ts';
import { signInRoutes } from './pages/sign-in.ts';
import { peoplePages } from './pages/people.ts';
import { sourcePages } from './pages/sources.ts';
import { businessPages } from './pages/businesses.ts';
import { reportRoutes } from './pages/reports.ts';
import { inboxRoutes } from './pages/inbox.ts';
import { alertPages } from './pages/alerts.ts';
import { loadPerson } from './session-auth.ts';
import { secureCookies, signInLimits } from './web-context.ts';
import { webErrorHandler } from './web-errors.ts';

/**
 * The web app people sign in to, served at `/` beside the API. Pages are rendered
 * on the server from the same domain functions the API routes call; forms post
 * back here (urlencoded), and a few small scripts under /assets add keyboard
 * shortcuts and live rows. No build step.
 */
export function webApp(deps: AppDeps): FastifyPluginAsync {
  return async (web) => {
    web.addHook('onRoute', requirePageRule);
    web.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT }, (_request, body, done) => {
      done(null, parseFormBody(body as string));
    });
    web.setErrorHandler(webErrorHandler);
    web.addHook('onRequest', loadPerson(deps.db, signInLimits(deps.config), secureCookies(deps.config)));
    web.addHook('onRequest', enforcePageAccess(deps.db));
    web.addHook('preHandler', requireSameOriginForm(deps.config.publicUrl));

    await web.register(assetRoutes);
    await web.register(signInRoutes(deps));
    await web.register(peoplePages(deps));
    await web.register(sourcePages(deps));
    await web.register(businessPages(deps));
    await web.register(reportRoutes(deps));
    await web.register(inboxRoutes(deps));
    await web.register(alertPages(deps));
  };
}
