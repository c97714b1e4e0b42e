import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import {
  CONVERSATION_KINDS,
  type ConversationKind,
  isConversationKind,
  OUTCOME_STATUS_LABELS,
  OUTCOME_STATUSES,
  type OutcomeStatus,
} from '../../domain/conversations.js';
import {
  GAS_LEVEL_LABELS,
  GAS_LEVELS,
  type GasLevel,
  gasLevelChoice,
  gasLevelText,
} from '../../domain/gas.js';
import { CATEGORY_LABELS } from '../../domain/outcome-frameworks.js';
import { ratingLabel, VIEWPOINT_LABELS, VIEWPOINTS } from '../../domain/ratings.js';
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
import type { StepsForReview } from '../self-management/service.js';
import { stepView } from '../self-management/view.js';
import type { ConversationForm } from './conversation-service.js';
import { firstConversationStart } from './conversation-step-pages.js';
import { type ConversationParties, conversationFromForm, errorsOnForm, GAS_LEVEL_FIELDS } from './form.js';

const KIND_TITLES: Record<ConversationKind, string> = {
  first: 'Record a first conversation',
  review: 'Record a review',
  other: 'Record a conversation',
};
interface Item {
  value: string;
  text: string;
  checked?: boolean;
  selected?: boolean;
  hint?: { text: string };
}

const options = (
  values: readonly (string | number)[],
  chosen: string,
  labels?: (v: string) => string,
): Item[] =>
  values.map((v) => ({
    value: String(v),
    text: labels ? labels(String(v)) : String(v),
    checked: chosen === String(v),
    selected: chosen === String(v),
  }));

/** Everything the form page shows: the person, who may take part, and what the service gave the form. */
interface FormPage {
  person: PersonDetails;
  carers: RelationshipEntry[];
  form: ConversationForm;
  /** The steps the person set themselves since the last conversation, to talk about at a review. */
  steps: StepsForReview;
}

/** The form, as view-models: every radio and checkbox list built here so the template stays simple. */
function formModel(page: FormPage, kind: ConversationKind, body: FormBody, newCount: number, actor: Actor) {
  const { framework, outcomes } = page.form;
  const scale = framework.ratingLabels;
  // Nothing is chosen for anyone until they say: "Not asked" is a choice, not the default.
  const scaleItems = (name: string) => [
    { value: '', text: 'Not asked at this conversation', checked: false },
    ...scale.map((label, i) => ({
      value: String(i + 1),
      text: label,
      checked: text(body, name) === String(i + 1),
    })),
  ];
  const chosenDomains = (name: string) => new Set(list(body, name));
  const domainGroups = (name: string) =>
    Object.entries(CATEGORY_LABELS)
      .map(([category, label]) => ({
        label,
        items: framework.domains
          .filter((d) => d.category === category)
          .map((d) => ({
            value: d.domainId,
            text: d.name,
            hint: { text: d.description },
            checked: chosenDomains(name).has(d.domainId),
          })),
      }))
      .filter((g) => g.items.length);
  const carers = page.carers.filter((r) => r.isCarer);
  // A carer's view only when the person has a carer.
  const viewpoints = VIEWPOINTS.filter((v) => v !== 'carer' || carers.length > 0);
  return {
    kind,
    kindTitle: KIND_TITLES[kind],
    heldOn: body['heldOn[day]'] !== undefined ? dateFields(body, 'heldOn') : dateParts(todayIso()),
    nextReview: dateFields(body, 'nextReview'),
    participantItems: [
      {
        value: 'person',
        text: page.person.name,
        hint: { text: 'The person' },
        checked: body.participants ? list(body, 'participants').includes('person') : true,
      },
      ...carers.map((c) => ({
        value: `carer:${c.relationshipId}`,
        text: c.name,
        hint: { text: `Carer (${c.relationshipType})` },
        checked: list(body, 'participants').includes(`carer:${c.relationshipId}`),
      })),
      {
        value: 'me',
        text: actor.displayName,
        hint: { text: 'You' },
        checked: body.participants ? list(body, 'participants').includes('me') : true,
      },
    ],
    otherParticipants: text(body, 'otherParticipants'),
    summary: text(body, 'summary'),
    whatHelped: text(body, 'whatHelped'),
    whatGotInTheWay: text(body, 'whatGotInTheWay'),
    existing:
      kind === 'first'
        ? []
        : outcomes.map((o) => ({
            outcomeId: o.outcomeId,
            statement: o.statement,
            steps: page.steps.steps
              .filter((s) => s.outcomeId === o.outcomeId)
              .map((s) => stepView(s, page.person.personId, todayIso(), 'practitioner')),
            ratings: viewpoints.map((v) => ({
              viewpoint: v,
              label: VIEWPOINT_LABELS[v],
              name: `rating-${o.outcomeId}-${v}`,
              items: scaleItems(`rating-${o.outcomeId}-${v}`),
              previous: o.latest[v]
                ? `${ratingLabel(o.latest[v].score, o.framework.ratingLabels)} on ${todayIso(new Date(o.latest[v].ratedAt))}`
                : null,
            })),
            gas: o.gas
              ? {
                  name: `gas-${o.outcomeId}`,
                  items: [
                    {
                      value: '',
                      text: 'Not scored at this review',
                      checked: !text(body, `gas-${o.outcomeId}`),
                    },
                    ...[...GAS_LEVELS].reverse().map((level) => ({
                      value: String(level),
                      text: `${gasLevelText(level)}: ${o.gas?.levels[level]}`,
                      hint: { text: GAS_LEVEL_LABELS[level] },
                      checked: text(body, `gas-${o.outcomeId}`) === String(level),
                    })),
                  ],
                }
              : null,
            statusItems: options(
              OUTCOME_STATUSES,
              text(body, `status-${o.outcomeId}`) || 'active',
              (v) => OUTCOME_STATUS_LABELS[v as OutcomeStatus],
            ),
          })),
    newOutcomes: Array.from({ length: newCount }, (_, i) => {
      const p = `new-${i}`;
      return {
        index: i,
        prefix: p,
        statement: text(body, `${p}-statement`),
        why: text(body, `${p}-why`),
        domainGroups: domainGroups(`${p}-domains`),
        importanceItems: [
          { value: '', text: 'Not said' },
          ...options([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], text(body, `${p}-importance`)),
        ],
        ratings: viewpoints.map((v) => ({
          viewpoint: v,
          label: VIEWPOINT_LABELS[v],
          name: `${p}-rating-${v}`,
          items: scaleItems(`${p}-rating-${v}`),
        })),
        gas: {
          levels: GAS_LEVEL_FIELDS.map(([level, key]) => ({
            level,
            name: `${p}-gas-${key}`,
            value: text(body, `${p}-gas-${key}`),
            label: gasLevelChoice(Number(level) as GasLevel),
          })),
          baselineItems: options(['-1', '-2'], text(body, `${p}-gas-baseline`) || '-1', (v) =>
            gasLevelChoice(Number(v) as GasLevel),
          ),
          importanceItems: [
            { value: '', text: 'Not scored' },
            ...options([0, 1, 2, 3], text(body, `${p}-gas-importance`)),
          ],
          difficultyItems: [
            { value: '', text: 'Not scored' },
            ...options([0, 1, 2, 3], text(body, `${p}-gas-difficulty`)),
          ],
          open: GAS_LEVEL_FIELDS.some(([, key]) => text(body, `${p}-gas-${key}`)),
        },
      };
    }),
  };
}

/** The kind a form was opened for: an unknown kind is a bad address or a tampered form, never "other". */
function kindFrom(value: string): ConversationKind {
  if (isConversationKind(value)) return value;
  throw new ServiceError(
    400,
    'Bad request',
    'A conversation is a first conversation, a review or another contact.',
  );
}

export async function conversationPages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { people, conversations } = opts.services;
  const defaultNewCount = (kind: ConversationKind) => (kind === 'first' ? 3 : 1);

  /** The person for the banner, their circle for who took part, and what the service gives the form. */
  const load = async (actor: Actor, personId: string): Promise<FormPage> => {
    const [{ person }, carers, form, steps] = await Promise.all([
      people.details(actor, personId),
      people.relationships(actor, personId),
      conversations.formFor(actor, personId),
      opts.services.selfManagement.forReview(actor, personId),
    ]);
    return { person, carers, form, steps };
  };

  const render = (
    reply: Parameters<typeof renderWithErrors>[0],
    actor: Actor,
    page: FormPage,
    kind: ConversationKind,
    body: FormBody,
    newCount: number,
    errors: FieldError[],
  ) =>
    renderWithErrors(
      reply,
      'conversation-new',
      {
        pageTitle: KIND_TITLES[kind],
        caption: KIND_TITLES[kind],
        person: page.person,
        showNav: false,
        form: formModel(page, kind, body, newCount, actor),
        newCount,
      },
      errors,
    );

  app.get(
    '/people/:personId/conversations/new',
    {
      config: { access: CARE_STAFF, page: true },
      schema: {
        hide: true,
        params: PersonParams,
        querystring: Type.Object({
          kind: Type.Optional(Type.Union(CONVERSATION_KINDS.map((k) => Type.Literal(k)))),
        }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const kind = request.query.kind ?? 'first';
      // A first conversation is asked a question a page (conversation-step-pages.ts): its first one.
      if (kind === 'first')
        return firstConversationStart(opts.services, actor, request.params.personId, reply);
      const page = await load(actor, request.params.personId);
      return render(reply, actor, page, kind, {}, defaultNewCount(kind), []);
    },
  );

  app.post(
    '/people/:personId/conversations/new',
    {
      config: { access: CARE_STAFF, page: true },
      schema: { hide: true, params: PersonParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { personId } = request.params;
      const body = request.body;
      const kind = kindFrom(text(body, 'kind'));
      const newCount = Math.min(20, Math.max(1, Number(text(body, 'newCount')) || defaultNewCount(kind)));
      if (text(body, 'action') === 'add-outcome') {
        const page = await load(actor, personId);
        return render(reply, actor, page, kind, body, Math.min(20, newCount + 1), []);
      }
      // Saving reads only who took part: the person's name, and the circle if a carer is ticked.
      const withCarer = list(body, 'participants').some((p) => p.startsWith('carer:'));
      const [{ person }, carers] = await Promise.all([
        people.details(actor, personId),
        withCarer ? people.relationships(actor, personId) : Promise.resolve([]),
      ]);
      const parties: ConversationParties = { personName: person.name, carers, actor };
      const mapped = conversationFromForm(body, kind, newCount, parties);
      try {
        await conversations.record(actor, personId, mapped.input);
      } catch (error) {
        const errors = errorsOnForm(error, mapped);
        return render(reply, actor, await load(actor, personId), kind, body, newCount, errors);
      }
      return reply.redirect(`/people/${personId}?recorded=${kind}`, 303);
    },
  );
}
