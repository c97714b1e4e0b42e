import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Goal, Reference } from '@medplum/fhirtypes';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CarePlanContent, emptyCarePlan } from '../../src/domain/care-plan.js';
import {
  CONVERSATION_KIND_SYSTEM,
  CONVERSATION_SUMMARY_EXTENSION,
  NEXT_REVIEW_DATE_EXTENSION,
  PARTICIPANT_KIND_SYSTEM,
} from '../../src/domain/interop/encounter.js';
import { derivedUuid } from '../../src/domain/interop/fhir-ids.js';
import {
  GAS_GOAL_MEASURE,
  GAS_SCORE_CODES,
  gasAnswerOf,
  PCO_GAS_EXTENSION,
} from '../../src/domain/interop/pco.js';
import { whatmattersExtension } from '../../src/domain/interop/uk-core.js';
import { INSTRUMENTS } from '../../src/domain/measures/instruments/index.js';
import { responseFromAnswers } from '../../src/domain/measures/response-checks.js';
import { COMMAND_LINE_CLIENT, clientAccountId } from '../../src/features/auth/client-account.js';
import { GAS_SCORING_EXTENSION } from '../../src/features/outcomes/fhir-goal.js';
import { OUTCOME_RATING_CODE, VIEWPOINT_SYSTEM } from '../../src/features/outcomes/fhir-observation.js';
import { RELATIONSHIP_ROLE_SYSTEM } from '../../src/features/people/fhir-related-person.js';
import { carePlanOf } from '../../src/features/plans/fhir-care-plan.js';
import { SHARING_BASIS_SYSTEM } from '../../src/features/sharing/fhir-consent.js';
import { runFhirImport } from '../../src/interop/fhir/bulk-import.js';
import { importedGasGoalId } from '../../src/interop/fhir/import-goals.js';
import {
  DERIVED_FROM_GOAL,
  DERIVED_FROM_RESPONSE,
  NO_GAS_GOAL,
} from '../../src/interop/fhir/import-observations.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Bulk import (docs/FHIR.md, "Bulk import") into an empty database: a Synthea-like transaction
 * Bundle and NDJSON files, with a report of what was imported and what was skipped and why; a
 * second run changes nothing; a failure part-way leaves no half-imported person.
 */

const BUNDLE = path.resolve('test/fixtures/fhir/synthea-like-bundle.json');
/** The Bundle's Practitioner, kept as an account under its id. */
const SYNTHEA_PRACTITIONER = '7a5b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c02';
const SYNTHEA_PERSON = 'b7d0c1a2-1111-4c2b-9a7e-0e6f3c2a9d11';
const GRACE = 'a1b2c3d4-7777-4c2b-9a7e-0e6f3c2a9d17';
const HOST = '5d1e6a4c-7f0b-4a3e-9a51-2b8f0c1d2e01';

let t: TestApp;
let dir: string;

const snapshot = async () => {
  const db = t.services.database.db;
  const people = await db
    .selectFrom('person')
    .select(['person_id', 'version_id', 'last_updated'])
    .orderBy('person_id')
    .execute();
  const count = async (table: 'care_team_member' | 'sharing_basis' | 'person_nhs_number' | 'organisation') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const outcomes = await db
    .selectFrom('personal_outcome')
    .select(['outcome_id', 'version_id'])
    .orderBy('outcome_id')
    .execute();
  const audit = await db
    .selectFrom('audit_event')
    .select(['action', 'person_id'])
    .where('action', '=', 'fhir-import')
    .execute();
  return {
    outcomes,
    people: people.map((p) => ({ ...p, last_updated: String(p.last_updated) })),
    members: await count('care_team_member'),
    bases: await count('sharing_basis'),
    nhs: await count('person_nhs_number'),
    organisations: await count('organisation'),
    audit: audit.length,
  };
};

beforeAll(async () => {
  t = await createTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-fhir-import-test-'));
}, 120_000);
afterAll(async () => {
  await t?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('importing a Synthea-like transaction Bundle into an empty database', () => {
  it('dry run: reports what it would import and keeps nothing', async () => {
    const report = await runFhirImport(t.services, [BUNDLE], { dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(report.people.imported).toBe(2);
    expect((await snapshot()).people).toEqual([]);
    expect((await snapshot()).organisations).toBe(0);
    const accounts = t.services.database.db.selectFrom('user_account').select('user_id');
    expect(await accounts.where('user_id', '=', SYNTHEA_PRACTITIONER).execute()).toEqual([]);
  });

  it('imports the people, skipping and reporting what it cannot keep', async () => {
    const report = await runFhirImport(t.services, [BUNDLE]);
    expect(report.organisationId).toBe(HOST);
    expect(report.imported).toEqual({ Organization: 1, Practitioner: 1, Patient: 2, Goal: 1 });
    expect(report.people).toEqual({ imported: 2, unchanged: 0, refused: 2 });
    // Synthea's practitioner: an account under its id that cannot sign in (no password).
    expect(
      await t.services.database.db
        .selectFrom('user_account')
        .select(['username', 'display_name', 'password_hash', 'oidc_subject'])
        .where('user_id', '=', SYNTHEA_PRACTITIONER)
        .executeTakeFirst(),
    ).toEqual({
      username: `practitioner:${SYNTHEA_PRACTITIONER}`,
      display_name: 'Dr. Sam Jones',
      password_hash: null,
      oidc_subject: null,
    });
    const reasons = report.skipped.map((s) => `${s.type} ${s.id} ${s.element ?? ''}: ${s.reason}`);
    // Elements of the Synthea Patient we cannot keep: left out, each reported.
    for (const element of [
      'Patient.identifier',
      'Patient.extension',
      'Patient.address.postalCode',
      'Patient.maritalStatus',
      'Patient.multipleBirthBoolean',
      'Patient.communication',
    ]) {
      expect(
        reasons.some((r) => r.startsWith(`Patient ${SYNTHEA_PERSON} ${element}`)),
        element,
      ).toBe(true);
    }
    expect(reasons).toContainEqual(expect.stringMatching(/^Encounter .*not kept by this service/));
    expect(reasons).toContainEqual(expect.stringMatching(/^Condition .*not kept by this service/));
    expect(reasons).toContainEqual(
      expect.stringMatching(/^Patient no-name-patient Patient.name.given: The person was not imported/),
    );
    expect(reasons).toContainEqual(
      expect.stringMatching(/^Patient not-in-this-bundle .*neither in the input nor held/),
    );
    expect(reasons).toContainEqual(
      expect.stringMatching(/^Goal orphan-goal .*person it is about was not imported/),
    );

    const db = t.services.database.db;
    const people = await db.selectFrom('person').selectAll().orderBy('family_name').execute();
    expect(
      people.map((p) => [
        p.person_id,
        p.given_name,
        p.family_name,
        p.nhs_number,
        p.postcode,
        p.preferred_name,
      ]),
    ).toEqual([
      [SYNTHEA_PERSON, 'Lorraine', 'Kuhn', null, null, null],
      [GRACE, 'Grace', 'Okafor', '9434765919', 'LS1 4AP', 'Gracie'],
    ]);
    // The Goal: what matters to Lorraine, as a personal outcome under an id derived from the Goal's.
    const goals = await db.selectFrom('personal_outcome').selectAll().execute();
    expect(goals.map((g) => [g.person_id, g.outcome_id, g.statement, g.status, g.added_by])).toEqual([
      [
        SYNTHEA_PERSON,
        derivedUuid('fhir-import', 'Goal', 'c0ffee00-5555-4c2b-9a7e-0e6f3c2a9d15'),
        'I want to walk to the shops on my own again',
        'active',
        'practitioner',
      ],
    ]);
    const members = await db
      .selectFrom('care_team_member')
      .select(['person_id', 'organisation_id'])
      .execute();
    expect(members).toHaveLength(2);
    expect(members.every((m) => m.organisation_id === HOST)).toBe(true);
    const audit = await db
      .selectFrom('audit_event')
      .select(['person_id', 'outcome'])
      .where('action', '=', 'fhir-import')
      .execute();
    expect(audit.map((a) => a.person_id).sort()).toEqual([GRACE, SYNTHEA_PERSON]);
  });

  it('is idempotent: a second run changes nothing and says so', async () => {
    const before = await snapshot();
    const report = await runFhirImport(t.services, [BUNDLE]);
    expect(report.imported).toEqual({});
    expect(report.unchanged).toEqual({ Practitioner: 1, Patient: 2, Goal: 1 });
    expect(report.people).toMatchObject({ imported: 0, unchanged: 2 });
    expect(await snapshot()).toEqual(before);
    // The batch's audit entries, appended together, keep the chain whole.
    expect(await t.services.audit.verify()).toMatchObject({ ok: true, firstBreak: null });
  });
});

describe('importing NDJSON', () => {
  const patient = (id: string, family: string, nhs?: string) =>
    JSON.stringify({
      resourceType: 'Patient',
      id,
      name: [{ use: 'official', family, given: ['Alex'] }],
      gender: 'other',
      ...(nhs ? { identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhs }] } : {}),
    });

  it('streams lines, reports unreadable ones, and a failure part-way leaves no half-imported person', async () => {
    const db = t.services.database.db;
    // The database refuses one person's record part-way through the batch's writes (after the
    // NHS numbers' index rows are written): the batch is rolled back and retried person by person.
    await sql`create function refuse_explode() returns trigger language plpgsql as $$
      begin if new.family_name = 'Explode' then raise exception 'refused by the test'; end if; return new; end $$`.execute(
      db,
    );
    await sql`create trigger refuse_explode before insert on person for each row execute function refuse_explode()`.execute(
      db,
    );
    const before = await snapshot();
    const file = path.join(dir, 'Patient.ndjson');
    const nhs = '9000000009';
    fs.writeFileSync(
      file,
      [
        patient('nd-1', 'First', nhs),
        '',
        '{not json',
        patient('nd-2', 'Second', nhs), // the same NHS number as nd-1: refused
        patient('nd-3', 'Third'),
        patient('nd-4', 'Explode', '9434765870'),
      ].join('\n'),
    );
    const goals = path.join(dir, 'Goal.ndjson');
    fs.writeFileSync(
      goals,
      JSON.stringify({ resourceType: 'Goal', id: 'g-2', subject: { reference: 'Patient/nd-2' } }),
    );
    try {
      const report = await runFhirImport(t.services, [file, goals], { organisationId: HOST });
      expect(report.read).toBe(5);
      expect(report.people).toEqual({ imported: 2, unchanged: 0, refused: 2 });
      expect(report.skipped).toContainEqual(
        expect.objectContaining({ where: 'Patient.ndjson line 3', reason: 'The line is not JSON.' }),
      );
      expect(report.skipped).toContainEqual(
        expect.objectContaining({
          type: 'Patient',
          id: 'nd-2',
          element: 'Patient.identifier',
          reason: expect.stringMatching(/NHS number/),
        }),
      );
      expect(report.skipped).toContainEqual(
        expect.objectContaining({
          type: 'Patient',
          id: 'nd-4',
          reason: expect.stringMatching(/refused by the test/),
        }),
      );
      expect(report.skipped).toContainEqual(
        expect.objectContaining({
          type: 'Goal',
          id: 'g-2',
          reason: 'The person it is about was not imported.',
        }),
      );
    } finally {
      await sql`drop trigger refuse_explode on person`.execute(db);
    }
    for (const id of ['nd-2', 'nd-4']) {
      const personId = derivedUuid('fhir-import', 'Patient', id);
      for (const table of ['person', 'care_team_member', 'sharing_basis', 'audit_event'] as const) {
        expect(
          await db.selectFrom(table).select('person_id').where('person_id', '=', personId).execute(),
          `${table} ${id}`,
        ).toEqual([]);
      }
    }
    expect(
      await db
        .selectFrom('person_nhs_number')
        .select('person_id')
        .where('nhs_number', '=', '9434765870')
        .execute(),
    ).toEqual([]);
    const after = await snapshot();
    expect(after.people.length).toBe(before.people.length + 2);
    expect(after.audit).toBe(before.audit + 2);
  });

  it('refuses clearly: no files, a missing file, an unknown organisation', async () => {
    await expect(runFhirImport(t.services, [])).rejects.toMatchObject({ status: 422, field: 'files' });
    await expect(runFhirImport(t.services, [path.join(dir, 'absent.ndjson')])).rejects.toMatchObject({
      status: 422,
      field: 'files',
    });
    await expect(runFhirImport(t.services, [BUNDLE], { organisationId: 'nope' })).rejects.toMatchObject({
      status: 422,
      field: 'organisationId',
    });
  });
});

describe('importing Observations: ratings of outcomes and GAS scores', () => {
  const person = 'obs-person-1';
  const personId = derivedUuid('fhir-import', 'Patient', person);
  const focus = [{ reference: 'Goal/obs-goal-1' }];
  const observation = (id: string, extra: Record<string, unknown>) => ({
    resourceType: 'Observation',
    id,
    status: 'final',
    subject: { reference: `Patient/${person}` },
    focus,
    effectiveDateTime: '2025-03-04T10:00:00Z',
    ...extra,
  });
  const rating = (id: string, score: number) =>
    observation(id, {
      category: [{ coding: [{ system: VIEWPOINT_SYSTEM, code: 'person' }] }],
      code: { coding: [OUTCOME_RATING_CODE] },
      valueInteger: score,
      note: [{ text: 'Getting there' }],
    });
  const lines = () =>
    [
      {
        resourceType: 'Patient',
        id: person,
        name: [{ family: 'Rated', given: ['Robin'] }],
        gender: 'female',
      },
      {
        resourceType: 'Goal',
        id: 'obs-goal-1',
        lifecycleStatus: 'active',
        description: { text: 'Get back to the allotment' },
        subject: { reference: `Patient/${person}` },
      },
      rating('obs-rating-1', 2),
      rating('obs-rating-2', 9), // beyond the framework's scale
      observation('obs-gas-1', {
        code: { coding: [GAS_SCORE_CODES.practitioner] },
        valueCodeableConcept: { coding: [gasAnswerOf(0)] },
      }),
      observation('obs-baseline-1', {
        code: { coding: [GAS_SCORE_CODES.baseline] },
        valueCodeableConcept: { coding: [gasAnswerOf(-1)] },
      }),
      observation('obs-height-1', {
        code: { coding: [{ system: 'http://loinc.org', code: '8302-2' }] },
        valueQuantity: { value: 170 },
      }),
      carePlan(1, 'First plan'),
      carePlan(2, 'Added the allotment'),
    ]
      .map((r) => JSON.stringify(r))
      .join('\n');
  const content = (summary: string): CarePlanContent => ({
    ...emptyCarePlan(),
    goals: [
      {
        id: '4fa07a5c-6d8b-4e9f-8a1b-3c4d5e6f7a8b',
        outcomeId: derivedUuid('fhir-import', 'Goal', 'obs-goal-1'),
        description: 'Get back to the allotment',
        actions:
          summary === 'First plan'
            ? []
            : [
                {
                  id: '6bc29c7e-8fad-4ab1-8c3d-5e6f7a8b9cad',
                  what: 'Plan the beds',
                  who: { kind: 'person', name: 'Robin' },
                  status: 'in-progress',
                },
              ],
      },
    ],
  });
  const carePlan = (version: number, changeSummary: string) => {
    const plan = carePlanOf(personId, {
      version,
      createdAt: `2025-0${version}-01T09:00:00.000Z`,
      createdBy: 'Someone elsewhere',
      changeSummary,
      plannedReviewDate: null,
      content: content(changeSummary),
    });
    // As another system names them: its own Patient and Goal ids.
    const goal = (g: Reference<Goal>) => ({ ...g, reference: 'Goal/obs-goal-1' });
    return {
      ...plan,
      subject: { reference: `Patient/${person}` },
      goal: plan.goal?.map(goal),
      activity: plan.activity?.map((a) => ({
        ...a,
        detail: { ...a.detail, goal: a.detail?.goal?.map(goal) },
      })),
    };
  };
  const plans = () =>
    t.services.database.db
      .selectFrom('care_plan_version')
      .select(['version', 'content', 'change_summary', 'created_at', 'created_by_user_id'])
      .where('person_id', '=', personId)
      .orderBy('version')
      .execute();
  const ratings = () =>
    t.services.database.db
      .selectFrom('outcome_rating')
      .select(['rating_id', 'outcome_id', 'viewpoint', 'score', 'note', 'rated_at', 'rated_by_user_id'])
      .where('person_id', '=', personId)
      .execute();

  it('imports a rating under an id derived from its own, skips the rest with reasons, and is idempotent', async () => {
    const file = path.join(dir, 'Observations.ndjson');
    fs.writeFileSync(file, lines());
    const report = await runFhirImport(t.services, [file], { organisationId: HOST });
    expect(report.imported).toEqual({ Patient: 1, Goal: 1, Observation: 1, CarePlan: 2 });
    const reasons = Object.fromEntries(
      report.skipped.filter((s) => s.type === 'Observation').map((s) => [s.id, s.reason]),
    );
    expect(reasons).toEqual({
      'obs-rating-2': expect.stringMatching(/^A rating must be 1 to \d+\.$/),
      'obs-gas-1': NO_GAS_GOAL,
      'obs-baseline-1': DERIVED_FROM_GOAL,
      'obs-height-1': expect.stringMatching(/not kept by this service/),
    });
    const rows = await ratings();
    expect(rows.map((r) => ({ ...r, rated_at: new Date(r.rated_at).toISOString() }))).toEqual([
      {
        rating_id: derivedUuid('fhir-import', 'Observation', 'obs-rating-1'),
        outcome_id: derivedUuid('fhir-import', 'Goal', 'obs-goal-1'),
        viewpoint: 'person',
        score: 2,
        note: 'Getting there',
        rated_at: '2025-03-04T10:00:00.000Z',
        rated_by_user_id: clientAccountId(COMMAND_LINE_CLIENT),
      },
    ]);
    const versions = await plans();
    expect(
      versions.map((v) => ({
        ...v,
        content: typeof v.content === 'string' ? JSON.parse(v.content) : v.content,
        created_at: new Date(v.created_at as unknown as string).toISOString(),
      })),
    ).toEqual(
      [1, 2].map((version) => ({
        version,
        content: content(version === 1 ? 'First plan' : 'Added the allotment'),
        change_summary: version === 1 ? 'First plan' : 'Added the allotment',
        created_at: `2025-0${version}-01T09:00:00.000Z`,
        created_by_user_id: clientAccountId(COMMAND_LINE_CLIENT),
      })),
    );
    const before = await snapshot();
    const again = await runFhirImport(t.services, [file], { organisationId: HOST });
    expect(again.imported).toEqual({});
    expect(again.unchanged).toEqual({ Patient: 1, Goal: 1, Observation: 1, CarePlan: 2 });
    expect(await ratings()).toEqual(rows);
    expect(await plans()).toEqual(versions);
    expect(await snapshot()).toEqual(before);
  });
});

describe('importing GAS goals (PCO Goal Attainment Scaling) and their scores', () => {
  const LEVELS = {
    '-2': 'Stays in every day',
    '-1': 'Out once a week',
    '0': 'Out three times a week',
    '1': 'Out most days',
    '2': 'Out every day, on their own',
  };
  const patient = (id: string) => ({
    resourceType: 'Patient',
    id,
    name: [{ family: 'Scaled', given: ['Gabriel'] }],
    gender: 'male',
  });
  const goal = (person: string, id: string, gas: boolean) => ({
    resourceType: 'Goal',
    id,
    lifecycleStatus: 'active',
    description: { text: 'Get out of the house more' },
    subject: { reference: `Patient/${person}` },
    startDate: '2025-02-10',
    ...(gas
      ? {
          extension: [
            ...(['2', '1', '0', '-1', '-2'] as const).map((level) => ({
              url: PCO_GAS_EXTENSION,
              extension: [
                { url: 'level', valueCoding: gasAnswerOf(Number(level) as -2 | -1 | 0 | 1 | 2) },
                { url: 'text', valueString: LEVELS[level] },
              ],
            })),
            {
              url: GAS_SCORING_EXTENSION,
              extension: [
                { url: 'baseline', valueCoding: gasAnswerOf(-2) },
                { url: 'importance', valueInteger: 3 },
                { url: 'difficulty', valueInteger: 2 },
                { url: 'weight', valueDecimal: 6 },
              ],
            },
          ],
          target: [
            { measure: { coding: [GAS_GOAL_MEASURE] }, detailCodeableConcept: { coding: [gasAnswerOf(0)] } },
          ],
        }
      : {}),
  });
  const observation = (person: string, id: string, code: object, level: -2 | -1 | 0 | 1 | 2, at: string) => ({
    resourceType: 'Observation',
    id,
    status: 'final',
    category: [{ coding: [{ system: VIEWPOINT_SYSTEM, code: 'practitioner' }] }],
    code: { coding: [code] },
    subject: { reference: `Patient/${person}` },
    focus: [{ reference: `Goal/${id.slice(0, id.lastIndexOf('-'))}` }],
    effectiveDateTime: at,
    valueCodeableConcept: { coding: [gasAnswerOf(level)] },
  });
  /** A GAS goal's scores and baseline, as another system names them ({goal id}-{observation}). */
  const scores = (person: string, goalId: string) => [
    observation(person, `${goalId}-baseline`, GAS_SCORE_CODES.baseline, -2, '2025-02-11T10:15:00Z'),
    observation(person, `${goalId}-score1`, GAS_SCORE_CODES.practitioner, -1, '2025-04-01T09:00:00Z'),
    observation(person, `${goalId}-score2`, GAS_SCORE_CODES.practitioner, 1, '2025-06-01T09:00:00Z'),
  ];
  const write = (name: string, resources: object[]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, resources.map((r) => JSON.stringify(r)).join('\n'));
    return file;
  };
  const gasOf = async (personId: string) => {
    const db = t.services.database.db;
    const goals = await db
      .selectFrom('gas_goal')
      .selectAll()
      .where('person_id', '=', personId)
      .orderBy('goal_id')
      .execute();
    const attainments = await db
      .selectFrom('gas_attainment')
      .select(['attainment_id', 'goal_id', 'level', 'conversation_id', 'recorded_at', 'recorded_by_user_id'])
      .where('person_id', '=', personId)
      .orderBy('recorded_at')
      .execute();
    return {
      goals: goals.map((g) => ({
        ...g,
        weight: Number(g.weight),
        created_at: new Date(g.created_at as unknown as string).toISOString(),
        last_updated: undefined,
      })),
      attainments: attainments.map((a) => ({ ...a, recorded_at: new Date(a.recorded_at).toISOString() })),
    };
  };

  it('imports a Goal’s GAS goal with it, then its scores (same input), and a second run changes nothing', async () => {
    const person = 'gas-person-1';
    const personId = derivedUuid('fhir-import', 'Patient', person);
    const outcomeId = derivedUuid('fhir-import', 'Goal', 'gas-goal-1');
    // Scores first in the file: the import orders them after their Goal.
    const file = write('gas.ndjson', [
      patient(person),
      ...scores(person, 'gas-goal-1'),
      goal(person, 'gas-goal-1', true),
    ]);
    const report = await runFhirImport(t.services, [file], { organisationId: HOST });
    expect(report.imported).toEqual({ Patient: 1, Goal: 1, Observation: 2 });
    expect(report.skipped.filter((s) => s.type !== 'Patient')).toEqual([
      expect.objectContaining({ id: 'gas-goal-1-baseline', reason: DERIVED_FROM_GOAL }),
    ]);
    const goalId = importedGasGoalId(personId, outcomeId);
    const importer = clientAccountId(COMMAND_LINE_CLIENT);
    const held = await gasOf(personId);
    expect(held.goals).toEqual([
      {
        person_id: personId,
        goal_id: goalId,
        outcome_id: outcomeId,
        level_minus_2: LEVELS['-2'],
        level_minus_1: LEVELS['-1'],
        level_0: LEVELS['0'],
        level_plus_1: LEVELS['1'],
        level_plus_2: LEVELS['2'],
        baseline_level: -2,
        importance: 3,
        difficulty: 2,
        weight: 6,
        created_by_user_id: importer,
        // When it was set: its baseline Observation's time.
        created_at: '2025-02-11T10:15:00.000Z',
        version_id: 1,
        last_updated: undefined,
      },
    ]);
    expect(held.attainments).toEqual(
      [
        ['score1', -1, '2025-04-01T09:00:00.000Z'],
        ['score2', 1, '2025-06-01T09:00:00.000Z'],
      ].map(([id, level, at]) => ({
        attainment_id: derivedUuid('fhir-import', 'Observation', `gas-goal-1-${id}`),
        goal_id: goalId,
        level,
        conversation_id: null,
        recorded_at: at,
        recorded_by_user_id: importer,
      })),
    );
    const before = await snapshot();
    const again = await runFhirImport(t.services, [file], { organisationId: HOST });
    expect(again.imported).toEqual({});
    expect(again.unchanged).toEqual({ Patient: 1, Goal: 1, Observation: 2 });
    expect(await gasOf(personId)).toEqual(held);
    expect(await snapshot()).toEqual(before);
  });

  it('gives a held outcome without one its GAS goal; a GAS goal refused is left out with its scores', async () => {
    const person = 'gas-person-2';
    const personId = derivedUuid('fhir-import', 'Patient', person);
    const outcomeId = derivedUuid('fhir-import', 'Goal', 'gas-goal-2');
    // As imported before GAS goals were: the outcome alone.
    const first = write('gas-2a.ndjson', [patient(person), goal(person, 'gas-goal-2', false)]);
    await runFhirImport(t.services, [first], { organisationId: HOST });
    expect((await gasOf(personId)).goals).toEqual([]);
    const refused = {
      ...goal(person, 'gas-goal-3', true),
      id: 'gas-goal-3',
      description: { text: 'See my brother' },
    };
    refused.extension = refused.extension?.filter((e) => e.url !== GAS_SCORING_EXTENSION);
    const report = await runFhirImport(
      t.services,
      [
        write('gas-2b.ndjson', [
          patient(person),
          goal(person, 'gas-goal-2', true),
          ...scores(person, 'gas-goal-2'),
          refused,
          ...scores(person, 'gas-goal-3').slice(1, 2),
        ]),
      ],
      { organisationId: HOST },
    );
    expect(report.imported).toEqual({ Goal: 2, Observation: 2 });
    expect(report.unchanged).toEqual({ Patient: 1 });
    expect(
      report.skipped.filter((s) => s.type !== 'Patient').map((s) => [s.id, s.element, s.reason]),
    ).toEqual([
      ['gas-goal-2-baseline', undefined, DERIVED_FROM_GOAL],
      ['gas-goal-3', 'Goal.extension', expect.stringMatching(/^The GAS goal was not imported: .*baseline/)],
      ['gas-goal-3-score1', undefined, NO_GAS_GOAL],
    ]);
    const held = await gasOf(personId);
    expect(held.goals.map((g) => [g.goal_id, g.outcome_id, g.created_at])).toEqual([
      [importedGasGoalId(personId, outcomeId), outcomeId, '2025-02-11T10:15:00.000Z'],
    ]);
    expect(held.attainments.map((a) => a.goal_id)).toEqual([
      importedGasGoalId(personId, outcomeId),
      importedGasGoalId(personId, outcomeId),
    ]);
  });
});

describe('importing Consents and RelatedPeople: who sees the record, and the person’s circle', () => {
  const person = 'circle-person-1';
  const personId = derivedUuid('fhir-import', 'Patient', person);
  const friends = derivedUuid('fhir-import', 'Organization', 'org-friends');
  const consent = (id: string, organisation: string, basis: string, extra: Record<string, unknown> = {}) => ({
    resourceType: 'Consent',
    id,
    status: 'active',
    scope: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }],
    },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
    patient: { reference: `Patient/${person}` },
    dateTime: '2024-02-01T09:00:00Z',
    organization: [{ reference: `Organization/${organisation}` }],
    policyRule: { coding: [{ system: SHARING_BASIS_SYSTEM, code: basis }] },
    extension: [{ url: whatmattersExtension('sharing-purpose'), valueString: `Shared for ${id}` }],
    ...extra,
  });
  const lines = () =>
    [
      { resourceType: 'Organization', id: 'org-friends', name: 'Friends of the Park' },
      { resourceType: 'Patient', id: person, name: [{ family: 'Circle', given: ['Sam'] }], gender: 'male' },
      consent('c-direct', HOST, 'direct-care'),
      consent('c-friends', 'org-friends', 'consent', {
        status: 'inactive',
        provision: { type: 'permit', period: { start: '2024-02-01T09:00:00Z', end: '2024-06-01T12:00:00Z' } },
        extension: [
          { url: whatmattersExtension('sharing-purpose'), valueString: 'Befriending' },
          { url: whatmattersExtension('sharing-withdrawal-reason'), valueString: 'No longer needed' },
        ],
      }),
      consent('c-nowhere', 'org-nowhere', 'consent'),
      {
        resourceType: 'RelatedPerson',
        id: 'rp-1',
        meta: { versionId: '1', lastUpdated: '2024-01-15T10:00:00Z' },
        patient: { reference: `Patient/${person}` },
        relationship: [
          { text: 'Daughter' },
          { coding: [{ system: RELATIONSHIP_ROLE_SYSTEM, code: 'carer' }] },
        ],
        name: [{ text: 'Asha Circle' }],
        telecom: [{ system: 'phone', value: '07700 900123' }],
      },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n');
  const bases = () =>
    t.services.database.db
      .selectFrom('sharing_basis')
      .select([
        'basis_id',
        'organisation_id',
        'basis',
        'purpose',
        'recorded_by_user_id',
        'recorded_at',
        'withdrawn_at',
        'withdrawn_by_user_id',
        'withdrawal_reason',
      ])
      .where('person_id', '=', personId)
      .orderBy('recorded_at')
      .orderBy('basis_id')
      .execute();
  const circle = () =>
    t.services.database.db
      .selectFrom('relationship')
      .select([
        'relationship_id',
        'name',
        'relationship_type',
        'is_carer',
        'contact',
        'carer_user_id',
        'may_view',
        'created_at',
      ])
      .where('person_id', '=', personId)
      .execute();
  const iso = (v: unknown) => (v === null ? null : new Date(v as string).toISOString());

  it('imports them under ids derived from their own, the registration taking the direct-care Consent, and skips an unknown organisation', async () => {
    const file = path.join(dir, 'Circle.ndjson');
    fs.writeFileSync(file, lines());
    const dry = await runFhirImport(t.services, [file], { organisationId: HOST, dryRun: true });
    expect(dry.imported).toEqual({ Organization: 1, Patient: 1, Consent: 2, RelatedPerson: 1 });
    expect(await bases()).toEqual([]);

    const report = await runFhirImport(t.services, [file], { organisationId: HOST });
    expect(report.imported).toEqual({ Organization: 1, Patient: 1, Consent: 2, RelatedPerson: 1 });
    expect(report.skipped).toContainEqual({
      type: 'Consent',
      id: 'c-nowhere',
      where: 'Circle.ndjson line 5',
      element: 'Consent.organization',
      reason: `The organisation it names (Organization/${derivedUuid('fhir-import', 'Organization', 'org-nowhere')}) is neither held here nor imported with it.`,
    });
    const cli = clientAccountId(COMMAND_LINE_CLIENT);
    // The direct-care Consent is the registration's basis (not a second one), as it was recorded.
    expect(
      (await bases()).map((b) => ({
        ...b,
        recorded_at: iso(b.recorded_at),
        withdrawn_at: iso(b.withdrawn_at),
      })),
    ).toEqual([
      {
        basis_id: derivedUuid('fhir-import', 'Consent', 'c-direct'),
        organisation_id: HOST,
        basis: 'direct-care',
        purpose: 'Shared for c-direct',
        recorded_by_user_id: cli,
        recorded_at: '2024-02-01T09:00:00.000Z',
        withdrawn_at: null,
        withdrawn_by_user_id: null,
        withdrawal_reason: null,
      },
      {
        basis_id: derivedUuid('fhir-import', 'Consent', 'c-friends'),
        organisation_id: friends,
        basis: 'consent',
        purpose: 'Befriending',
        recorded_by_user_id: cli,
        recorded_at: '2024-02-01T09:00:00.000Z',
        withdrawn_at: '2024-06-01T12:00:00.000Z',
        withdrawn_by_user_id: cli,
        withdrawal_reason: 'No longer needed',
      },
    ]);
    expect((await circle()).map((r) => ({ ...r, created_at: iso(r.created_at) }))).toEqual([
      {
        relationship_id: derivedUuid('fhir-import', 'RelatedPerson', 'rp-1'),
        name: 'Asha Circle',
        relationship_type: 'Daughter',
        is_carer: true,
        contact: '07700 900123',
        carer_user_id: null,
        may_view: false,
        created_at: '2024-01-15T10:00:00.000Z',
      },
    ]);

    const before = await snapshot();
    const again = await runFhirImport(t.services, [file], { organisationId: HOST });
    expect(again.imported).toEqual({});
    expect(again.unchanged).toEqual({ Organization: 1, Patient: 1, Consent: 2, RelatedPerson: 1 });
    expect(await snapshot()).toEqual(before);
  });

  it('counts a Consent that is a basis in force held already (the registration’s) as unchanged', async () => {
    const other = 'circle-person-2';
    const file = path.join(dir, 'Circle2.ndjson');
    fs.writeFileSync(
      file,
      JSON.stringify({
        resourceType: 'Patient',
        id: other,
        name: [{ family: 'Later', given: ['Kim'] }],
        gender: 'female',
      }),
    );
    await runFhirImport(t.services, [file], { organisationId: HOST });
    const before = await snapshot();
    fs.writeFileSync(
      file,
      JSON.stringify({
        ...consent('c-later', HOST, 'direct-care'),
        patient: { reference: `Patient/${other}` },
      }),
    );
    const report = await runFhirImport(t.services, [file], { organisationId: HOST });
    expect(report.imported).toEqual({});
    expect(report.unchanged).toEqual({ Consent: 1 });
    expect(await snapshot()).toEqual(before);
  });
});

describe('importing our Encounters as conversations', () => {
  const person = 'talk-person-1';
  const personId = derivedUuid('fhir-import', 'Patient', person);
  const elsewhere = '6f1e2d3c-4b5a-4697-8877-665544332211';
  const encounter = (id: string, extra: Record<string, unknown> = {}) => ({
    resourceType: 'Encounter',
    id,
    meta: { versionId: '1', lastUpdated: '2024-03-05T11:00:00Z' },
    extension: [
      { url: CONVERSATION_SUMMARY_EXTENSION, valueString: 'Talked about the allotment.' },
      { url: NEXT_REVIEW_DATE_EXTENSION, valueDate: '2024-06-05' },
    ],
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    type: [{ coding: [{ system: CONVERSATION_KIND_SYSTEM, code: 'first' }] }],
    subject: { reference: `Patient/${person}` },
    participant: [
      {
        type: [{ coding: [{ system: PARTICIPANT_KIND_SYSTEM, code: 'person' }] }],
        individual: { display: 'Jo Talk' },
      },
      {
        type: [
          { coding: [{ system: PARTICIPANT_KIND_SYSTEM, code: 'practitioner' }] },
          { text: 'Social worker' },
        ],
        individual: { reference: `Practitioner/${elsewhere}`, display: 'Ade Worker' },
      },
    ],
    period: { start: '2024-03-05' },
    ...extra,
  });
  const conversations = () =>
    t.services.database.db
      .selectFrom('conversation as c')
      .innerJoin('conversation_participant as p', (j) =>
        j.onRef('p.person_id', '=', 'c.person_id').onRef('p.conversation_id', '=', 'c.conversation_id'),
      )
      .select([
        'c.conversation_id',
        'c.kind',
        'c.summary',
        'c.recorded_by_user_id',
        'p.name',
        'p.role',
        'p.user_id',
      ])
      .where('c.person_id', '=', personId)
      .orderBy(sql`p.ctid`)
      .execute();

  it('keeps the conversation under an id derived from its own, a participant elsewhere by name; Synthea’s stay skipped', async () => {
    const file = path.join(dir, 'Talk.ndjson');
    fs.writeFileSync(
      file,
      [
        { resourceType: 'Patient', id: person, name: [{ family: 'Talk', given: ['Jo'] }], gender: 'female' },
        encounter('enc-1'),
        encounter('enc-planned', { status: 'planned' }),
        {
          ...encounter('visit-1'),
          type: [{ coding: [{ system: 'http://snomed.info/sct', code: '185349003' }] }],
        },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const report = await runFhirImport(t.services, [file], { organisationId: HOST });
    expect(report.imported).toEqual({ Patient: 1, Encounter: 1 });
    const reasons = report.skipped.map((s) => `${s.id} ${s.element ?? ''}: ${s.reason}`);
    expect(reasons).toContainEqual(
      `enc-1 Encounter.participant[1].individual.reference: Practitioner/${elsewhere} is not a user here: Ade Worker is kept by name and role.`,
    );
    expect(reasons).toContainEqual(
      expect.stringMatching(/^enc-planned Encounter.status: The Encounter was not imported/),
    );
    expect(reasons).toContainEqual(expect.stringMatching(/^visit-1 : Encounter is not kept by this service/));
    const conversationId = derivedUuid('fhir-import', 'Encounter', 'enc-1');
    const cli = clientAccountId(COMMAND_LINE_CLIENT);
    expect(await conversations()).toEqual([
      {
        conversation_id: conversationId,
        kind: 'first',
        summary: 'Talked about the allotment.',
        recorded_by_user_id: cli,
        name: 'Jo Talk',
        role: '',
        user_id: null,
      },
      {
        conversation_id: conversationId,
        kind: 'first',
        summary: 'Talked about the allotment.',
        recorded_by_user_id: cli,
        name: 'Ade Worker',
        role: 'Social worker',
        user_id: null,
      },
    ]);
    const before = await snapshot();
    const again = await runFhirImport(t.services, [file], { organisationId: HOST });
    expect(again.imported).toEqual({});
    expect(again.unchanged).toEqual({ Patient: 1, Encounter: 1 });
    expect(await snapshot()).toEqual(before);
    expect(await conversations()).toHaveLength(2);
  });
});

describe('importing QuestionnaireResponses as completed measures, scored as recording one is', () => {
  const person = 'measure-person-1';
  const personId = derivedUuid('fhir-import', 'Patient', person);
  const answers = [1, 2, 0, 1, 3, 0, 1, 2, 0];
  const response = (id: string, canonical: string, extra: Record<string, unknown> = {}) => {
    const built = responseFromAnswers(INSTRUMENTS.phq9.questionnaire, answers, '2024-04-02');
    if (!('response' in built)) throw new Error(built.problem.message);
    return {
      resourceType: 'QuestionnaireResponse',
      id,
      meta: { versionId: '1', lastUpdated: '2024-04-02T14:30:00Z' },
      questionnaire: canonical,
      status: 'completed',
      subject: { reference: `Patient/${person}` },
      authored: '2024-04-02',
      source: { reference: `Patient/${person}` },
      item: built.response.item,
      ...extra,
    };
  };
  const rows = async () =>
    t.services.database.db
      .selectFrom('questionnaire_response')
      .select(['response_id', 'completed_by', 'recorded_by_user_id', 'authored_on', 'recorded_at', 'status'])
      .where('person_id', '=', personId)
      .orderBy('response_id')
      .execute();
  const scores = async () =>
    t.services.database.db
      .selectFrom('measure_score')
      .select(['response_id', 'score_key', 'instrument', 'value', 'band', 'observed_on'])
      .where('person_id', '=', personId)
      .orderBy('response_id')
      .orderBy('score_key')
      .execute();

  it('keeps each under an id derived from its own with who completed it, skips an unknown questionnaire, and is idempotent', async () => {
    const phq9 = await t.services.questionnaires.currentFor('phq9');
    const canonical = `${phq9.url}|${phq9.version}`;
    const file = path.join(dir, 'Measures.ndjson');
    fs.writeFileSync(
      file,
      [
        { resourceType: 'Patient', id: person, name: [{ family: 'Measure', given: ['Mo'] }], gender: 'male' },
        response('qr-self', canonical, { author: { reference: `Patient/${person}` } }),
        response('qr-with', canonical, {
          author: { reference: 'Practitioner/6f1e2d3c-4b5a-4697-8877-665544332211' },
        }),
        response('qr-unknown', 'https://example.org/fhir/Questionnaire/unknown|1'),
        {
          resourceType: 'Observation',
          id: 'score-1',
          status: 'final',
          code: { text: 'PHQ-9 total' },
          subject: { reference: `Patient/${person}` },
          derivedFrom: [{ reference: 'QuestionnaireResponse/qr-self' }],
          valueInteger: 10,
        },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const report = await runFhirImport(t.services, [file], { organisationId: HOST });
    expect(report.imported).toEqual({ Patient: 1, QuestionnaireResponse: 2 });
    const reasons = report.skipped.map((s) => `${s.id} ${s.element ?? ''}: ${s.reason}`);
    expect(reasons).toContainEqual(
      "qr-unknown QuestionnaireResponse.questionnaire: The questionnaire it answers (https://example.org/fhir/Questionnaire/unknown|1) is not in this database's library (GET /fhir/Questionnaire lists it).",
    );
    expect(reasons).toContainEqual(`score-1 : ${DERIVED_FROM_RESPONSE}`);
    const self = derivedUuid('fhir-import', 'QuestionnaireResponse', 'qr-self');
    const withPractitioner = derivedUuid('fhir-import', 'QuestionnaireResponse', 'qr-with');
    const cli = clientAccountId(COMMAND_LINE_CLIENT);
    const recorded = { recorded_by_user_id: cli, status: 'completed' };
    expect(
      (await rows()).map((r) => ({
        ...r,
        authored_on: String(r.authored_on).slice(0, 10),
        recorded_at: new Date(r.recorded_at).toISOString(),
      })),
    ).toEqual(
      [
        { response_id: self, completed_by: 'person', ...recorded },
        { response_id: withPractitioner, completed_by: 'practitioner-with-person', ...recorded },
      ]
        .map((r) => ({ ...r, authored_on: '2024-04-02', recorded_at: '2024-04-02T14:30:00.000Z' }))
        .sort((a, b) => a.response_id.localeCompare(b.response_id)),
    );
    // Scored by the instrument, as recording the measure scores it; the Observation is not read.
    const expected = INSTRUMENTS.phq9.score(answers);
    expect(expected.length).toBeGreaterThan(0);
    expect(
      (await scores()).map((s) => ({
        ...s,
        value: Number(s.value),
        observed_on: String(s.observed_on).slice(0, 10),
      })),
    ).toEqual(
      [self, withPractitioner].sort().flatMap((responseId) =>
        expected
          .map((s) => ({
            response_id: responseId,
            score_key: s.key,
            instrument: 'phq9',
            value: s.value,
            band: s.band,
            observed_on: '2024-04-02',
          }))
          .sort((a, b) => a.score_key.localeCompare(b.score_key)),
      ),
    );
    const before = await snapshot();
    const again = await runFhirImport(t.services, [file], { organisationId: HOST });
    expect(again.imported).toEqual({});
    expect(again.unchanged).toEqual({ Patient: 1, QuestionnaireResponse: 2 });
    expect(await snapshot()).toEqual(before);
    expect(await rows()).toHaveLength(2);
    expect(await scores()).toHaveLength(2 * expected.length);
  });
});

describe('an empty database and no Organization in the input', () => {
  it('refuses, naming the organisation', async () => {
    const empty = await createTestApp();
    try {
      const file = path.join(dir, 'lonely.ndjson');
      fs.writeFileSync(
        file,
        JSON.stringify({
          resourceType: 'Patient',
          id: 'x',
          name: [{ family: 'A', given: ['B'] }],
          gender: 'male',
        }),
      );
      await expect(runFhirImport(empty.services, [file])).rejects.toMatchObject({
        status: 422,
        field: 'organisationId',
      });
      expect(await empty.services.database.db.selectFrom('person').select('person_id').execute()).toEqual([]);
    } finally {
      await empty.close();
    }
  });
});

describe('importing Questionnaires with the responses to them', () => {
  const person = 'sleep-person-1';
  const personId = derivedUuid('fhir-import', 'Patient', person);
  const url = 'https://example.org/fhir/Questionnaire/sleep-diary';
  const questionnaire = {
    resourceType: 'Questionnaire',
    id: 'q-sleep',
    meta: { versionId: '1', lastUpdated: '2024-01-10T09:00:00Z' },
    url,
    // The source's own number: taken here by nothing, but numbered afresh (this library's first).
    version: '3',
    name: 'SleepDiary',
    title: 'Sleep diary',
    status: 'active',
    item: [
      {
        linkId: 'q1',
        text: 'How well did you sleep last night?',
        type: 'choice',
        answerOption: [
          { valueCoding: { system: 'https://example.org/sleep', code: 'well', display: 'Well' } },
          { valueCoding: { system: 'https://example.org/sleep', code: 'badly', display: 'Badly' } },
        ],
      },
    ],
  };
  const broken = {
    ...questionnaire,
    id: 'q-broken',
    url: `${url}-broken`,
    item: [{ linkId: 'q1', type: 'nonsense' }],
  };
  const response = (id: string, canonical: string, code: string) => ({
    resourceType: 'QuestionnaireResponse',
    id,
    meta: { versionId: '1', lastUpdated: '2024-04-02T14:30:00Z' },
    questionnaire: canonical,
    status: 'completed',
    subject: { reference: `Patient/${person}` },
    authored: '2024-04-02',
    author: { reference: `Patient/${person}` },
    item: [{ linkId: 'q1', answer: [{ valueCoding: { system: 'https://example.org/sleep', code } }] }],
  });
  const lines = () =>
    [
      { resourceType: 'Patient', id: person, name: [{ family: 'Sleep', given: ['Sam'] }], gender: 'female' },
      response('qr-by-url', `${url}|3`, 'well'),
      response('qr-by-id', 'Questionnaire/q-sleep', 'badly'),
      response('qr-broken', `${url}-broken|3`, 'well'),
      questionnaire,
      broken,
    ]
      .map((r) => JSON.stringify(r))
      .join('\n');
  const library = () =>
    t.services.database.db
      .selectFrom('questionnaire')
      .select(['questionnaire_id', 'url', 'version'])
      .where('url', 'like', `${url}%`)
      .execute();
  const responses = () =>
    t.services.database.db
      .selectFrom('questionnaire_response')
      .select(['response_id', 'questionnaire_id'])
      .where('person_id', '=', personId)
      .orderBy('response_id')
      .execute();

  it('imports an administrator’s own questionnaire before the responses, which name it by url|version or id; a dry run writes nothing; a second run changes nothing', async () => {
    const file = path.join(dir, 'Sleep.ndjson');
    fs.writeFileSync(file, lines());
    const expected = { Questionnaire: 1, Patient: 1, QuestionnaireResponse: 2 };

    const dry = await runFhirImport(t.services, [file], { organisationId: HOST, dryRun: true });
    expect(dry.skipped.map((s) => s.id)).toEqual(['q-broken', 'qr-broken']);
    expect(dry.imported).toEqual(expected);
    expect(await library()).toEqual([]);
    expect(await responses()).toEqual([]);

    const report = await runFhirImport(t.services, [file], { organisationId: HOST });
    expect(report.imported).toEqual(expected);
    const reasons = report.skipped.map((s) => `${s.type} ${s.id} ${s.element ?? ''}`);
    expect(reasons).toContain('Questionnaire q-broken Questionnaire.item[0].type');
    expect(reasons).toContain('QuestionnaireResponse qr-broken QuestionnaireResponse.questionnaire');
    const [held, ...others] = await library();
    expect(others).toEqual([]);
    expect(held).toMatchObject({ url, version: 1 });
    expect((await responses()).map((r) => r.questionnaire_id)).toEqual([
      held?.questionnaire_id,
      held?.questionnaire_id,
    ]);

    const again = await runFhirImport(t.services, [file], { organisationId: HOST });
    expect(again.imported).toEqual({});
    expect(again.unchanged).toMatchObject({ Questionnaire: 1, Patient: 1, QuestionnaireResponse: 2 });
    expect(await library()).toHaveLength(1);
  });
});
