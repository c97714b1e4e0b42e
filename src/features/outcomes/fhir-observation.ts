import type {
  CodeableConcept,
  Observation,
  Patient,
  Practitioner,
  Reference,
  RelatedPerson,
} from '@medplum/fhirtypes';
import { todayIso } from '../../domain/calendar.js';
import type { GasLevel } from '../../domain/gas.js';
import { derivedUuid, parseReference, personRowId } from '../../domain/interop/fhir-ids.js';
import type { SearchParamDefinition, TokenValue } from '../../domain/interop/fhir-search.js';
import { GAS_SCORE_CODES, gasAnswerOf, gasLevelOfAnswer, LOINC_SYSTEM } from '../../domain/interop/pco.js';
import { whatmattersCodeSystem } from '../../domain/interop/uk-core.js';
import { INSTRUMENTS } from '../../domain/measures/instruments/index.js';
import { VIEWPOINT_LABELS, VIEWPOINTS, type Viewpoint } from '../../domain/ratings.js';
import { elementRules, type FhirContext } from '../../interop/fhir/handler.js';
import { personResources } from '../../interop/fhir/person-resources.js';
import { ServiceError } from '../../services/errors.js';
import type { StoredScore } from '../measures/service.js';
import type { AccessGrant } from '../record-access/person-access.js';
import { goalIdOf, outcomeOfGoalReference, subjectPersonOf, withFhirFields } from './fhir-goal.js';
import type { RecordedByAccount, VersionedOutcome } from './store.js';

/**
 * Observation: everything observed about the person's outcomes, from one handler over four
 * sources of the record —
 *  - outcome ratings (1 to the framework's top score, from a viewpoint): our code
 *    `observation|outcome-rating`, the viewpoint as a category from our `viewpoint` code system and
 *    as the performer (the Patient, the practitioner, or the carer by name), `focus` the Goal;
 *  - GAS attainments: LOINC 107333-7 (practitioner follow-up), the level as its LL6900-6 answer;
 *  - each GAS goal's baseline: LOINC 112296-9, derived from the goal (it has no row of its own);
 *  - scores of standard measures: the instrument's LOINC code where it has one, else our
 *    `instrument-score` code, `derivedFrom` the QuestionnaireResponse.
 * All are insert-only: version 1, never updated.
 */

export const OBSERVATION_CODE_SYSTEM = whatmattersCodeSystem('observation');
export const VIEWPOINT_SYSTEM = whatmattersCodeSystem('viewpoint');
export const INSTRUMENT_SCORE_SYSTEM = whatmattersCodeSystem('instrument-score');
const OBSERVATION_CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';

export const OUTCOME_RATING_CODE = {
  system: OBSERVATION_CODE_SYSTEM,
  code: 'outcome-rating',
  display: 'Outcome rating',
};

const patientRef = (personId: string): Reference<Patient> => ({ reference: `Patient/${personId}` });

/** A member of staff as a Practitioner; a system client's account by name only (it is no Practitioner). */
function staffRef(account: RecordedByAccount): Reference<Practitioner> {
  return account.system || !account.userId
    ? { display: account.name }
    : { reference: `Practitioner/${account.userId}`, display: account.name };
}

const viewpointCategory = (viewpoint: Viewpoint): CodeableConcept => ({
  coding: [{ system: VIEWPOINT_SYSTEM, code: viewpoint, display: VIEWPOINT_LABELS[viewpoint] }],
});

const insertOnly = (at: string) => ({ versionId: '1', lastUpdated: at });

export function ratingObservations(personId: string, o: VersionedOutcome): Observation[] {
  return o.ratings.map((r) => ({
    resourceType: 'Observation',
    id: personRowId(personId, r.ratingId),
    meta: insertOnly(r.ratedAt),
    status: 'final',
    category: [viewpointCategory(r.viewpoint)],
    code: { coding: [OUTCOME_RATING_CODE], text: `Rating of an outcome on ${o.framework.name}’s scale` },
    subject: patientRef(personId),
    focus: [{ reference: `Goal/${goalIdOf(personId, o.outcomeId)}` }],
    ...encounterOfConversation(personId, r.conversationId),
    effectiveDateTime: r.ratedAt,
    performer: [
      r.viewpoint === 'person'
        ? patientRef(personId)
        : r.viewpoint === 'practitioner'
          ? staffRef(r.ratedByAccount)
          : ({ type: 'RelatedPerson', display: r.ratedBy } as Reference<RelatedPerson>),
    ],
    valueInteger: r.score,
    ...(o.framework.ratingLabels[r.score - 1]
      ? { interpretation: [{ text: o.framework.ratingLabels[r.score - 1] as string }] }
      : {}),
    ...(r.note ? { note: [{ text: r.note }] } : {}),
  }));
}

/** The conversation a rating or score was recorded at, as its Encounter (fhir-encounter.ts ids). */
const encounterOfConversation = (personId: string, conversationId: string | null) =>
  conversationId ? { encounter: { reference: `Encounter/${personRowId(personId, conversationId)}` } } : {};

const gasValue = (level: GasLevel): CodeableConcept => ({ coding: [gasAnswerOf(level)] });

export function gasObservations(personId: string, o: VersionedOutcome): Observation[] {
  const gas = o.gas;
  if (!gas) return [];
  const focus = [{ reference: `Goal/${goalIdOf(personId, o.outcomeId)}` }];
  const baseline: Observation = {
    resourceType: 'Observation',
    id: personRowId(personId, derivedUuid('gas-baseline', gas.goalId)),
    meta: { versionId: String(gas.versionId), lastUpdated: gas.lastUpdated },
    status: 'final',
    code: { coding: [GAS_SCORE_CODES.baseline] },
    subject: patientRef(personId),
    focus,
    effectiveDateTime: gas.createdAt,
    performer: [staffRef(gas.createdBy)],
    valueCodeableConcept: gasValue(gas.baselineLevel),
  };
  return [
    baseline,
    ...gas.attainments.map(
      (a): Observation => ({
        resourceType: 'Observation',
        id: personRowId(personId, a.attainmentId),
        meta: insertOnly(a.recordedAt),
        status: 'final',
        category: [viewpointCategory('practitioner')],
        code: { coding: [GAS_SCORE_CODES.practitioner] },
        subject: patientRef(personId),
        focus,
        ...encounterOfConversation(personId, a.conversationId),
        effectiveDateTime: a.recordedAt,
        performer: [staffRef(a.recordedBy)],
        valueCodeableConcept: gasValue(a.level),
      }),
    ),
  ];
}

/** The code of a measure's score: the instrument's standard code where it has one, else ours. */
export function scoreCode(s: Pick<StoredScore, 'instrument' | 'scoreKey' | 'title'>): CodeableConcept {
  const definition = s.instrument
    ? INSTRUMENTS[s.instrument].scores.find((d) => d.key === s.scoreKey)
    : undefined;
  const text = `${s.title}: ${definition?.label ?? s.scoreKey}`;
  if (definition?.code?.system && definition.code.code) {
    return {
      coding: [
        {
          system: definition.code.system,
          code: definition.code.code,
          ...(definition.code.display ? { display: definition.code.display } : {}),
        },
      ],
      text,
    };
  }
  return {
    coding: [
      { system: INSTRUMENT_SCORE_SYSTEM, code: s.instrument ? `${s.instrument}.${s.scoreKey}` : s.scoreKey },
    ],
    text,
  };
}

export function scoreObservation(personId: string, s: StoredScore): Observation {
  return {
    resourceType: 'Observation',
    id: personRowId(personId, derivedUuid('measure-score', s.responseId, s.scoreKey)),
    meta: insertOnly(s.recordedAt),
    status: 'final',
    category: [{ coding: [{ system: OBSERVATION_CATEGORY_SYSTEM, code: 'survey', display: 'Survey' }] }],
    code: scoreCode(s),
    subject: patientRef(personId),
    effectiveDateTime: s.observedOn,
    issued: s.recordedAt,
    performer: [s.completedBy === 'person' ? patientRef(personId) : { display: s.recordedBy }],
    ...(Number.isInteger(s.value) ? { valueInteger: s.value } : { valueQuantity: { value: s.value } }),
    ...(s.band ? { interpretation: [{ text: s.band }] } : {}),
    derivedFrom: [{ reference: `QuestionnaireResponse/${personRowId(personId, s.responseId)}` }],
  };
}

async function observationsOf(ctx: FhirContext, personId: string): Promise<Observation[]> {
  const [outcomes, scores] = await Promise.all([
    ctx.services.outcomes.versionedOutcomes(ctx.actor, personId),
    ctx.services.measures.scoresForFhir(ctx.actor, personId),
  ]);
  return observationsFrom(personId, outcomes, scores);
}

/**
 * observationsOf for many people at once (bulk export), the grants checked by the caller: the
 * outcomes read is shared with Goal's, asked side by side with the same grants.
 */
async function observationsOfEach(
  ctx: FhirContext,
  grants: readonly AccessGrant[],
): Promise<Map<string, Observation[]>> {
  const [outcomes, scores] = await Promise.all([
    ctx.services.outcomes.versionedOutcomesOfEach(grants),
    ctx.services.measures.scoresForFhirOfEach(grants),
  ]);
  const observations = new Map<string, Observation[]>();
  for (const { personId } of grants) {
    const own = observationsFrom(personId, outcomes.get(personId) ?? [], scores.get(personId) ?? []);
    if (own.length) observations.set(personId, own);
  }
  return observations;
}

/** One person's Observations: each outcome's ratings and GAS scores, then the measures' scores. */
function observationsFrom(
  personId: string,
  outcomes: readonly VersionedOutcome[],
  scores: readonly StoredScore[],
): Observation[] {
  return [
    ...outcomes.flatMap((o) => [...ratingObservations(personId, o), ...gasObservations(personId, o)]),
    ...scores.map((s) => scoreObservation(personId, s)),
  ];
}

// ——— create ———

const { bad, keepOnly } = elementRules('Observation', [
  'resourceType',
  'id',
  'meta',
  'text',
  'status',
  'category',
  'code',
  'subject',
  'focus',
  'effectiveDateTime',
  'performer',
  'valueInteger',
  'valueCodeableConcept',
  'note',
]);

/** The viewpoint a performer reference stands for. */
function viewpointOfPerformer(performer: Reference, personId: string): Viewpoint {
  const ref = performer.reference ? parseReference(performer.reference) : null;
  const type = ref?.type ?? performer.type;
  if (type === 'Patient' && (!ref || ref.id === personId)) return 'person';
  if (type === 'Practitioner' || type === 'PractitionerRole') return 'practitioner';
  if (type === 'RelatedPerson') return 'carer';
  throw bad('The performer is the Patient, a Practitioner or a RelatedPerson (the one rating).', 'performer');
}

/** The viewpoint the body claims (category or performer), checked against each other; null when it names none. */
function claimedViewpoint(
  obs: Observation,
  personId: string,
): { viewpoint: Viewpoint; field: string } | null {
  let claimed: { viewpoint: Viewpoint; field: string } | null = null;
  for (const [i, category] of (obs.category ?? []).entries()) {
    for (const coding of category.coding ?? []) {
      if (
        coding.system !== VIEWPOINT_SYSTEM ||
        !(VIEWPOINTS as readonly string[]).includes(coding.code ?? '')
      ) {
        throw bad(
          `A rating's category is its viewpoint: ${VIEWPOINT_SYSTEM}|person, practitioner or carer.`,
          `category[${i}]`,
        );
      }
      claimed = { viewpoint: coding.code as Viewpoint, field: 'Observation.category' };
    }
  }
  if ((obs.performer?.length ?? 0) > 1) throw bad('A rating has one performer: the one rating.', 'performer');
  const [performer] = obs.performer ?? [];
  if (performer) {
    const viewpoint = viewpointOfPerformer(performer, personId);
    if (claimed && claimed.viewpoint !== viewpoint) {
      throw bad('The performer and the viewpoint category disagree.', 'performer');
    }
    claimed = { viewpoint, field: 'Observation.performer' };
  }
  return claimed;
}

function checkCommon(obs: Observation): string {
  keepOnly(obs);
  const personId = subjectPersonOf(obs.subject, 'Observation');
  if (obs.status !== 'final') throw bad('A rating or a GAS score recorded here is final.', 'status');
  if (obs.effectiveDateTime !== undefined) {
    const at = Date.parse(obs.effectiveDateTime);
    if (Number.isNaN(at) || todayIso(new Date(at)) !== todayIso()) {
      throw bad(
        'It is recorded as of now: give today’s date and time, or leave effectiveDateTime out.',
        'effectiveDateTime',
      );
    }
  }
  return personId;
}

function focusOutcome(obs: Observation, personId: string): string {
  if ((obs.focus?.length ?? 0) !== 1)
    throw bad('Name the goal as focus: Goal/{id}, one of this person’s.', 'focus');
  const outcomeId = outcomeOfGoalReference(obs.focus?.[0]?.reference, personId);
  if (!outcomeId) throw bad('The focus must be one of this person’s goals: Goal/{id}.', 'focus');
  return outcomeId;
}

/** What a new Observation asks to record: a rating, or a GAS attainment; anything else is refused. */
export type NewObservation =
  | {
      kind: 'rating';
      personId: string;
      outcomeId: string;
      input: { score: number; note?: string };
      claimed: { viewpoint: Viewpoint; field: string } | null;
    }
  | { kind: 'gas-attainment'; personId: string; outcomeId: string; level: GasLevel };

export function newObservationOf(obs: Observation): NewObservation {
  const personId = checkCommon(obs);
  const codings = obs.code?.coding ?? [];
  const coding = codings[0];
  if (codings.length !== 1 || !coding) throw bad('Give one code: what is observed.', 'code');
  if (coding.system === OBSERVATION_CODE_SYSTEM && coding.code === OUTCOME_RATING_CODE.code) {
    if (obs.valueCodeableConcept)
      throw bad('A rating is a whole number (valueInteger).', 'valueCodeableConcept');
    if (typeof obs.valueInteger !== 'number') throw bad('Give the rating as valueInteger.', 'valueInteger');
    if ((obs.note?.length ?? 0) > 1) throw bad('One note is kept with a rating.', 'note');
    const note = obs.note?.[0]?.text;
    return {
      kind: 'rating',
      personId,
      outcomeId: focusOutcome(obs, personId),
      input: { score: obs.valueInteger, ...(note !== undefined ? { note } : {}) },
      claimed: claimedViewpoint(obs, personId),
    };
  }
  if (coding.system === LOINC_SYSTEM && coding.code === GAS_SCORE_CODES.practitioner.code) {
    for (const key of ['valueInteger', 'note', 'category'] as const) {
      if (obs[key] !== undefined) throw bad(`A GAS score keeps no ${key}.`, key);
    }
    for (const performer of obs.performer ?? []) {
      if (viewpointOfPerformer(performer, personId) !== 'practitioner') {
        throw bad('A practitioner follow-up score (107333-7) is performed by a Practitioner.', 'performer');
      }
    }
    const level = gasLevelOfAnswer(obs.valueCodeableConcept?.coding?.[0]);
    if (level === null || (obs.valueCodeableConcept?.coding?.length ?? 0) !== 1) {
      throw bad(
        'The GAS level is a LOINC answer from LL6900-6 (LA34479-8 … LA34484-8).',
        'valueCodeableConcept',
      );
    }
    return { kind: 'gas-attainment', personId, outcomeId: focusOutcome(obs, personId), level };
  }
  const followUps: string[] = [GAS_SCORE_CODES.patient.code, GAS_SCORE_CODES.caregiver.code];
  if (coding.system === LOINC_SYSTEM && followUps.includes(coding.code ?? '')) {
    throw bad(
      `GAS scores are recorded by care staff here: use ${LOINC_SYSTEM}|${GAS_SCORE_CODES.practitioner.code}; the person and carers rate outcomes (${OBSERVATION_CODE_SYSTEM}|outcome-rating).`,
      'code',
    );
  }
  if (coding.system === LOINC_SYSTEM && coding.code === GAS_SCORE_CODES.baseline.code) {
    throw bad('A GAS baseline is set with its Goal (the gas-scoring extension), not on its own.', 'code');
  }
  throw bad(
    `Only outcome ratings (${OBSERVATION_CODE_SYSTEM}|outcome-rating) and GAS scores (${LOINC_SYSTEM}|${GAS_SCORE_CODES.practitioner.code}) can be created; a measure's scores come from its QuestionnaireResponse.`,
    'code',
  );
}

function observationElementOf(field: string): string {
  if (field === 'score') return 'Observation.valueInteger';
  if (field === 'note') return 'Observation.note';
  if (field === 'level') return 'Observation.valueCodeableConcept';
  if (field === 'outcomeId') return 'Observation.focus';
  return field.startsWith('Observation.') ? field : 'Observation';
}

const tokens = (concepts: CodeableConcept[] | CodeableConcept | undefined): TokenValue[] =>
  [concepts ?? []]
    .flat()
    .flatMap((c) => (c.coding ?? []).map((x) => ({ system: x.system, code: x.code ?? '' })));

const refs = (list: Reference[] | undefined) =>
  (list ?? []).flatMap((r) => (r.reference ? [r.reference] : []));

const params: SearchParamDefinition<Observation>[] = [
  {
    name: 'code',
    type: 'token',
    documentation: `What is observed: ${OBSERVATION_CODE_SYSTEM}|outcome-rating, ${LOINC_SYSTEM}|107333-7 (GAS), ${LOINC_SYSTEM}|112296-9 (GAS baseline), a measure's score code`,
    valuesOf: (o) => tokens(o.code),
  },
  {
    name: 'category',
    type: 'token',
    documentation: `The viewpoint of a rating or GAS score (${VIEWPOINT_SYSTEM}|person, practitioner, carer); survey for measures`,
    valuesOf: (o) => tokens(o.category),
  },
  {
    name: 'date',
    type: 'date',
    documentation: 'When it was observed (effective)',
    valuesOf: (o) => (o.effectiveDateTime ? [{ start: o.effectiveDateTime }] : []),
  },
  { name: 'status', type: 'token', documentation: 'Always final', valuesOf: (o) => [{ code: o.status }] },
  {
    name: 'focus',
    type: 'reference',
    documentation: 'The goal rated or scored (Goal/{id})',
    valuesOf: (o) => refs(o.focus),
  },
  {
    name: 'performer',
    type: 'reference',
    documentation: 'Who rated or scored it (Patient/{id} or Practitioner/{id})',
    valuesOf: (o) => refs(o.performer),
  },
  {
    name: 'derived-from',
    type: 'reference',
    documentation: 'The QuestionnaireResponse a measure’s score comes from',
    valuesOf: (o) => refs(o.derivedFrom),
  },
];

export const observationFhir = personResources<Observation>({
  type: 'Observation',
  documentation:
    'Ratings of each outcome from each viewpoint (our code outcome-rating, viewpoint as category and performer), GAS scores as the HL7 PCO IG codes them (LOINC 107333-7, baseline 112296-9, LL6900-6 answers) and the scores of standard measures. Create records a rating (from your own viewpoint) or a GAS score (care staff); observations are never updated.',
  searchParams: params,
  includes: [
    { name: 'Observation:patient', referencesOf: (o) => (o.subject?.reference ? [o.subject.reference] : []) },
    { name: 'Observation:focus', referencesOf: (o) => refs(o.focus) },
  ],
  listForPerson: observationsOf,
  listForPeople: observationsOfEach,
  async create(ctx, obs) {
    const wanted = newObservationOf(obs);
    const rowId = await withFhirFields(
      () =>
        wanted.kind === 'rating'
          ? ctx.services.outcomes.rate(
              ctx.actor,
              wanted.personId,
              wanted.outcomeId,
              wanted.input,
              wanted.claimed ?? undefined,
            )
          : ctx.services.outcomes.recordGasAttainment(
              ctx.actor,
              wanted.personId,
              wanted.outcomeId,
              wanted.level,
            ),
      observationElementOf,
    );
    const id = personRowId(wanted.personId, rowId);
    const created = (await observationsOf(ctx, wanted.personId)).find((o) => o.id === id);
    if (!created)
      throw new ServiceError(404, 'Not found', 'The observation was recorded but cannot be read back.');
    return created;
  },
});
