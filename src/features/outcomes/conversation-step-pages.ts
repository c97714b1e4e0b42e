import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Actor } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import { type GasLevel, gasLevelChoice } from '../../domain/gas.js';
import { CATEGORY_LABELS } from '../../domain/outcome-frameworks.js';
import { VIEWPOINT_LABELS, type Viewpoint } from '../../domain/ratings.js';
import { CARE_STAFF } from '../../domain/route-access.js';
import { requireActor } from '../../http/request-actor.js';
import { PersonParams } from '../../http/schemas.js';
import { ServiceError } from '../../services/errors.js';
import type { Services } from '../../services/index.js';
import {
  dateFields,
  dateParts,
  type FieldError,
  type FormBody,
  FormBodySchema,
  list,
  renderWithErrors,
  text,
} from '../../web/forms.js';
import type { PersonDetails, RelationshipEntry } from '../people/service.js';
import type { ConversationForm } from './conversation-service.js';
import {
  answerStep,
  draftToInput,
  firstProblemStep,
  MAX_NEW_OUTCOMES,
  nextStep,
  outcomeCount,
  problemsOn,
  removeOutcome,
  STEPS,
  type Step,
  type StepAt,
  stepUrl,
  viewpointsFor,
} from './conversation-steps.js';
import type { ConversationDraft } from './draft-service.js';
import { type ConversationParties, GAS_LEVEL_FIELDS } from './form.js';

const CAPTION = 'Record a first conversation';

const StepParams = Type.Object({
  ...PersonParams.properties,
  step: Type.Union(STEPS.map((s) => Type.Literal(s))),
});
const StepQuery = Type.Object({
  n: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_NEW_OUTCOMES - 1 })),
  return: Type.Optional(Type.Literal('check')),
});

/** Everything a step's page is built from: the person, their carers, the form's framework, the draft. */
interface StepPage {
  person: PersonDetails;
  carers: RelationshipEntry[];
  form: ConversationForm;
  draft: ConversationDraft | null;
  actor: Actor;
}

const gasLevelLabel = (level: string) => gasLevelChoice(Number(level) as GasLevel);

/** Who a `participants` value names, in words. */
function participantName(value: string, page: StepPage): string {
  if (value === 'person') return page.person.name;
  if (value === 'me') return `${page.actor.displayName} (you)`;
  const carer = page.carers.find((c) => `carer:${c.relationshipId}` === value);
  return carer ? `${carer.name} (carer)` : 'A carer no longer in their circle';
}

/** The view-model of one step's page, from the answers shown (the draft, or what was just posted). */
function stepModel(page: StepPage, at: StepAt, answers: FormBody) {
  const { framework } = page.form;
  const n = at.n ?? 0;
  const p = `new-${n}`;
  const carers = page.carers.filter((r) => r.isCarer);
  const viewpoints = viewpointsFor(carers.length > 0);
  const count = outcomeCount(answers);
  const answered = page.draft !== null || Object.keys(answers).length > 0;
  const participants = list(answers, 'participants');
  const domainNames = new Map(framework.domains.map((d) => [d.domainId, d.name]));
  const scale = framework.ratingLabels;
  const statementOf = (k: number) => text(answers, `new-${k}-statement`);
  const ratingItems = (name: string) => [
    ...scale.map((label, i) => ({
      value: String(i + 1),
      text: label,
      checked: text(answers, name) === String(i + 1),
    })),
    { divider: 'or' },
    { value: '', text: 'Not asked at this conversation' },
  ];
  const outcomes = Array.from({ length: count }, (_, k) => {
    const q = `new-${k}`;
    const gasWanted = text(answers, `${q}-gas-wanted`);
    return {
      n: k,
      statement: statementOf(k),
      why: text(answers, `${q}-why`),
      importance: text(answers, `${q}-importance`),
      domains: list(answers, `${q}-domains`).map(
        (id) => domainNames.get(id) ?? 'A domain no longer in the framework',
      ),
      ratings: viewpoints.map((v) => {
        const score = Number(text(answers, `${q}-rating-${v}`));
        return { label: VIEWPOINT_LABELS[v], value: scale[score - 1] ?? 'Not asked' };
      }),
      gas:
        gasWanted === 'yes'
          ? {
              levels: GAS_LEVEL_FIELDS.map(([level, key]) => ({
                label: gasLevelLabel(level),
                value: text(answers, `${q}-gas-${key}`),
              })),
              baseline: gasLevelLabel(text(answers, `${q}-gas-baseline`) === '-2' ? '-2' : '-1'),
              importance: text(answers, `${q}-gas-importance`),
              difficulty: text(answers, `${q}-gas-difficulty`),
            }
          : null,
    };
  });
  const heldOn =
    answers['heldOn[day]'] !== undefined
      ? dateFields(answers, 'heldOn')
      : dateParts(answered ? null : todayIso());
  return {
    n,
    prefix: p,
    count,
    canAddAnother: count < MAX_NEW_OUTCOMES,
    heldOn,
    heldOnText: ['day', 'month', 'year'].every((k) => answers[`heldOn[${k}]`])
      ? `${heldOn.day} ${heldOn.month} ${heldOn.year}`
      : '',
    participantItems: [
      { value: 'person', text: page.person.name, hint: { text: 'The person' } },
      ...carers.map((c) => ({
        value: `carer:${c.relationshipId}`,
        text: c.name,
        hint: { text: `Carer (${c.relationshipType})` },
      })),
      { value: 'me', text: page.actor.displayName, hint: { text: 'You' } },
    ].map((item) => ({
      ...item,
      checked: answered ? participants.includes(item.value) : !item.value.startsWith('carer:'),
    })),
    participantNames: participants.map((v) => participantName(v, page)),
    otherParticipants: text(answers, 'otherParticipants'),
    statement: statementOf(n),
    why: text(answers, `${p}-why`),
    importanceItems: [
      { value: '', text: 'Not said' },
      ...Array.from({ length: 10 }, (_, i) => ({
        value: String(i + 1),
        text: String(i + 1),
        selected: text(answers, `${p}-importance`) === String(i + 1),
      })),
    ],
    domainGroups: Object.entries(CATEGORY_LABELS)
      .map(([category, label]) => ({
        label,
        items: framework.domains
          .filter((d) => d.category === category)
          .map((d) => ({
            value: d.domainId,
            text: d.name,
            hint: { text: d.description },
            checked: list(answers, `${p}-domains`).includes(d.domainId),
          })),
      }))
      .filter((g) => g.items.length),
    ratings: viewpoints.map((v: Viewpoint) => ({
      name: `${p}-rating-${v}`,
      legend:
        v === 'person'
          ? `How far is it achieved now, in ${page.person.preferredName || page.person.givenName}’s view?`
          : v === 'practitioner'
            ? 'How far is it achieved now, in your view?'
            : 'How far is it achieved now, in their carer’s view?',
      items: ratingItems(`${p}-rating-${v}`),
    })),
    gasWanted: text(answers, `${p}-gas-wanted`),
    gasLevels: GAS_LEVEL_FIELDS.map(([level, key]) => ({
      name: `${p}-gas-${key}`,
      value: text(answers, `${p}-gas-${key}`),
      label: gasLevelLabel(level),
    })),
    gasBaselineItems: (['-1', '-2'] as const).map((v) => ({
      value: v,
      text: gasLevelLabel(v),
      checked: text(answers, `${p}-gas-baseline`) === v,
    })),
    gasScoreItems: (name: string) => [
      { value: '', text: 'Not scored' },
      ...[0, 1, 2, 3].map((v) => ({
        value: String(v),
        text: String(v),
        selected: text(answers, `${p}-gas-${name}`) === String(v),
      })),
    ],
    summary: text(answers, 'summary'),
    nextReview: dateFields(answers, 'nextReview'),
    outcomes,
  };
}

const TITLES: Record<Step, (page: StepPage, at: StepAt) => string> = {
  who: () => 'When was the conversation and who took part?',
  outcome: (page, at) =>
    `What matters to ${page.person.preferredName || page.person.givenName}${(at.n ?? 0) > 0 ? ` (${(at.n ?? 0) + 1})` : ''}?`,
  outcomes: (page) => `What matters to ${page.person.preferredName || page.person.givenName}`,
  ratings: () => 'How far is it achieved now?',
  gas: () => 'Do you want to set a goal attainment scale for this?',
  review: () => 'What you talked about, and the next review',
  check: () => 'Check your answers before saving the conversation',
};

/** The stepped first conversation's pages (see conversation-steps.ts): two routes, one a step. */
/** What every step's page is loaded and drawn with. */
function stepKit(services: Services) {
  const { people, conversations, conversationDrafts: drafts } = services;
  const load = async (actor: Actor, personId: string): Promise<StepPage> => {
    const [opened, { person }, carers] = await Promise.all([
      drafts.open(actor, personId),
      people.details(actor, personId),
      people.relationships(actor, personId),
    ]);
    const { draft, ...form } = opened;
    return { person, carers, form, draft, actor };
  };
  const partiesOf = (page: StepPage): ConversationParties => ({
    personName: page.person.name,
    carers: page.carers,
    actor: page.actor,
  });
  const rules = (page: StepPage) => (input: Parameters<typeof conversations.ruleProblems>[1]) =>
    conversations.ruleProblems(page.form.framework, input);

  const render = (
    reply: FastifyReply,
    page: StepPage,
    at: StepAt,
    answers: FormBody,
    toCheck: boolean,
    errors: FieldError[],
    extra: Record<string, unknown> = {},
  ) => {
    const personId = page.person.personId;
    const back =
      toCheck || at.step === 'check'
        ? at.step === 'check'
          ? stepUrl(personId, { step: 'review' })
          : stepUrl(personId, { step: 'check' })
        : previousUrl(personId, at, answers);
    return renderWithErrors(
      reply,
      `conversation-step-${at.step}`,
      {
        pageTitle: TITLES[at.step](page, at),
        caption: CAPTION,
        person: page.person,
        showNav: false,
        step: stepModel(page, at, answers),
        action: stepUrl(personId, at, toCheck),
        backHref: back,
        changeUrl: (step: Step, n?: number) => stepUrl(personId, { step, n }, true),
        stepHref: (step: Step, n?: number) => stepUrl(personId, { step, n }, toCheck),
        draft: page.draft && { draftId: page.draft.draftId, expiresAt: page.draft.expiresAt },
        ...extra,
      },
      errors,
    );
  };
  return { load, partiesOf, rules, render };
}

/**
 * The first question of a first conversation, where the single form used to be
 * (`/people/{id}/conversations/new`): the same page as `/conversations/first/who`, posting there.
 */
export async function firstConversationStart(
  services: Services,
  actor: Actor,
  personId: string,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const { load, render } = stepKit(services);
  const page = await load(actor, personId);
  return render(reply, page, { step: 'who' }, page.draft?.answers ?? {}, false, []);
}

export async function conversationStepPages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { conversationDrafts: drafts } = opts.services;
  const { load, partiesOf, rules, render } = stepKit(opts.services);

  app.get(
    '/people/:personId/conversations/first/:step',
    {
      config: { access: CARE_STAFF, page: true },
      schema: { hide: true, params: StepParams, querystring: StepQuery },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { personId, step } = request.params;
      const toCheck = request.query.return === 'check';
      const page = await load(actor, personId);
      const answers = page.draft?.answers ?? {};
      const count = outcomeCount(answers);
      const at: StepAt = { step, n: request.query.n };
      // Only the first question can be answered without a draft; later ones wait for earlier answers.
      if (step !== 'who' && (!page.draft || (step !== 'outcome' && count === 0)))
        return reply.redirect(stepUrl(personId, { step: page.draft ? 'outcome' : 'who', n: 0 }), 303);
      if (step === 'outcome' && (at.n ?? 0) > count)
        return reply.redirect(stepUrl(personId, { step: 'outcome', n: count }), 303);
      if ((step === 'ratings' || step === 'gas') && (at.n ?? 0) >= count)
        return reply.redirect(stepUrl(personId, { step: 'outcomes' }), 303);
      return render(reply, page, at, answers, toCheck, []);
    },
  );

  app.post(
    '/people/:personId/conversations/first/:step',
    {
      config: { access: CARE_STAFF, page: true },
      schema: { hide: true, params: StepParams, querystring: StepQuery, body: FormBodySchema },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { personId, step } = request.params;
      const toCheck = request.query.return === 'check';
      const body = request.body;
      const at: StepAt = { step, n: request.query.n ?? 0 };
      const page = await load(actor, personId);
      const draft = page.draft?.answers ?? {};
      const count = outcomeCount(draft);

      if (step === 'check') {
        if (text(body, 'action') === 'discard') {
          await drafts.discard(actor, personId);
          return reply.redirect(`/people/${personId}`, 303);
        }
        try {
          await drafts.confirm(
            actor,
            personId,
            text(body, 'draftId'),
            (answers) => draftToInput(answers, partiesOf(page)).input,
          );
        } catch (error) {
          if (error instanceof ServiceError && error.status === 409) {
            return reply.code(409).page('conversation-step-gone', {
              pageTitle: 'This conversation has already been saved',
              person: page.person,
              caption: CAPTION,
              showNav: false,
            });
          }
          if (!(error instanceof ServiceError) || error.status !== 400) throw error;
          // A rule the pages did not catch: shown on the page that holds the answer.
          const where = firstProblemStep(draft, partiesOf(page), rules(page));
          const errors = where
            ? problemsOn(draft, partiesOf(page), rules(page), (s) => s.step === where.step && s.n === where.n)
            : [];
          if (where && errors.length) return render(reply, page, where, draft, true, errors);
          return render(reply, page, { step: 'who' }, draft, true, [
            { field: 'heldOn-day', message: error.message },
          ]);
        }
        return reply.redirect(`/people/${personId}?recorded=first`, 303);
      }

      if (step !== 'who' && !page.draft) return reply.redirect(stepUrl(personId, { step: 'who' }), 303);
      if (step === 'outcomes') {
        const remove = /^remove-(\d+)$/.exec(text(body, 'action'));
        if (remove && Number(remove[1]) < count) {
          await drafts.keep(actor, personId, removeOutcome(draft, Number(remove[1])));
          return reply.redirect(stepUrl(personId, { step: 'outcomes' }), 303);
        }
        if (!count) return reply.redirect(stepUrl(personId, { step: 'outcome', n: 0 }), 303);
        const another = text(body, 'another');
        if (count < MAX_NEW_OUTCOMES && another !== 'yes' && another !== 'no') {
          return render(reply, page, at, draft, toCheck, [
            { field: 'another', message: 'Choose yes if there is anything else that matters to them, or no' },
          ]);
        }
        if (another === 'yes' && count < MAX_NEW_OUTCOMES)
          return reply.redirect(stepUrl(personId, { step: 'outcome', n: count }, toCheck), 303);
        return reply.redirect(
          stepUrl(personId, toCheck ? { step: 'check' } : nextStep(at, draft, false)),
          303,
        );
      }

      if (step === 'outcome' && (at.n ?? 0) > count)
        return reply.redirect(stepUrl(personId, { step: 'outcome', n: count }), 303);
      if ((step === 'ratings' || step === 'gas') && (at.n ?? 0) >= count)
        return reply.redirect(stepUrl(personId, { step: 'outcomes' }), 303);

      const viewpoints = viewpointsFor(page.carers.some((c) => c.isCarer));
      const result = answerStep(draft, body, at, viewpoints, partiesOf(page), rules(page));
      if (result.errors.length) return render(reply, page, at, result.answers, toCheck, result.errors);
      // A new draft starts at the first question: anything left from an earlier one is replaced.
      await drafts.keep(actor, personId, result.answers, !page.draft);
      // An outcome added from check your answers is rated next; a changed answer goes back to the check.
      const added = step === 'outcome' && (at.n ?? 0) >= count;
      const next =
        added && toCheck ? { step: 'ratings' as const, n: at.n } : nextStep(at, result.answers, toCheck);
      if (added && toCheck) return reply.redirect(stepUrl(personId, next, true), 303);
      return reply.redirect(stepUrl(personId, next), 303);
    },
  );
}

/** The page before a step, for its Back link. */
function previousUrl(personId: string, at: StepAt, answers: FormBody): string {
  const n = at.n ?? 0;
  const count = outcomeCount(answers);
  switch (at.step) {
    case 'who':
      return `/people/${personId}`;
    case 'outcome':
      return n === 0 && count === 0
        ? stepUrl(personId, { step: 'who' })
        : stepUrl(personId, { step: 'outcomes' });
    case 'outcomes':
      return stepUrl(personId, { step: 'outcome', n: Math.max(0, count - 1) });
    case 'ratings':
      return n === 0
        ? stepUrl(personId, { step: 'outcomes' })
        : stepUrl(personId, { step: 'ratings', n: n - 1 });
    case 'gas':
      return n === 0
        ? stepUrl(personId, { step: 'ratings', n: Math.max(0, count - 1) })
        : stepUrl(personId, { step: 'gas', n: n - 1 });
    case 'review':
      return stepUrl(personId, { step: 'gas', n: Math.max(0, count - 1) });
    default:
      return stepUrl(personId, { step: 'review' });
  }
}
