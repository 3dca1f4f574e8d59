import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ItemDetailRecord } from '../../db/repositories/item-queries.ts';
import type { ReReviewChannel } from '../../db/schema.ts';
import type { ApiDeps } from '../../services/api/deps.ts';
import { isUuid } from '../../services/api/schemas/common.ts';
import {
  addItemNote,
  AnswerBeforePublication,
  AnswerInTheFuture,
  assignItem,
  ItemTransitionRefused,
  reopenItem,
  resolveItem,
  respondToItem,
  UnknownAssignee,
} from '../../services/inbox/item-workflow.ts';
import { askForReReview } from '../../services/inbox/re-review-request.ts';
import type { Person } from '../../services/people/sessions.ts';
import type { OpeningClocks } from '../../services/response-times/opening-clock.ts';
import { wallTimeToInstant } from '../../services/response-times/zone-offset.ts';
import { field } from '../form-body.ts';
import { PageError } from '../page-error.ts';
import { loadItemPage, sendItemPage } from './item-page.ts';
import { dateTimeWords } from './inbox-words.ts';
import { RE_REVIEW_CHANNELS, type ItemActionName } from './item-view.ts';

const TEXT_MAX = 5000;
const DATETIME_LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** A refusal the person can fix: shown above the form they sent, with what they typed. */
class ActionRefused extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** A datetime-local value read on the business's wall clock (the person is told whose time it is). */
function wallClockInstant(value: string, timeZone: string): Date {
  const match = DATETIME_LOCAL.exec(value);
  if (match === null) throw new ActionRefused(400, 'When it really happened: enter a date and a time, or leave it empty.');
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) throw new ActionRefused(400, 'When it really happened: that date does not exist.');
  return new Date(wallTimeToInstant(timeZone, wall));
}

function optionalText(form: unknown, name: string, label: string): string | undefined {
  const value = field(form, name).trim();
  if (value.length > TEXT_MAX) throw new ActionRefused(400, `${label}: at most ${TEXT_MAX} characters.`);
  return value === '' ? undefined : value;
}

function requiredText(form: unknown, name: string, label: string, missing: string): string {
  const value = optionalText(form, name, label);
  if (value === undefined) throw new ActionRefused(400, `${label}: ${missing}`);
  return value;
}

/** The inbox's refusals in the person's words, naming the field or the state that stood in the way. */
function refusalWords(error: unknown, timeZone: string): ActionRefused | undefined {
  if (error instanceof ActionRefused) return error;
  if (error instanceof AnswerInTheFuture) return new ActionRefused(400, 'When it really happened: that time has not come yet.');
  if (error instanceof AnswerBeforePublication) {
    return new ActionRefused(400, `When it really happened: that is before the review was published (${dateTimeWords(error.publishedAt, timeZone)}).`);
  }
  if (error instanceof ItemTransitionRefused) {
    return new ActionRefused(409, error.action === 'reopen' ? `Only a resolved item can be reopened; this one is ${error.status}.` : `This item is ${error.status}: ${error.message}.`);
  }
  if (error instanceof UnknownAssignee) return new ActionRefused(400, 'Give it to: choose a person from the list (an owner or staff member who can see this business).');
  return undefined;
}

interface ActionContext {
  db: ApiDeps['db'];
  person: Person;
  itemId: string;
  form: unknown;
  /** The business's zone: a typed time is read on its clock. */
  timeZone: string;
}

/** What an action did: false when the item left the person's scope meanwhile; `done` names the confirmation. */
type Act = (context: ActionContext) => Promise<{ found: boolean; done: string }>;

const found = (item: ItemDetailRecord | undefined, done: string) => ({ found: item !== undefined, done });

/**
 * Every action of the item page, done by the same inbox functions as the API, with the
 * person's name (their email when they have none) as the timeline's actor.
 */
const ACTIONS: Record<ItemActionName, Act> = {
  async respond({ db, person, itemId, form, timeZone }) {
    const typedAt = field(form, 'at').trim();
    const at = typedAt === '' ? undefined : wallClockInstant(typedAt, timeZone);
    const note = optionalText(form, 'note', 'Note');
    return found(await respondToItem(db, person, itemId, { actor: person.actor, note, at }), 'respond');
  },
  async resolve({ db, person, itemId, form }) {
    const note = optionalText(form, 'note', 'What fixed it');
    return found(await resolveItem(db, person, itemId, { actor: person.actor, note }), 'resolve');
  },
  async reopen({ db, person, itemId, form }) {
    const reason = requiredText(form, 'reason', 'Why the fix did not hold', 'say what went wrong again.');
    return found(await reopenItem(db, person, itemId, { actor: person.actor, reason }), 'reopen');
  },
  async assign({ db, person, itemId, form }) {
    const to = field(form, 'to').trim();
    if (to !== '' && !isUuid(to)) throw new ActionRefused(400, 'Give it to: choose a person from the list.');
    const item = await assignItem(db, person, itemId, { actor: person.actor, to: to === '' ? null : { id: to.toLowerCase() } });
    return found(item, to === '' ? 'unassign' : 'assign');
  },
  async note({ db, person, itemId, form }) {
    const text = requiredText(form, 'text', 'Note', 'write something to keep.');
    return found(await addItemNote(db, person, itemId, { actor: person.actor, text }), 'note');
  },
  async 're-review'({ db, person, itemId, form, timeZone }) {
    const channel = field(form, 'channel');
    if (!RE_REVIEW_CHANNELS.some((option) => option.value === channel)) throw new ActionRefused(400, 'How you asked: choose one from the list.');
    const note = optionalText(form, 'note', 'Note');
    const outcome = await askForReReview(db, person, itemId, { channel: channel as ReReviewChannel, note, actor: person.actor });
    if (outcome !== undefined && 'refused' in outcome) {
      throw new ActionRefused(
        409,
        outcome.refused === 'not_resolved'
          ? `Ask for a re-review after the fix: resolve the item first (it is ${outcome.status}).`
          : `A re-review request is already waiting for the customer since ${dateTimeWords(outcome.since, timeZone)}.`,
      );
    }
    return { found: outcome !== undefined, done: 're-review' };
  },
};

const ACTION_NAMES = Object.keys(ACTIONS) as ItemActionName[];

/** Every field of the form as typed (the token left out), to refill it after a refusal. */
function typedFields(form: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const name of Object.keys((form as Record<string, unknown> | undefined) ?? {})) if (name !== '_csrf') fields[name] = field(form, name);
  return fields;
}

/**
 * POST /items/:id/<action>: owners and staff only (a consultant's post is the 403 page),
 * the item in the person's scope (else the 404 page). Done: back to the item with a
 * confirmation. Refused: the item page again, the problem above it, the form as typed.
 */
export function itemActionRoutes(deps: ApiDeps, clocks: OpeningClocks): FastifyPluginAsync {
  return async (app) => {
    for (const action of ACTION_NAMES) {
      app.post<{ Params: { id: string } }>(
        `/items/:id/${action}`,
        { config: { page: { roles: ['owner', 'staff'], target: 'item' } }, schema: { hide: true } },
        async (request, reply): Promise<FastifyReply> => {
          const person = request.person!;
          const itemId = request.params.id;
          const before = await loadItemPage(deps, person, itemId, clocks);
          const timeZone = before.business.timezone;
          try {
            const outcome = await ACTIONS[action]({ db: deps.db, person, itemId, form: request.body, timeZone });
            if (!outcome.found) throw PageError.notFound();
            return reply.redirect(`/items/${itemId}?done=${outcome.done}`, 303);
          } catch (error) {
            const refusal = refusalWords(error, timeZone);
            if (refusal === undefined) throw error;
            const now = await loadItemPage(deps, person, itemId, clocks);
            return sendItemPage(reply, person, now, {
              notice: { kind: 'problem', text: refusal.message },
              typed: { action, fields: typedFields(request.body) },
              status: refusal.status,
            });
          }
        },
      );
    }
  };
}
