import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Role } from '../../db/schema.ts';
import type { AppDeps } from '../../services/api/deps.ts';
import { responseTimesCsv } from '../../services/response-times/response-times-csv.ts';
import { listBusinesses } from '../../db/repositories/businesses.ts';
import type { Person } from '../../services/people/sessions.ts';
import { layout, sendHtml } from '../layout.ts';
import { PageError } from '../page-error.ts';
import { loadReport, periodGrouping, reportFigures } from './reports-data.ts';
import { readReportForm, reportQuerySchema, type ReadReport, type ReportQuerystring } from './reports-query.ts';
import { reportsBody } from './reports-view.ts';

/** Reports read every business in scope and change nothing: owners and consultants, as the page list says. */
const REPORT_ROLES: readonly Role[] = ['owner', 'consultant'];

type ReportRequestOf = FastifyRequest<{ Querystring: ReportQuerystring }>;

/** Every report route runs behind the page-access hook, which has already turned away anyone not signed in. */
function personOf(request: FastifyRequest): Person {
  if (request.person === null) throw new PageError(401, 'Please sign in', 'Sign in to see reports.');
  return request.person;
}

type CheckedReport = Exclude<ReadReport, { kind: 'unknown_business' }>;

/** Who asks, when, and their filters checked; a business they cannot see is the 404 page, on the page and the CSV alike. */
function readRequest(request: ReportRequestOf): { person: Person; now: Date; read: CheckedReport } {
  const person = personOf(request);
  const now = new Date();
  const read = readReportForm(request.query, now);
  if (read.kind === 'unknown_business') throw PageError.notFound();
  return { person, now, read };
}

export function reportRoutes(deps: AppDeps): FastifyPluginAsync {
  const facts = deps.responseFacts;
  return async (app) => {
    app.get<{ Querystring: ReportQuerystring }>(
      '/reports',
      { config: { page: { roles: REPORT_ROLES } }, schema: { hide: true, querystring: reportQuerySchema } },
      async (request: ReportRequestOf, reply) => {
        const { person, now, read } = readRequest(request);
        const page = (body: ReturnType<typeof reportsBody>) =>
          layout({ title: 'Reports', person, csrf: person.csrfToken, section: 'reports', body });
        if (read.kind === 'invalid') {
          const choices = (await listBusinesses(deps.db, person)).map((business) => ({ id: business.id, name: business.name }));
          return sendHtml(reply, page(reportsBody({ form: read.form, choices, problem: read.problem })), 400);
        }
        const data = await loadReport(deps.db, facts, person, read.request, now);
        if (data === undefined) throw PageError.notFound();
        return sendHtml(reply, page(reportsBody({ form: read.form, choices: data.choices, data, groupBy: read.request.groupBy })));
      },
    );

    app.get<{ Querystring: ReportQuerystring }>(
      '/reports/response-times.csv',
      { config: { page: { roles: REPORT_ROLES } }, schema: { hide: true, querystring: reportQuerySchema } },
      async (request: ReportRequestOf, reply) => {
        const { person, now, read } = readRequest(request);
        if (read.kind === 'invalid') throw new PageError(400, 'Something in the report’s filters is not right', read.problem.message);
        const groupBy = periodGrouping(read.request);
        const figures = await reportFigures(deps.db, facts, person, read.request, groupBy, now);
        if (figures === undefined) throw PageError.notFound();
        return reply
          .type('text/csv; charset=utf-8')
          .header('cache-control', 'no-store')
          .header('x-content-type-options', 'nosniff')
          .header('content-disposition', `attachment; filename="earshot-response-times-${read.form.from}-${read.form.to}.csv"`)
          .header('x-unrepliable-items', String(figures.unrepliable.items))
          .send(responseTimesCsv(figures.groups, groupBy));
      },
    );
  };
}
