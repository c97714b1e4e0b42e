import type { CodeableConcept, Extension, Goal } from '@medplum/fhirtypes';
import { todayIso } from '../../domain/calendar.js';
import type { OutcomeStatus } from '../../domain/conversations.js';
import { GAS_LEVELS, type GasLevel } from '../../domain/gas.js';
import { isUuid, parsePersonRowId, parseReference, personRowId } from '../../domain/interop/fhir-ids.js';
import type { SearchParamDefinition, TokenValue } from '../../domain/interop/fhir-search.js';
import { firstCreatedExtension } from '../../domain/interop/first-created.js';
import {
  GAS_GOAL_MEASURE,
  gasAnswerOf,
  gasLevelOfAnswer,
  PCO_GAS_EXTENSION,
} from '../../domain/interop/pco.js';
import { whatmattersCodeSystem, whatmattersExtension } from '../../domain/interop/uk-core.js';
import type { Viewpoint } from '../../domain/ratings.js';
import { elementRules, type FhirContext } from '../../interop/fhir/handler.js';
import { personResources } from '../../interop/fhir/person-resources.js';
import { ContractError } from '../../services/contract.js';
import { ServiceError } from '../../services/errors.js';
import type { AccessGrant } from '../record-access/person-access.js';
import type { AddOutcomeInput, GasGoalInput } from './schema.js';
import type { VersionedOutcome } from './service.js';

/**
 * Goal: one per personal outcome, what matters to the person in their own words
 * (`description.text`), with its domains as categories and, when it has one, its GAS goal as the
 * HL7 Person-Centered Outcomes IG writes it: five `pco-goal-attainment-scaling` extensions (a
 * LOINC LL6900-6 level and its text) and the target LOINC 107332-9 with the expected level. What
 * the PCO IG has no place for (why it matters, importance, the GAS baseline and weighting) is in
 * our own extensions, so a Goal read here can be created again without losing anything.
 */

export const WHY_IT_MATTERS_EXTENSION = whatmattersExtension('why-it-matters');
export const IMPORTANCE_EXTENSION = whatmattersExtension('importance');
/** The GAS goal's scoring: `baseline` (a LOINC LL6900-6 answer), `importance`, `difficulty`, `weight`. */
export const GAS_SCORING_EXTENSION = whatmattersExtension('gas-scoring');
export const OUTCOME_DOMAIN_SYSTEM = whatmattersCodeSystem('outcome-domain');
const GOAL_ACHIEVEMENT_SYSTEM = 'http://terminology.hl7.org/CodeSystem/goal-achievement';

/** Our outcome statuses as Goal's lifecycle (and achievement) status: every status, one way. */
export const GOAL_STATUS_OF: Readonly<
  Record<OutcomeStatus, { lifecycleStatus: Goal['lifecycleStatus']; achievement?: 'achieved' }>
> = {
  active: { lifecycleStatus: 'active' },
  achieved: { lifecycleStatus: 'completed', achievement: 'achieved' },
  'no-longer-relevant': { lifecycleStatus: 'cancelled' },
};

export const goalIdOf = (personId: string, outcomeId: string) => personRowId(personId, outcomeId);

/**
 * Who added it, as R4 Goal.expressedBy (Reference(Patient | Practitioner | PractitionerRole |
 * RelatedPerson), https://hl7.org/fhir/R4/goal-definitions.html#Goal.expressedBy): the person's
 * Patient; a member of staff's Practitioner (their account's id, as recorded-by names one); a
 * carer by name as a RelatedPerson (their account is no RelatedPerson's id: as a carer's rating
 * names them). A system client's account is no one's: left out (read back as a practitioner's).
 */
function expressedByOf(personId: string, o: VersionedOutcome): Pick<Goal, 'expressedBy'> {
  if (o.addedBy === 'person') return { expressedBy: { reference: `Patient/${personId}` } };
  const account = o.addedByAccount;
  if (!account || account.system) return {};
  if (o.addedBy === 'carer') return { expressedBy: { type: 'RelatedPerson', display: account.name } };
  return { expressedBy: { reference: `Practitioner/${account.userId}`, display: account.name } };
}

/**
 * Who added a Goal, read back from `expressedBy` (expressedByOf's inverse): the viewpoint (the
 * person when it is their Patient, a carer for a RelatedPerson, else a practitioner, as when it is
 * absent) and the Practitioner's id in the input when it names one. Read by bulk import.
 */
export function addedByOf(
  goal: Goal,
  personId: string,
): { viewpoint: Viewpoint; practitionerId: string | null } {
  const by = goal.expressedBy;
  const ref = by?.reference ? parseReference(by.reference) : null;
  const type = ref?.type ?? by?.type;
  if (type === 'Patient' && (!ref || ref.id === personId || by?.reference === goal.subject?.reference))
    return { viewpoint: 'person', practitionerId: null };
  if (type === 'RelatedPerson') return { viewpoint: 'carer', practitionerId: null };
  return { viewpoint: 'practitioner', practitionerId: type === 'Practitioner' ? (ref?.id ?? null) : null };
}

const later = (a: string, b: string) => (Date.parse(a) >= Date.parse(b) ? a : b);

export function goalOf(personId: string, o: VersionedOutcome): Goal {
  const status = GOAL_STATUS_OF[o.status];
  const gas = o.gas;
  const extension: Extension[] = [
    ...(o.whyItMatters ? [{ url: WHY_IT_MATTERS_EXTENSION, valueString: o.whyItMatters }] : []),
    ...(o.importance !== null ? [{ url: IMPORTANCE_EXTENSION, valueInteger: o.importance }] : []),
    ...(gas
      ? [
          // +2 first, as the PCO IG's example and LOINC's answer list order them.
          ...[...GAS_LEVELS].reverse().map((level) => ({
            url: PCO_GAS_EXTENSION,
            extension: [
              { url: 'level', valueCoding: gasAnswerOf(level) },
              { url: 'text', valueString: gas.levels[level] },
            ],
          })),
          {
            url: GAS_SCORING_EXTENSION,
            extension: [
              { url: 'baseline', valueCoding: gasAnswerOf(gas.baselineLevel) },
              ...(gas.importance !== null ? [{ url: 'importance', valueInteger: gas.importance }] : []),
              ...(gas.difficulty !== null ? [{ url: 'difficulty', valueInteger: gas.difficulty }] : []),
              { url: 'weight', valueDecimal: gas.weight },
            ],
          },
        ]
      : []),
  ];
  return {
    resourceType: 'Goal',
    id: goalIdOf(personId, o.outcomeId),
    meta: {
      // The outcome's row and its GAS goal's each keep a version; the Goal shows both, so either
      // changing (or a GAS goal being set) gives a new version.
      versionId: String(o.versionId + (gas ? gas.versionId : 0)),
      lastUpdated: gas ? later(o.lastUpdated, gas.lastUpdated) : o.lastUpdated,
      // startDate is the day; this is the instant it was recorded (the order of a day's outcomes).
      extension: [firstCreatedExtension(o.createdAt)],
    },
    ...(extension.length ? { extension } : {}),
    lifecycleStatus: status.lifecycleStatus,
    ...(status.achievement
      ? {
          achievementStatus: {
            coding: [{ system: GOAL_ACHIEVEMENT_SYSTEM, code: status.achievement, display: 'Achieved' }],
          },
        }
      : {}),
    ...(o.domains.length
      ? {
          category: o.domains.map((d) => ({
            coding: [{ system: OUTCOME_DOMAIN_SYSTEM, code: d.domainId, display: d.name }],
          })),
        }
      : {}),
    description: { text: o.statement },
    subject: { reference: `Patient/${personId}` },
    startDate: todayIso(new Date(o.createdAt)),
    ...expressedByOf(personId, o),
    ...(gas
      ? {
          target: [
            {
              measure: { coding: [GAS_GOAL_MEASURE] },
              detailCodeableConcept: { coding: [gasAnswerOf(0)] },
            },
          ],
        }
      : {}),
  };
}

/**
 * A refusal whose field the services name in their own contract's terms (`statement`,
 * `gas.levels.-2`), renamed to the element of the resource it came from, so an OperationOutcome
 * names what the client sent.
 */
export async function withFhirFields<T>(
  run: () => Promise<T>,
  elementOf: (field: string) => string,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (
      error instanceof ContractError ||
      (error instanceof ServiceError && error.field && error.status === 422)
    ) {
      const field = error.field ?? '';
      throw new ServiceError(422, error.title, error.message, elementOf(field));
    }
    throw error;
  }
}

/** Elements of a Goal this server keeps on create; anything else would be lost, so it is refused. */
const { bad, keepOnly, unkeptExtension } = elementRules('Goal', [
  'resourceType',
  'id',
  'meta',
  'text',
  'extension',
  'lifecycleStatus',
  'achievementStatus',
  'category',
  'description',
  'subject',
  'startDate',
  'expressedBy',
  'target',
]);

/** The person a resource's `subject` names, or a refusal naming the element. */
export function subjectPersonOf(subject: { reference?: string } | undefined, type: string): string {
  const ref = subject?.reference ? parseReference(subject.reference) : null;
  if (ref?.type !== 'Patient' || !isUuid(ref.id)) {
    throw new ServiceError(
      422,
      `Invalid ${type}`,
      `Give the person as subject: Patient/{id}.`,
      `${type}.subject`,
    );
  }
  return ref.id;
}

const levelOfCoding = (coding: { system?: string; code?: string } | undefined, element: string): GasLevel => {
  const level = gasLevelOfAnswer(coding);
  if (level === null)
    throw bad('A GAS level is a LOINC answer from LL6900-6 (LA34479-8 … LA34484-8).', element);
  return level;
};

/**
 * The GAS goal a Goal carries (the five PCO scaling extensions, `gas-scoring`, the 107332-9
 * target), or null when it carries none; refuses a malformed one naming the element. Shared by
 * create (newOutcomeOf) and bulk import (interop/fhir/import-goals.ts).
 */
export function gasOf(goal: Goal): GasGoalInput | null {
  const scaling = (goal.extension ?? []).filter((e) => e.url === PCO_GAS_EXTENSION);
  const scoring = (goal.extension ?? []).filter((e) => e.url === GAS_SCORING_EXTENSION);
  if (!scaling.length && !scoring.length && !goal.target) return null;
  if (scaling.length !== 5) {
    throw bad(
      'A GAS goal has five pco-goal-attainment-scaling extensions, one for each level −2 to +2.',
      'extension',
    );
  }
  const levels = {} as Record<'-2' | '-1' | '0' | '1' | '2', string>;
  for (const ext of scaling) {
    const parts = ext.extension ?? [];
    if (parts.some((p) => p.url !== 'level' && p.url !== 'text') || parts.length !== 2) {
      throw bad(
        'Each GAS level extension has one level (valueCoding) and one text (valueString).',
        'extension',
      );
    }
    const level = levelOfCoding(parts.find((p) => p.url === 'level')?.valueCoding, 'extension.level');
    const text = parts.find((p) => p.url === 'text')?.valueString;
    if (!text?.trim()) throw bad('Describe every GAS level (text.valueString).', 'extension.text');
    const key = String(level) as keyof typeof levels;
    if (levels[key] !== undefined) throw bad(`The GAS level ${level} is given twice.`, 'extension.level');
    levels[key] = text;
  }
  if (scoring.length !== 1) {
    throw bad(
      `A GAS goal needs its baseline: one ${GAS_SCORING_EXTENSION} extension with baseline.`,
      'extension',
    );
  }
  const parts = scoring[0]?.extension ?? [];
  const known = ['baseline', 'importance', 'difficulty', 'weight'];
  const unknown = parts.find((p) => !known.includes(p.url));
  if (unknown) throw bad(`${GAS_SCORING_EXTENSION} has no part ${unknown.url}.`, 'extension');
  const part = (url: string) => parts.find((p) => p.url === url);
  const baselineLevel = levelOfCoding(part('baseline')?.valueCoding, 'extension.baseline');
  const [target, ...more] = goal.target ?? [];
  if (more.length) throw bad('Only one target is kept: the GAS measure.', 'target');
  if (target) {
    const measure = target.measure?.coding?.[0];
    const others = Object.keys(target).filter((k) => k !== 'measure' && k !== 'detailCodeableConcept');
    if (
      measure?.system !== GAS_GOAL_MEASURE.system ||
      measure.code !== GAS_GOAL_MEASURE.code ||
      others.length
    ) {
      throw bad(
        `The only target kept is the GAS measure (${GAS_GOAL_MEASURE.system}|${GAS_GOAL_MEASURE.code}).`,
        'target',
      );
    }
    const detail = target.detailCodeableConcept?.coding?.[0];
    if (detail && levelOfCoding(detail, 'target.detailCodeableConcept') !== 0) {
      throw bad(
        'The GAS target is the expected outcome, level 0 (LA34481-4).',
        'target.detailCodeableConcept',
      );
    }
  }
  return {
    levels,
    baselineLevel,
    ...(part('importance') ? { importance: part('importance')?.valueInteger ?? null } : {}),
    ...(part('difficulty') ? { difficulty: part('difficulty')?.valueInteger ?? null } : {}),
    ...(part('weight') ? { weight: part('weight')?.valueDecimal ?? null } : {}),
  };
}

/** What a new Goal asks to add: the person, the outcomes service's own contract input, and its GAS goal. */
export function newOutcomeOf(
  goal: Goal,
  caller: { personId: string | null },
): { personId: string; input: AddOutcomeInput; gas: GasGoalInput | null } {
  keepOnly(goal);
  const personId = subjectPersonOf(goal.subject, 'Goal');
  if (goal.lifecycleStatus !== 'active') {
    throw bad(
      'A new goal is active: give lifecycleStatus active (it changes at a review).',
      'lifecycleStatus',
    );
  }
  const achievement = goal.achievementStatus?.coding ?? [];
  if (goal.achievementStatus && (achievement.length !== 1 || achievement[0]?.code !== 'in-progress')) {
    throw bad(
      'A new goal’s achievement is in progress, or leave achievementStatus out.',
      'achievementStatus',
    );
  }
  if (goal.description?.coding)
    throw bad('Only the words of description.text are kept.', 'description.coding');
  const statement = goal.description?.text;
  if (!statement?.trim())
    throw bad('Give what matters in the person’s own words (description.text).', 'description.text');
  if (goal.startDate !== undefined && goal.startDate !== todayIso()) {
    throw bad('A goal added here starts today; leave startDate out.', 'startDate');
  }
  if (goal.expressedBy) {
    const ref = goal.expressedBy.reference ? parseReference(goal.expressedBy.reference) : null;
    const self = caller.personId === personId && ref?.type === 'Patient' && ref.id === personId;
    if (!self) {
      throw bad(
        'Who expressed the goal is who adds it: leave expressedBy out (or name yourself, on your own record).',
        'expressedBy',
      );
    }
  }
  const domainIds = (goal.category ?? []).map((c: CodeableConcept, i) => {
    const coding = c.coding ?? [];
    const code = coding[0]?.code;
    if (coding.length !== 1 || coding[0]?.system !== OUTCOME_DOMAIN_SYSTEM || !code || !isUuid(code)) {
      throw bad(
        `A category is a domain of the framework: ${OUTCOME_DOMAIN_SYSTEM}|{domain id}.`,
        `category[${i}]`,
      );
    }
    return code;
  });
  let whyItMatters: string | undefined;
  let importance: number | null | undefined;
  for (const ext of goal.extension ?? []) {
    if (ext.url === WHY_IT_MATTERS_EXTENSION) whyItMatters = ext.valueString;
    else if (ext.url === IMPORTANCE_EXTENSION) importance = ext.valueInteger ?? null;
    else if (ext.url !== PCO_GAS_EXTENSION && ext.url !== GAS_SCORING_EXTENSION) {
      throw unkeptExtension(ext.url);
    }
  }
  return {
    personId,
    input: {
      statement,
      ...(whyItMatters !== undefined ? { whyItMatters } : {}),
      domainIds,
      ...(importance !== undefined ? { importance } : {}),
    },
    gas: gasOf(goal),
  };
}

/** The Goal element a field of AddOutcome or of a GAS goal came from. */
function goalElementOf(field: string): string {
  if (field === 'statement') return 'Goal.description.text';
  if (field.startsWith('domainIds')) return 'Goal.category';
  if (field === 'whyItMatters' || field === 'importance') return 'Goal.extension';
  if (field.startsWith('levels') || field.startsWith('gas.levels')) return 'Goal.extension.text';
  if (field.startsWith('baselineLevel') || field.startsWith('gas.baselineLevel'))
    return 'Goal.extension.baseline';
  return 'Goal.extension';
}

const codes = (concepts: CodeableConcept[] | CodeableConcept | undefined): TokenValue[] =>
  [concepts ?? []]
    .flat()
    .flatMap((c) => (c.coding ?? []).map((x) => ({ system: x.system, code: x.code ?? '' })));

const params: SearchParamDefinition<Goal>[] = [
  {
    name: 'lifecycle-status',
    type: 'token',
    documentation: 'active, completed (achieved) or cancelled (no longer relevant)',
    valuesOf: (g) => [{ code: g.lifecycleStatus }],
  },
  {
    name: 'achievement-status',
    type: 'token',
    documentation: 'achieved, for an achieved outcome',
    valuesOf: (g) => codes(g.achievementStatus),
  },
  {
    name: 'category',
    type: 'token',
    documentation: `A domain of the outcomes framework: ${OUTCOME_DOMAIN_SYSTEM}|{domain id}`,
    valuesOf: (g) => codes(g.category),
  },
  {
    name: 'start-date',
    type: 'date',
    documentation: 'The day the outcome was added',
    valuesOf: (g) => (g.startDate ? [{ start: g.startDate }] : []),
  },
];

async function goalsOf(ctx: FhirContext, personId: string): Promise<Goal[]> {
  return (await ctx.services.outcomes.versionedOutcomes(ctx.actor, personId)).map((o) => goalOf(personId, o));
}

/** goalsOf for many people at once (bulk export), the grants checked by the caller. */
async function goalsOfEach(ctx: FhirContext, grants: readonly AccessGrant[]): Promise<Map<string, Goal[]>> {
  const outcomes = await ctx.services.outcomes.versionedOutcomesOfEach(grants);
  return new Map([...outcomes].map(([personId, own]) => [personId, own.map((o) => goalOf(personId, o))]));
}

export const goalFhir = personResources<Goal>({
  type: 'Goal',
  documentation:
    'What matters to the person, in their own words: one Goal per personal outcome, its domains as categories, its GAS goal as the HL7 PCO IG writes it (pco-goal-attainment-scaling extensions, target LOINC 107332-9). Create adds what matters (with a GAS goal: care staff only); there is no update (a status changes at a review).',
  searchParams: params,
  includes: [
    { name: 'Goal:patient', referencesOf: (g) => (g.subject?.reference ? [g.subject.reference] : []) },
  ],
  listForPerson: goalsOf,
  listForPeople: goalsOfEach,
  async create(ctx, goal) {
    const { personId, input, gas } = newOutcomeOf(goal, ctx.actor);
    const outcomeId = await withFhirFields(
      () =>
        gas
          ? ctx.services.outcomes.addWithGasGoal(ctx.actor, personId, input, gas)
          : ctx.services.outcomes.add(ctx.actor, personId, input),
      goalElementOf,
    );
    const id = goalIdOf(personId, outcomeId);
    const created = (await goalsOf(ctx, personId)).find((g) => g.id === id);
    if (!created) throw new ServiceError(404, 'Not found', 'The goal was added but cannot be read back.');
    return created;
  },
});

/** The outcome a `Goal/{id}` reference names in this person's record, or null. */
export function outcomeOfGoalReference(reference: string | undefined, personId: string): string | null {
  const ref = reference ? parseReference(reference) : null;
  if (ref?.type !== 'Goal') return null;
  const ids = parsePersonRowId(ref.id);
  return ids && ids.personId === personId ? ids.rowId : null;
}
