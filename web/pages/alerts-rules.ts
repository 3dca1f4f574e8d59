import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { findAlertRule } from '../../db/repositories/alert-rules.ts';
import { findBusiness } from '../../db/repositories/businesses.ts';
import { listUsers } from '../../db/repositories/users.ts';
import { listAlertChannelSettings } from '../../db/repositories/alert-channels.ts';
import type { ApiDeps } from '../../services/api/deps.ts';
import type { IdParams } from '../../services/api/schemas/common.ts';
import { findChannel } from '../../services/alerts/channels/registry.ts';
import { addRule, changeRule, removeRule } from '../../services/alerts/rules/rule-changes.ts';
import { InvalidAlertRule } from '../../services/alerts/rules/rule-input.ts';
import type { Person } from '../../services/people/sessions.ts';
import { html } from '../html.ts';
import { csrfField, layout, sendHtml } from '../layout.ts';
import { PageError } from '../page-error.ts';
import { NEW_RULE, readRuleForm, ruleAsText, ruleFields, ruleInput, ruleProblem, type RuleText } from './alerts-rule-form.ts';

/** Adding, changing and deleting a business's alert rules, by the rules /v1/businesses/:id/alert-rules follows. */

const BUSINESS_PAGE = { page: { roles: ['owner'] as const, target: 'business' as const } } as const;
const RULE_PAGE = { page: { roles: ['owner'] as const, target: 'alert_rule' as const } } as const;

/** The people who may hear of the business's items, the account's channels, and when the business's digests go out, as the form shows them. */
async function choices(deps: ApiDeps, person: Person, businessId: string) {
  const [users, channels, business] = await Promise.all([
    listUsers(deps.db, person.accountId),
    listAlertChannelSettings(deps.db, person.accountId),
    findBusiness(deps.db, person, businessId),
  ]);
  if (business === undefined) throw PageError.notFound();
  return {
    business,
    people: users
      .filter((user) => user.businessIds === null || user.businessIds.includes(businessId))
      .map((user) => ({ id: user.id, label: user.displayName === null ? user.email : `${user.displayName} (${user.email})` })),
    channels: channels.map((channel) => ({ id: channel.id, label: `${channel.name} (${findChannel(channel.type)?.displayName ?? channel.type})` })),
  };
}

async function rulePage(
  deps: ApiDeps,
  reply: FastifyReply,
  person: Person,
  form: { title: string; action: string; businessId: string; text: RuleText; problem?: { field: string; text: string } },
): Promise<FastifyReply> {
  const page = layout({
    title: form.title,
    person,
    csrf: person.csrfToken,
    section: 'alerts',
    notice: form.problem && { kind: 'problem', text: form.problem.text },
    body: html`<p><a href="/alerts#business-${form.businessId}">All alerts</a></p>
<h1>${form.title}</h1>
<form method="post" action="${form.action}" class="card">
${csrfField(person.csrfToken)}
${ruleFields(form.text, await choices(deps, person, form.businessId), form.problem?.field)}
<button type="submit">Save rule</button>
</form>`,
  });
  return sendHtml(reply, page, form.problem ? 400 : 200);
}

export function alertRulePages(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: IdParams }>('/alerts/businesses/:id/rules/new', { config: BUSINESS_PAGE, schema: { hide: true } }, async (request, reply) => {
      const person = request.person as Person;
      const business = await findBusiness(deps.db, person, request.params.id);
      if (business === undefined) throw PageError.notFound();
      return rulePage(deps, reply, person, { title: `New alert rule for ${business.name}`, action: `/alerts/businesses/${business.id}/rules`, businessId: business.id, text: NEW_RULE });
    });

    app.post<{ Params: IdParams }>('/alerts/businesses/:id/rules', { config: BUSINESS_PAGE, schema: { hide: true } }, async (request, reply) => {
      const person = request.person as Person;
      const business = await findBusiness(deps.db, person, request.params.id);
      if (business === undefined) throw PageError.notFound();
      const text = readRuleForm(request.body);
      try {
        const added = await addRule(deps.db, person, business.id, ruleInput(text));
        if (added === undefined) throw PageError.notFound();
        return reply.redirect(`/alerts?done=rule-added#business-${business.id}`, 303);
      } catch (error) {
        if (!(error instanceof InvalidAlertRule)) throw error;
        const form = { title: `New alert rule for ${business.name}`, action: `/alerts/businesses/${business.id}/rules`, businessId: business.id, text };
        return rulePage(deps, reply, person, { ...form, problem: ruleProblem(error) });
      }
    });

    app.get<{ Params: IdParams }>('/alerts/rules/:id', { config: RULE_PAGE, schema: { hide: true } }, async (request, reply) => {
      const person = request.person as Person;
      const rule = await findAlertRule(deps.db, person, request.params.id);
      if (rule === undefined) throw PageError.notFound();
      return rulePage(deps, reply, person, { title: `Edit ${rule.name}`, action: `/alerts/rules/${rule.id}`, businessId: rule.businessId, text: ruleAsText(rule) });
    });

    app.post<{ Params: IdParams }>('/alerts/rules/:id', { config: RULE_PAGE, schema: { hide: true } }, async (request, reply) => {
      const person = request.person as Person;
      const rule = await findAlertRule(deps.db, person, request.params.id);
      if (rule === undefined) throw PageError.notFound();
      const text = readRuleForm(request.body);
      try {
        // A name left empty keeps the one the rule has.
        const changed = await changeRule(deps.db, person, rule.id, ruleInput(text));
        if (changed === undefined) throw PageError.notFound();
        return reply.redirect(`/alerts?done=rule-saved#business-${rule.businessId}`, 303);
      } catch (error) {
        if (!(error instanceof InvalidAlertRule)) throw error;
        return rulePage(deps, reply, person, { title: `Edit ${rule.name}`, action: `/alerts/rules/${rule.id}`, businessId: rule.businessId, text, problem: ruleProblem(error) });
      }
    });

    app.post<{ Params: IdParams }>('/alerts/rules/:id/delete', { config: RULE_PAGE, schema: { hide: true } }, async (request, reply) => {
      const person = request.person as Person;
      const rule = await findAlertRule(deps.db, person, request.params.id);
      if (rule === undefined || !(await removeRule(deps.db, person, rule.id))) throw PageError.notFound();
      return reply.redirect(`/alerts?done=rule-deleted#business-${rule.businessId}`, 303);
    });
  };
}
