import { randomUUID } from 'node:crypto';
import type { Annotation, CarePlan, CarePlanActivity, Extension, Goal, Reference } from '@medplum/fhirtypes';
import {
  ACTION_STATUSES,
  type Action,
  type ActionStatus,
  type CarePlanContent,
  emptyCarePlan,
  type PlanGoal,
  SUPPORT_KIND_LABELS,
  SUPPORT_KINDS,
  type SupportKind,
} from '../../domain/care-plan.js';
import { isUuid, parsePersonRowId, parseReference, personRowId } from '../../domain/interop/fhir-ids.js';
import type { SearchParamDefinition } from '../../domain/interop/fhir-search.js';
import type { RecorderAccount } from '../../domain/interop/recorded-by.js';
import { whatmattersCodeSystem, whatmattersExtension } from '../../domain/interop/uk-core.js';
import { elementRules, type FhirContext, wellFormed } from '../../interop/fhir/handler.js';
import { personResources } from '../../interop/fhir/person-resources.js';
import { ServiceError } from '../../services/errors.js';
import type { AccessGrant } from '../record-access/person-access.js';
import type { PlanVersion } from './schema.js';

/**
 * CarePlan: the person's one care and support plan (PRSB), id = the person's id, and every saved
 * version a FHIR version (`meta.versionId` = the plan's version number, history = every version).
 *
 * - Goals: a plan goal linked to a personal outcome is a reference to that outcome's Goal
 *   (`Goal/{personRowId(person, outcome)}`, the Goal handler's id), with the plan goal's words as
 *   `display` and its own id as `identifier` (`urn:uuid:`); a goal not linked to an outcome is a
 *   contained Goal (`#{goal id}`).
 * - Actions: one `activity` each (`activity.id` = the action's id), its `detail.goal` naming its
 *   goal, `detail.status` our status, `detail.description` what is done, `detail.performer` who
 *   (the Organization, the Patient, or a name), `detail.scheduledString` when; the kind of support,
 *   the team and the person's confidence in our extensions.
 * - The plan's text sections (about me, strengths, contingency, who reviews it, who agreed it) are
 *   `note`s, each marked with the section it is (our extension `care-plan-section`); the planned
 *   review date and the date agreed are our date extensions; the version's change summary too.
 * - Read only: `status` (active), `intent` (plan), `title`, `subject`, `author` (who saved the version).
 */

const SECTION_EXTENSION = whatmattersExtension('care-plan-section');
const REVIEW_DATE_EXTENSION = whatmattersExtension('care-plan-planned-review-date');
const AGREED_ON_EXTENSION = whatmattersExtension('care-plan-agreed-on');
const CHANGE_SUMMARY_EXTENSION = whatmattersExtension('care-plan-change-summary');
const SUPPORT_KIND_EXTENSION = whatmattersExtension('care-plan-support-kind');
const TEAM_EXTENSION = whatmattersExtension('care-plan-team');
const CONFIDENCE_EXTENSION = whatmattersExtension('care-plan-confidence');
export const SUPPORT_KIND_SYSTEM = whatmattersCodeSystem('support-kind');
/** RFC 3986 identifiers: a uuid written `urn:uuid:…` (https://hl7.org/fhir/R4/identifier-registry.html). */
const URI_SYSTEM = 'urn:ietf:rfc:3986';

/** The plan's text sections, each with its code: one definition, both ways. */
const TEXT_SECTIONS: {
  code: string;
  get: (c: CarePlanContent) => string;
  set: (c: CarePlanContent, text: string) => void;
}[] = [
  {
    code: 'about-me-most-important',
    get: (c) => c.aboutMe.mostImportant,
    set: (c, t) => {
      c.aboutMe.mostImportant = t;
    },
  },
  {
    code: 'about-me-important-people',
    get: (c) => c.aboutMe.importantPeople,
    set: (c, t) => {
      c.aboutMe.importantPeople = t;
    },
  },
  {
    code: 'about-me-communication',
    get: (c) => c.aboutMe.communication,
    set: (c, t) => {
      c.aboutMe.communication = t;
    },
  },
  {
    code: 'about-me-please-do',
    get: (c) => c.aboutMe.pleaseDo,
    set: (c, t) => {
      c.aboutMe.pleaseDo = t;
    },
  },
  {
    code: 'about-me-please-dont',
    get: (c) => c.aboutMe.pleaseDont,
    set: (c, t) => {
      c.aboutMe.pleaseDont = t;
    },
  },
  {
    code: 'contingency-triggers',
    get: (c) => c.contingency.triggers,
    set: (c, t) => {
      c.contingency.triggers = t;
    },
  },
  {
    code: 'contingency-what-should-happen',
    get: (c) => c.contingency.whatShouldHappen,
    set: (c, t) => {
      c.contingency.whatShouldHappen = t;
    },
  },
  {
    code: 'contingency-who-to-contact',
    get: (c) => c.contingency.whoToContact,
    set: (c, t) => {
      c.contingency.whoToContact = t;
    },
  },
  {
    code: 'review-responsible-name',
    get: (c) => c.review.responsibleName,
    set: (c, t) => {
      c.review.responsibleName = t;
    },
  },
  {
    code: 'review-responsible-role',
    get: (c) => c.review.responsibleRole,
    set: (c, t) => {
      c.review.responsibleRole = t;
    },
  },
  {
    code: 'agreed-with-name',
    get: (c) => c.agreedWith.name,
    set: (c, t) => {
      c.agreedWith.name = t;
    },
  },
  {
    code: 'agreed-with-relationship',
    get: (c) => c.agreedWith.relationship,
    set: (c, t) => {
      c.agreedWith.relationship = t;
    },
  },
];
const STRENGTH = 'strength';

/** Our action statuses as CarePlan activity statuses (required binding CarePlanActivityStatus). */
const ACTIVITY_STATUS: Record<ActionStatus, NonNullable<CarePlanActivity['detail']>['status']> = {
  'not-started': 'not-started',
  'in-progress': 'in-progress',
  done: 'completed',
  stopped: 'stopped',
};

const sectionNote = (code: string, text: string): Annotation => ({
  extension: [{ url: SECTION_EXTENSION, valueCode: code }],
  text,
});

const uuidIdentifier = (id: string) => ({ system: URI_SYSTEM, value: `urn:uuid:${id}` });

/** The reference a plan goal is known by within the CarePlan (goal and activity.detail.goal). */
function goalReference(personId: string, goal: PlanGoal): Reference<Goal> {
  if (goal.outcomeId) {
    return {
      reference: `Goal/${personRowId(personId, goal.outcomeId)}`,
      display: goal.description,
      identifier: uuidIdentifier(goal.id),
    };
  }
  return { reference: `#${goal.id}` };
}

type Performer = NonNullable<NonNullable<CarePlanActivity['detail']>['performer']>[number];

function performerOf(personId: string, who: Action['who']): Performer[] {
  const name = who.name.trim() ? { display: who.name } : {};
  if (who.organisationId) return [{ reference: `Organization/${who.organisationId}`, ...name }];
  if (who.kind === 'person') return [{ reference: `Patient/${personId}`, ...name }];
  return [name];
}

function activityOf(personId: string, goal: PlanGoal, action: Action): CarePlanActivity {
  const extension: Extension[] = [
    {
      url: SUPPORT_KIND_EXTENSION,
      valueCoding: {
        system: SUPPORT_KIND_SYSTEM,
        code: action.who.kind,
        display: SUPPORT_KIND_LABELS[action.who.kind],
      },
    },
    ...(action.who.teamId
      ? [{ url: TEAM_EXTENSION, valueIdentifier: uuidIdentifier(action.who.teamId) }]
      : []),
    ...(action.confidence !== undefined
      ? [{ url: CONFIDENCE_EXTENSION, valueInteger: action.confidence }]
      : []),
  ];
  return {
    id: action.id,
    detail: {
      extension,
      goal: [goalReference(personId, goal)],
      status: ACTIVITY_STATUS[action.status],
      ...(action.when?.trim() ? { scheduledString: action.when } : {}),
      performer: performerOf(personId, action.who),
      description: action.what,
    },
  };
}

/**
 * One version of the person's plan as a CarePlan. `author` is who saved it: a reference to the
 * Practitioner when the store says which member of staff that was (so an import records the
 * version as saved by them again), else their name only (a system client's account is no
 * Practitioner).
 */
export function carePlanOf(
  personId: string,
  version: PlanVersion & { createdByAccount?: RecorderAccount },
): CarePlan {
  const { content } = version;
  const contained: Goal[] = content.goals
    .filter((g) => !g.outcomeId)
    .map((g) => ({
      resourceType: 'Goal',
      id: g.id,
      lifecycleStatus: 'active',
      description: { text: g.description },
      subject: { reference: `Patient/${personId}` },
    }));
  const notes: Annotation[] = [
    ...TEXT_SECTIONS.flatMap((s) => (s.get(content).trim() ? [sectionNote(s.code, s.get(content))] : [])),
    ...content.strengths.map((s) => sectionNote(STRENGTH, s)),
  ];
  const extension: Extension[] = [
    ...(content.review.plannedDate
      ? [{ url: REVIEW_DATE_EXTENSION, valueDate: content.review.plannedDate }]
      : []),
    ...(content.agreedWith.agreedOn
      ? [{ url: AGREED_ON_EXTENSION, valueDate: content.agreedWith.agreedOn }]
      : []),
    ...(version.changeSummary.trim()
      ? [{ url: CHANGE_SUMMARY_EXTENSION, valueString: version.changeSummary }]
      : []),
  ];
  const activity = content.goals.flatMap((g) => g.actions.map((a) => activityOf(personId, g, a)));
  return {
    resourceType: 'CarePlan',
    id: personId,
    meta: { versionId: String(version.version), lastUpdated: version.createdAt },
    ...(contained.length ? { contained } : {}),
    ...(extension.length ? { extension } : {}),
    status: 'active',
    intent: 'plan',
    title: 'Care and support plan',
    subject: { reference: `Patient/${personId}` },
    ...(version.createdByAccount && !version.createdByAccount.system
      ? {
          author: {
            reference: `Practitioner/${version.createdByAccount.userId}`,
            display: version.createdByAccount.name,
          },
        }
      : version.createdBy
        ? { author: { display: version.createdBy } }
        : {}),
    ...(content.goals.length ? { goal: content.goals.map((g) => goalReference(personId, g)) } : {}),
    ...(activity.length ? { activity } : {}),
    ...(notes.length ? { note: notes } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// From FHIR

/** Elements of a CarePlan this server keeps (or checks); anything else would be lost, so it is refused. */
const { bad, keepOnly, unkeptExtension } = elementRules('CarePlan', [
  'resourceType',
  'id',
  'meta',
  'text',
  'contained',
  'extension',
  'status',
  'intent',
  'title',
  'subject',
  'author',
  'goal',
  'activity',
  'note',
]);
const PLAN_EXTENSIONS = new Set([REVIEW_DATE_EXTENSION, AGREED_ON_EXTENSION, CHANGE_SUMMARY_EXTENSION]);
const ACTIVITY_KEPT = new Set(['id', 'detail']);
const DETAIL_KEPT = new Set(['extension', 'goal', 'status', 'scheduledString', 'performer', 'description']);

const uuidOfIdentifier = (value: string | undefined) => {
  const id = value?.startsWith('urn:uuid:') ? value.slice('urn:uuid:'.length) : undefined;
  return id && isUuid(id) ? id : undefined;
};

const goalKey = (r: Reference | undefined) => `${r?.reference ?? ''}|${r?.identifier?.value ?? ''}`;

/** The person a CarePlan is about: its `subject` must name them. */
export function subjectOf(plan: CarePlan): string {
  const subject = plan.subject?.reference ? parseReference(plan.subject.reference) : null;
  if (subject?.type !== 'Patient' || !isUuid(subject.id)) {
    throw bad('Give the person as subject: Patient/{id}.', 'subject');
  }
  return subject.id;
}

function goalsOf(personId: string, plan: CarePlan): { key: string; goal: PlanGoal }[] {
  const contained = new Map<string, Goal>();
  for (const [i, r] of (plan.contained ?? []).entries()) {
    if (r.resourceType !== 'Goal' || !r.id || !isUuid(r.id)) {
      throw bad(
        'Only Goals whose id is a uuid may be contained (the plan’s goals not linked to an outcome).',
        `contained[${i}]`,
      );
    }
    contained.set(r.id, r);
  }
  return (plan.goal ?? []).map((ref, i) => {
    const element = `goal[${i}]`;
    const reference = ref.reference ?? '';
    if (reference.startsWith('#')) {
      const goal = contained.get(reference.slice(1));
      const description = goal?.description?.text?.trim();
      if (!goal) throw bad(`${reference} names no contained Goal.`, `${element}.reference`);
      if (!description)
        throw bad('A contained Goal needs its words in description.text.', `contained.description.text`);
      return {
        key: goalKey(ref),
        goal: {
          id: goal.id as string,
          outcomeId: null,
          description: goal.description?.text as string,
          actions: [],
        },
      };
    }
    const target = parseReference(reference);
    const row = target?.type === 'Goal' ? parsePersonRowId(target.id) : null;
    if (!row || row.personId !== personId) {
      throw bad(
        'A goal is a contained Goal (#id) or one of this person’s Goals (Goal/{id}).',
        `${element}.reference`,
      );
    }
    if (!ref.display?.trim()) throw bad('Give the plan goal’s words as display.', `${element}.display`);
    const id = uuidOfIdentifier(ref.identifier?.value) ?? (ref.identifier ? undefined : randomUUID());
    if (!id)
      throw bad(`The plan goal’s identifier is urn:uuid:{id} under ${URI_SYSTEM}.`, `${element}.identifier`);
    return { key: goalKey(ref), goal: { id, outcomeId: row.rowId, description: ref.display, actions: [] } };
  });
}

function statusOf(status: string | undefined, element: string): ActionStatus {
  const found = ACTION_STATUSES.find((s) => ACTIVITY_STATUS[s] === status);
  if (!found) {
    throw bad(
      `The status must be one of ${ACTION_STATUSES.map((s) => ACTIVITY_STATUS[s]).join(', ')}.`,
      element,
    );
  }
  return found;
}

function actionOf(personId: string, activity: CarePlanActivity, i: number): Action {
  const element = `activity[${i}]`;
  const detail = activity.detail;
  if (!detail) throw bad('Each activity is an action of the plan, given in detail.', `${element}.detail`);
  keepOnly(activity, ACTIVITY_KEPT, element);
  keepOnly(detail, DETAIL_KEPT, `${element}.detail`);
  let kind: SupportKind | undefined;
  let teamId: string | null = null;
  let confidence: number | undefined;
  for (const ext of detail.extension ?? []) {
    if (ext.url === SUPPORT_KIND_EXTENSION) {
      kind = SUPPORT_KINDS.find(
        (k) => k === ext.valueCoding?.code && ext.valueCoding?.system === SUPPORT_KIND_SYSTEM,
      );
      if (!kind)
        throw bad(
          `The kind of support is a code of ${SUPPORT_KIND_SYSTEM}: ${SUPPORT_KINDS.join(', ')}.`,
          `${element}.detail.extension`,
        );
    } else if (ext.url === TEAM_EXTENSION) {
      teamId = uuidOfIdentifier(ext.valueIdentifier?.value) ?? null;
      if (!teamId) throw bad('The team is urn:uuid:{team id}.', `${element}.detail.extension`);
    } else if (ext.url === CONFIDENCE_EXTENSION) {
      confidence = ext.valueInteger;
      if (confidence === undefined)
        throw bad('Confidence is valueInteger, 0 to 10.', `${element}.detail.extension`);
    } else {
      throw unkeptExtension(ext.url, `${element}.detail.extension`);
    }
  }
  const performers = detail.performer ?? [];
  if (performers.length > 1)
    throw bad('Give one performer: who carries out the action.', `${element}.detail.performer`);
  const [performer] = performers;
  const target = performer?.reference ? parseReference(performer.reference) : null;
  if (
    performer?.reference &&
    !(
      target &&
      ((target.type === 'Organization' && isUuid(target.id)) ||
        (target.type === 'Patient' && target.id === personId))
    )
  ) {
    throw bad(
      'The performer is an Organization/{id}, this Patient, or a name (display).',
      `${element}.detail.performer`,
    );
  }
  const organisationId = target?.type === 'Organization' ? target.id : null;
  const resolvedKind =
    kind ?? (target?.type === 'Patient' ? 'person' : organisationId ? 'organisation' : undefined);
  if (!resolvedKind) {
    throw bad(
      `Say what kind of support it is (extension ${SUPPORT_KIND_EXTENSION}).`,
      `${element}.detail.extension`,
    );
  }
  if (!detail.description?.trim())
    throw bad('Say what the action is in description.', `${element}.detail.description`);
  const id = activity.id && isUuid(activity.id) ? activity.id : activity.id ? undefined : randomUUID();
  if (!id)
    throw bad('An activity’s id is the action’s uuid (or leave it out for a new action).', `${element}.id`);
  return {
    id,
    what: detail.description,
    who: {
      kind: resolvedKind,
      name: performer?.display ?? '',
      ...(organisationId ? { organisationId } : {}),
      ...(teamId ? { teamId } : {}),
    },
    ...(detail.scheduledString !== undefined ? { when: detail.scheduledString } : {}),
    status: statusOf(detail.status, `${element}.detail.status`),
    ...(confidence !== undefined ? { confidence } : {}),
  };
}

/**
 * The plan content a CarePlan states, for `PlanService.save` (the SavePlanVersion contract's
 * `content`), and its change summary. Elements we cannot keep are refused, naming them.
 */
export function planContentOf(
  personId: string,
  plan: CarePlan,
): { content: CarePlanContent; changeSummary: string } {
  keepOnly(plan);
  if (subjectOf(plan) !== personId)
    throw bad('The subject must be the person whose plan this is.', 'subject');
  if (plan.status !== 'active') throw bad('The plan in use is active; give status active.', 'status');
  if (plan.intent !== 'plan') throw bad('Give intent plan.', 'intent');
  const content = emptyCarePlan();
  let changeSummary = '';
  for (const ext of plan.extension ?? []) {
    if (!PLAN_EXTENSIONS.has(ext.url)) throw unkeptExtension(ext.url);
    if (ext.url === REVIEW_DATE_EXTENSION) content.review.plannedDate = ext.valueDate ?? null;
    if (ext.url === AGREED_ON_EXTENSION) content.agreedWith.agreedOn = ext.valueDate ?? null;
    if (ext.url === CHANGE_SUMMARY_EXTENSION) changeSummary = ext.valueString ?? '';
  }
  for (const [i, note] of (plan.note ?? []).entries()) {
    const code = note.extension?.find((e) => e.url === SECTION_EXTENSION)?.valueCode;
    const section = TEXT_SECTIONS.find((s) => s.code === code);
    if (code === STRENGTH) content.strengths.push(note.text);
    else if (section) section.set(content, note.text);
    else {
      throw bad(
        `Each note is a section of the plan, marked with the extension ${SECTION_EXTENSION}: ${[...TEXT_SECTIONS.map((s) => s.code), STRENGTH].join(', ')}.`,
        `note[${i}]`,
      );
    }
  }
  const goals = goalsOf(personId, plan);
  for (const [i, activity] of (plan.activity ?? []).entries()) {
    const refs = activity.detail?.goal ?? [];
    const goal = refs.length === 1 ? goals.find((g) => g.key === goalKey(refs[0])) : undefined;
    if (!goal)
      throw bad(
        'Each activity names one of the plan’s goals in detail.goal, as CarePlan.goal names it.',
        `activity[${i}].detail.goal`,
      );
    goal.goal.actions.push(actionOf(personId, activity, i));
  }
  content.goals = goals.map((g) => g.goal);
  return { content, changeSummary };
}

// ---------------------------------------------------------------------------------------------
// The handler

const params: SearchParamDefinition<CarePlan>[] = [
  {
    name: 'status',
    type: 'token',
    documentation: 'active (the plan in use)',
    valuesOf: (p) => [{ code: p.status }],
  },
  { name: 'intent', type: 'token', documentation: 'plan', valuesOf: (p) => [{ code: p.intent }] },
  {
    name: 'goal',
    type: 'reference',
    documentation: 'A Goal (personal outcome) the plan works towards',
    valuesOf: (p) => goalReferencesOf(p),
  },
];

/** The Goals a plan names that are resources of their own (not contained). */
export function goalReferencesOf(plan: CarePlan): string[] {
  return [
    ...new Set(
      (plan.goal ?? []).flatMap((g) => (g.reference && !g.reference.startsWith('#') ? [g.reference] : [])),
    ),
  ];
}

async function currentPlan(ctx: FhirContext, personId: string): Promise<CarePlan[]> {
  const current = await ctx.services.plans.currentRecorded(ctx.actor, personId);
  return current ? [carePlanOf(personId, current)] : [];
}

/** The same for many people at once (bulk export), in one read; the grants were checked and audited by the caller. */
async function currentPlans(
  ctx: FhirContext,
  grants: readonly AccessGrant[],
): Promise<Map<string, CarePlan[]>> {
  const current = await ctx.services.plans.currentRecordedOfEach(grants);
  return new Map([...current].map(([personId, version]) => [personId, [carePlanOf(personId, version)]]));
}

/** Saves the plan a CarePlan states as a new version based on `basedOn` (0 for a first plan). */
async function savePlan(
  ctx: FhirContext,
  personId: string,
  plan: CarePlan,
  basedOn: number,
  previousSummary = '',
) {
  const { content, changeSummary } = wellFormed('CarePlan', () => planContentOf(personId, plan));
  // A copy of the current version's summary is not a summary of this change.
  const summary = changeSummary === previousSummary ? '' : changeSummary;
  await ctx.services.plans.save(ctx.actor, personId, {
    content,
    basedOn,
    ...(summary ? { changeSummary: summary } : {}),
  });
  const [saved] = await currentPlan(ctx, personId);
  return saved as CarePlan;
}

export const carePlanFhir = personResources<CarePlan>({
  type: 'CarePlan',
  documentation:
    'The person’s care and support plan (PRSB), one per person (id = the person’s id); every saved version is a version (vread, history). Goals linked to personal outcomes reference their Goal; others are contained. Create makes a first plan; update saves a new version (If-Match recommended).',
  searchParams: params,
  includes: [{ name: 'CarePlan:goal', referencesOf: goalReferencesOf }],
  personOfId: (id) => (isUuid(id) ? id : null),
  listForPerson: currentPlan,
  listForPeople: currentPlans,
  async historyOf(ctx, id) {
    if (!isUuid(id)) return [];
    const versions = await ctx.services.plans.history(ctx.actor, id);
    return versions.map((v) => carePlanOf(id, v));
  },
  async create(ctx, plan) {
    const personId = wellFormed('CarePlan', () => subjectOf(plan));
    const view = await ctx.services.plans.view(ctx.actor, personId);
    if (view.current) {
      throw new ServiceError(
        409,
        'Plan exists',
        `This person already has a plan (version ${view.current.version}); update it with PUT CarePlan/${personId}.`,
        'CarePlan.subject',
      );
    }
    return savePlan(ctx, personId, plan, 0);
  },
  async update(ctx, id, plan, current) {
    const basedOn = Number(current.meta?.versionId);
    const previous = current.extension?.find((e) => e.url === CHANGE_SUMMARY_EXTENSION)?.valueString ?? '';
    return savePlan(ctx, id, plan, basedOn, previous);
  },
});
