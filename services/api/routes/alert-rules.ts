import type { FastifyPluginAsync } from 'fastify';
import { addRule, changeRule, listRules, removeRule } from '../../alerts/rules/rule-changes.ts';
import { InvalidAlertRule, type AlertRuleChange, type AlertRuleInput } from '../../alerts/rules/rule-input.ts';
import { OWNER_ONLY, type AccessRule } from '../access.ts';
import { authOf } from '../auth.ts';
import type { ApiDeps } from '../deps.ts';
import { invalidInput, notFound } from '../errors.ts';
import { alertRuleList, alertRuleSchema, createAlertRuleBody, presentAlertRule, updateAlertRuleBody, type AlertRuleJson } from '../schemas/alert-rule.ts';
import { idParams, isUuid, noQuery, type IdParams } from '../schemas/common.ts';
import { errorResponses } from '../schemas/error.ts';

/** A business's rules are its owners' to see and change, keys limited to the business included. */
const BUSINESS_RULES: AccessRule = { roles: OWNER_ONLY, target: 'business' };
const ONE_RULE: AccessRule = { roles: OWNER_ONLY, target: 'alert_rule' };

/** A rule refused by its rules (services/alerts/rules), as a 400 naming the request field. */
async function asInvalidInput<T>(change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (error) {
    if (error instanceof InvalidAlertRule) throw invalidInput(`body.${error.field}`, `body.${error.field} ${error.problem}`);
    throw error;
  }
}

export function alertRuleRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Params: IdParams; Body: AlertRuleInput; Reply: AlertRuleJson }>(
      '/v1/businesses/:id/alert-rules',
      {
        config: { access: BUSINESS_RULES },
        schema: {
          summary: 'Add an alert rule: which items, told to whom, how',
          description: 'Applies to items judged from now on. An item matched by several rules naming the same address or channel is sent once.',
          tags: ['alert rules'],
          querystring: noQuery,
          params: idParams,
          body: createAlertRuleBody,
          response: { 201: { ...alertRuleSchema, description: 'The new rule' }, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const added = isUuid(id) ? await asInvalidInput(() => addRule(deps.db, authOf(request), id, request.body)) : undefined;
        if (added === undefined) throw notFound('business');
        return reply.status(201).send(presentAlertRule(added));
      },
    );

    app.get<{ Params: IdParams; Reply: { rules: AlertRuleJson[] } }>(
      '/v1/businesses/:id/alert-rules',
      {
        config: { access: BUSINESS_RULES },
        schema: {
          summary: "List a business's alert rules, oldest first",
          tags: ['alert rules'],
          querystring: noQuery,
          params: idParams,
          response: { 200: alertRuleList, ...errorResponses(401, 403, 404) },
        },
      },
      async (request) => {
        const { id } = request.params;
        const rules = isUuid(id) ? await listRules(deps.db, authOf(request), id) : undefined;
        if (rules === undefined) throw notFound('business');
        return { rules: rules.map(presentAlertRule) };
      },
    );

    app.patch<{ Params: IdParams; Body: AlertRuleChange; Reply: AlertRuleJson }>(
      '/v1/alert-rules/:id',
      {
        config: { access: ONE_RULE },
        schema: {
          summary: 'Change an alert rule',
          description: 'Only the fields sent change; `when` sent replaces every condition. Applies to items judged from now on.',
          tags: ['alert rules'],
          querystring: noQuery,
          params: idParams,
          body: updateAlertRuleBody,
          response: { 200: { ...alertRuleSchema, description: 'The rule as changed' }, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const { id } = request.params;
        const changed = isUuid(id) ? await asInvalidInput(() => changeRule(deps.db, authOf(request), id, request.body)) : undefined;
        if (changed === undefined) throw notFound('alert_rule');
        return presentAlertRule(changed);
      },
    );

    app.delete<{ Params: IdParams }>(
      '/v1/alert-rules/:id',
      {
        config: { access: ONE_RULE },
        schema: {
          summary: 'Delete an alert rule',
          description: 'Deleting the default rule stops the alert addresses hearing of flagged items at once, unless another rule names them.',
          tags: ['alert rules'],
          querystring: noQuery,
          params: idParams,
          response: { 204: { description: 'Deleted', type: 'null' }, ...errorResponses(401, 403, 404) },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const removed = isUuid(id) && (await removeRule(deps.db, authOf(request), id));
        if (!removed) throw notFound('alert_rule');
        return reply.status(204).send();
      },
    );
  };
}
