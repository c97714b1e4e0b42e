import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import { CONVERSATION_KINDS, OUTCOME_STATUS_LABELS } from '../../domain/conversations.js';
import { GAS_LEVEL_LABELS, GAS_LEVELS, isGasLevel } from '../../domain/gas.js';
import { CATEGORY_LABELS } from '../../domain/outcome-frameworks.js';
import { VIEWPOINT_LABELS, VIEWPOINTS, type Viewpoint } from '../../domain/ratings.js';
import { CARE_STAFF } from '../../domain/route-access.js';
import { requireActor } from '../../http/request-actor.js';
import type { Services } from '../../services/index.js';
import {
  dateFields,
  dateInput,
  dateParts,
  type FieldError,
  type FormBody,
  FormBodySchema,
  integer,
  list,
  renderWithErrors,
  serviceFieldErrors,
  text,
} from '../../web/forms.js';
import type { Framework } from '../frameworks/service.js';
import { PersonPageParams, personNotShown } from '../people/pages.js';
import type { PersonRecord } from '../people/person-record-service.js';
import type {
  ConversationKind,
  NewOutcomeInput,
  OutcomeStatus,
  RecordConversationInput,
} from './conversation-service.js';

const KINDS = CONVERSATION_KINDS;
const KIND_TITLES: Record<ConversationKind, string> = {
  first: 'Record a first conversation',
  review: 'Record a review',
  other: 'Record a conversation',
};
const GAS_FIELDS = [
  ['-2', 'm2'],
  ['-1', 'm1'],
  ['0', 'z0'],
  ['1', 'p1'],
  ['2', 'p2'],
] as const;
const STATUS_LABELS = OUTCOME_STATUS_LABELS;

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

/** The form, as view-models: every radio and checkbox list built here so the template stays simple. */
function formModel(
  record: PersonRecord,
  framework: Framework,
  kind: ConversationKind,
  body: FormBody,
  newCount: number,
  actor: Actor,
) {
  const scale = framework.ratingLabels;
  const scaleItems = (name: string) => [
    { value: '', text: 'Not rated', checked: !text(body, name) },
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
  const carers = record.circle.filter((r) => r.isCarer);
  return {
    kind,
    kindTitle: KIND_TITLES[kind],
    heldOn: body['heldOn[day]'] !== undefined ? dateFields(body, 'heldOn') : dateParts(todayIso()),
    nextReview: dateFields(body, 'nextReview'),
    participantItems: [
      {
        value: 'person',
        text: record.person.name,
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
        : record.outcomes
            .filter((o) => o.status === 'active')
            .map((o) => ({
              outcomeId: o.outcomeId,
              statement: o.statement,
              ratings: VIEWPOINTS.map((v) => ({
                viewpoint: v,
                label: VIEWPOINT_LABELS[v],
                name: `rating-${o.outcomeId}-${v}`,
                items: scaleItems(`rating-${o.outcomeId}-${v}`),
                previous: o.latest[v]
                  ? `${scale[(o.latest[v]?.score ?? 1) - 1]} on ${o.latest[v]?.ratedAt.slice(0, 10)}`
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
                        text: `${level > 0 ? '+' : ''}${level}: ${o.gas?.levels[level]}`,
                        hint: { text: GAS_LEVEL_LABELS[level] },
                        checked: text(body, `gas-${o.outcomeId}`) === String(level),
                      })),
                    ],
                  }
                : null,
              statusItems: options(
                ['active', 'achieved', 'no-longer-relevant'],
                text(body, `status-${o.outcomeId}`) || 'active',
                (v) => STATUS_LABELS[v as OutcomeStatus],
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
        ratings: VIEWPOINTS.map((v) => ({
          viewpoint: v,
          label: VIEWPOINT_LABELS[v],
          name: `${p}-rating-${v}`,
          items: scaleItems(`${p}-rating-${v}`),
        })),
        gas: {
          levels: GAS_FIELDS.map(([level, key]) => ({
            level,
            name: `${p}-gas-${key}`,
            value: text(body, `${p}-gas-${key}`),
            label: `${level === '0' ? '0' : Number(level) > 0 ? `+${level}` : level}: ${GAS_LEVEL_LABELS[Number(level) as -2]}`,
          })),
          baselineItems: options(['-1', '-2'], text(body, `${p}-gas-baseline`) || '-1', (v) =>
            v === '-1' ? '−1: somewhat less than expected' : '−2: much less than expected',
          ),
          importanceItems: [
            { value: '', text: 'Not scored' },
            ...options([0, 1, 2, 3], text(body, `${p}-gas-importance`)),
          ],
          difficultyItems: [
            { value: '', text: 'Not scored' },
            ...options([0, 1, 2, 3], text(body, `${p}-gas-difficulty`)),
          ],
          open: GAS_FIELDS.some(([, key]) => text(body, `${p}-gas-${key}`)),
        },
      };
    }),
  };
}

/** Reads the posted form into the service's input, or field errors a person can act on. */
function parseForm(
  body: FormBody,
  kind: ConversationKind,
  record: PersonRecord,
  framework: Framework,
  actor: Actor,
  newCount: number,
): { input: RecordConversationInput | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const heldOn = dateInput(body, 'heldOn');
  if (heldOn.error || !heldOn.value)
    errors.push({
      field: 'heldOn-day',
      message: `The date of the conversation ${heldOn.error ?? 'is needed'}`,
    });
  else if (heldOn.value > todayIso())
    errors.push({ field: 'heldOn-day', message: 'The conversation date cannot be in the future' });
  const nextReview = dateInput(body, 'nextReview');
  if (nextReview.error)
    errors.push({ field: 'nextReview-day', message: `The next review date ${nextReview.error}` });
  else if (nextReview.value && heldOn.value && nextReview.value < heldOn.value) {
    errors.push({ field: 'nextReview-day', message: 'The next review must be after the conversation' });
  }

  const participants: RecordConversationInput['participants'] = [];
  const ownRole = actor.roles.find((r) => r.role === 'practitioner' || r.role === 'team-manager');
  for (const value of list(body, 'participants')) {
    if (value === 'person') participants.push({ kind: 'person', name: record.person.name });
    else if (value === 'me') {
      participants.push({
        kind: 'practitioner',
        name: actor.displayName,
        userId: actor.userId,
        organisationId: ownRole?.organisationId ?? null,
        role: actor.jobTitle ?? '',
      });
    } else if (value.startsWith('carer:')) {
      const carer = record.circle.find((c) => c.relationshipId === value.slice(6));
      if (carer) participants.push({ kind: 'carer', name: carer.name, role: carer.relationshipType });
    }
  }
  for (const line of text(body, 'otherParticipants')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const [name = '', ...role] = line.split(',');
    participants.push({
      kind: 'other',
      name: name.trim().slice(0, 200),
      role: role.join(',').trim().slice(0, 200),
    });
  }
  if (!participants.length) errors.push({ field: 'participants', message: 'Select who took part' });

  const scaleMax = framework.ratingLabels.length;
  const readRatings = (prefix: string) =>
    VIEWPOINTS.flatMap((viewpoint: Viewpoint) => {
      const score = integer(body, `${prefix}-${viewpoint}`, 1, scaleMax);
      return typeof score === 'number' ? [{ viewpoint, score }] : [];
    });

  const newOutcomes: NewOutcomeInput[] = [];
  for (let i = 0; i < newCount; i++) {
    const p = `new-${i}`;
    const statement = text(body, `${p}-statement`);
    const ratings = readRatings(`${p}-rating`);
    const gasTexts = GAS_FIELDS.map(([, key]) => text(body, `${p}-gas-${key}`));
    const domainIds = list(body, `${p}-domains`);
    if (!statement) {
      if (ratings.length || domainIds.length || gasTexts.some(Boolean) || text(body, `${p}-why`)) {
        errors.push({
          field: `${p}-statement`,
          message: `Outcome ${i + 1}: write what matters, in the person’s own words`,
        });
      }
      continue;
    }
    if (statement.length > 2000)
      errors.push({ field: `${p}-statement`, message: `Outcome ${i + 1}: keep it under 2,000 characters` });
    let gas: NewOutcomeInput['gas'] = null;
    if (gasTexts.some(Boolean)) {
      if (!gasTexts.every(Boolean)) {
        errors.push({
          field: `${p}-gas-m2`,
          message: `Outcome ${i + 1}: describe all five goal attainment levels, or none`,
        });
      } else {
        const importance = integer(body, `${p}-gas-importance`, 0, 3);
        const difficulty = integer(body, `${p}-gas-difficulty`, 0, 3);
        gas = {
          levels: {
            '-2': gasTexts[0] ?? '',
            '-1': gasTexts[1] ?? '',
            '0': gasTexts[2] ?? '',
            '1': gasTexts[3] ?? '',
            '2': gasTexts[4] ?? '',
          },
          baselineLevel: text(body, `${p}-gas-baseline`) === '-2' ? -2 : -1,
          importance: importance ?? null,
          difficulty: difficulty ?? null,
        };
      }
    }
    const importance = integer(body, `${p}-importance`, 1, 10);
    newOutcomes.push({
      statement,
      whyItMatters: text(body, `${p}-why`),
      domainIds,
      importance: importance ?? null,
      ratings,
      gas,
    });
  }
  if (kind === 'first' && !newOutcomes.length) {
    errors.push({
      field: 'new-0-statement',
      message: 'Write at least one thing that matters to the person, in their own words',
    });
  }

  const existing = kind === 'first' ? [] : record.outcomes.filter((o) => o.status === 'active');
  const ratings = existing.flatMap((o) =>
    readRatings(`rating-${o.outcomeId}`).map((r) => ({ ...r, outcomeId: o.outcomeId })),
  );
  const gasAttainments = existing.flatMap((o) => {
    const raw = text(body, `gas-${o.outcomeId}`);
    return o.gas && raw !== '' && isGasLevel(Number(raw))
      ? [{ outcomeId: o.outcomeId, level: Number(raw) }]
      : [];
  });
  const outcomeStatuses = existing.flatMap((o) => {
    const status = text(body, `status-${o.outcomeId}`) as OutcomeStatus;
    return status && status !== 'active' && status in STATUS_LABELS
      ? [{ outcomeId: o.outcomeId, status }]
      : [];
  });

  if (errors.length || !heldOn.value) return { input: null, errors };
  return {
    errors,
    input: {
      kind,
      heldOn: heldOn.value,
      summary: text(body, 'summary'),
      whatHelped: text(body, 'whatHelped'),
      whatGotInTheWay: text(body, 'whatGotInTheWay'),
      nextReviewDate: nextReview.value,
      participants,
      newOutcomes,
      ratings,
      gasAttainments,
      outcomeStatuses,
    },
  };
}

export async function conversationPages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { records, frameworks, conversations } = opts.services;
  const defaultNewCount = (kind: ConversationKind) => (kind === 'first' ? 3 : 1);

  const render = async (
    reply: Parameters<typeof renderWithErrors>[0],
    actor: Actor,
    personId: string,
    kind: ConversationKind,
    body: FormBody,
    newCount: number,
    errors: FieldError[],
  ) => {
    const record = await records.record(actor, personId, todayIso());
    const framework = await frameworks.current();
    return renderWithErrors(
      reply,
      'conversation-new',
      {
        pageTitle: KIND_TITLES[kind],
        caption: KIND_TITLES[kind],
        person: record.person,
        showNav: false,
        form: formModel(record, framework, kind, body, newCount, actor),
        newCount,
      },
      errors,
    );
  };

  app.get(
    '/people/:personId/conversations/new',
    {
      config: { access: CARE_STAFF, page: true },
      schema: {
        hide: true,
        params: PersonPageParams,
        querystring: Type.Object({ kind: Type.Optional(Type.Union(KINDS.map((k) => Type.Literal(k)))) }),
      },
    },
    async (request, reply) => {
      const kind = request.query.kind ?? 'first';
      try {
        return await render(
          reply,
          requireActor(request),
          request.params.personId,
          kind,
          {},
          defaultNewCount(kind),
          [],
        );
      } catch (error) {
        return personNotShown(reply, error);
      }
    },
  );

  app.post(
    '/people/:personId/conversations/new',
    {
      config: { access: CARE_STAFF, page: true },
      schema: { hide: true, params: PersonPageParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { personId } = request.params;
      const body = request.body;
      const kind = (KINDS as readonly string[]).includes(text(body, 'kind'))
        ? (text(body, 'kind') as ConversationKind)
        : 'other';
      const newCount = Math.min(20, Math.max(1, Number(text(body, 'newCount')) || defaultNewCount(kind)));
      try {
        if (text(body, 'action') === 'add-outcome') {
          return await render(reply, actor, personId, kind, body, Math.min(20, newCount + 1), []);
        }
        const record = await records.record(actor, personId, todayIso());
        const framework = await frameworks.current();
        const { input, errors } = parseForm(body, kind, record, framework, actor, newCount);
        if (!input) return await render(reply, actor, personId, kind, body, newCount, errors);
        try {
          await conversations.record(actor, personId, input);
        } catch (error) {
          return await render(
            reply,
            actor,
            personId,
            kind,
            body,
            newCount,
            serviceFieldErrors(error, 'summary'),
          );
        }
        return reply.redirect(`/people/${personId}?recorded=${kind}`, 303);
      } catch (error) {
        return personNotShown(reply, error);
      }
    },
  );
}
