import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Bundle, Consent, Goal, Resource } from '@medplum/fhirtypes';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { derivedUuid } from '../../src/domain/interop/fhir-ids.js';
import { whatmattersExtension } from '../../src/domain/interop/uk-core.js';
import { COMMAND_LINE_CLIENT, clientAccountId } from '../../src/features/auth/client-account.js';
import { runFhirImport } from '../../src/interop/fhir/bulk-import.js';
import { importedGasGoalId } from '../../src/interop/fhir/import-goals.js';
import { DERIVED_FROM_GOAL, DERIVED_FROM_RESPONSE } from '../../src/interop/fhir/import-observations.js';
import { demoPersonInCaseload } from '../support/demo.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * Round trip (issue 13's acceptance), as far as bulk import goes today: a demo person's Patient,
 * Goals, Observations, CarePlan history, Consents (with the Organizations they name),
 * RelatedPeople, Encounters and QuestionnaireResponses, read from /fhir as their practitioner, written
 * as NDJSON (as $export writes them) and imported into an empty database, give the same person, the
 * same personal outcomes, the same ratings of them, every version of the plan, the same bases for
 * sharing, the same circle, the same conversations and the same completed measures with their scores;
 * with the Practitioners they name, who added each outcome and who withdrew each basis too. The full
 * acceptance — the same person summary page — needs the other types' import (docs/FHIR.md, "Bulk
 * import"), which is not there yet.
 */

let source: TestApp;
let target: TestApp;
let dir: string;
let personId: string;

beforeAll(async () => {
  source = await createTestApp({ demoPeople: 12 });
  target = await createTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-fhir-round-trip-'));
  const cookie = await signIn(source.app, 'practitioner@demo');
  personId = await demoPersonInCaseload(source, cookie);
  const search = async (first: string) => {
    const resources: Resource[] = [];
    for (let url: string | undefined = first; url; ) {
      const response = await source.app.inject({ method: 'GET', url, headers: { cookie } });
      expect(response.statusCode, response.body).toBe(200);
      const bundle = response.json() as Bundle;
      resources.push(...(bundle.entry ?? []).map((e) => e.resource as Resource));
      const next = bundle.link?.find((l) => l.relation === 'next')?.url;
      url = next ? next.slice(next.indexOf('/fhir/')) : undefined;
    }
    return resources;
  };
  const write = (type: string, resources: Resource[]) =>
    fs.writeFileSync(path.join(dir, `${type}.ndjson`), resources.map((r) => JSON.stringify(r)).join('\n'));
  write('Patient', await search(`/fhir/Patient?_id=${personId}`));
  write('Goal', await search(`/fhir/Goal?patient=${personId}&_count=100`));
  write('Observation', await search(`/fhir/Observation?patient=${personId}&_count=100`));
  // Who sees the record, with the organisations they name (the target holds none of them), and
  // the people important to the person.
  const consents = await search(`/fhir/Consent?patient=${personId}&_include=Consent:organization&_count=100`);
  write(
    'Consent',
    consents.filter((r) => r.resourceType === 'Consent'),
  );
  write(
    'Organization',
    consents.filter((r) => r.resourceType === 'Organization'),
  );
  write('RelatedPerson', await search(`/fhir/RelatedPerson?patient=${personId}&_count=100`));
  // The person's conversations, one Encounter each.
  write('Encounter', await search(`/fhir/Encounter?patient=${personId}&_count=100`));
  // The person's completed measures (their scores are derived from them: imported with them).
  write('QuestionnaireResponse', await search(`/fhir/QuestionnaireResponse?patient=${personId}&_count=100`));
  // Every version of the plan (its history), each a CarePlan as it was saved.
  const history = await source.app.inject({
    method: 'GET',
    url: `/fhir/CarePlan/${personId}/_history`,
    headers: { cookie },
  });
  write(
    'CarePlan',
    history.statusCode === 200
      ? ((history.json() as Bundle).entry ?? []).flatMap((e) => (e.resource ? [e.resource as Resource] : []))
      : [],
  );
  await target.services.database.db
    .insertInto('organisation')
    .values({
      organisation_id: crypto.randomUUID(),
      kind: 'council-adult-social-care',
      name: 'Target Council',
    })
    .execute();
}, 300_000);
afterAll(async () => {
  await source?.close();
  await target?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const personOf = (t: TestApp) =>
  t.services.database.db
    .selectFrom('person')
    .select([
      'person_id',
      'nhs_number',
      'given_name',
      'family_name',
      'preferred_name',
      'date_of_birth',
      'sex',
      'ethnic_category',
      'postcode',
      'phone',
      'email',
    ])
    .where('person_id', '=', personId)
    .executeTakeFirst();

const outcomesOf = async (t: TestApp) => {
  const db = t.services.database.db;
  const rows = await db
    .selectFrom('personal_outcome')
    .select(['outcome_id', 'statement', 'why_it_matters', 'importance', 'status', 'added_by', 'created_at'])
    .where('person_id', '=', personId)
    .orderBy('outcome_id')
    .execute();
  const domains = await db
    .selectFrom('personal_outcome_domain')
    .innerJoin('outcome_domain', 'outcome_domain.domain_id', 'personal_outcome_domain.domain_id')
    .select(['personal_outcome_domain.outcome_id', 'outcome_domain.name'])
    .where('personal_outcome_domain.person_id', '=', personId)
    .execute();
  return rows.map((r) => ({
    ...r,
    created_on: new Date(r.created_at as unknown as string).toISOString().slice(0, 10),
    created_at: undefined,
    domains: domains
      .filter((d) => d.outcome_id === r.outcome_id)
      .map((d) => d.name)
      .sort(),
  }));
};

const files = () =>
  [
    'Organization',
    'Patient',
    'Goal',
    'Observation',
    'CarePlan',
    'Consent',
    'RelatedPerson',
    'Encounter',
    'QuestionnaireResponse',
  ].map((type) => path.join(dir, `${type}.ndjson`));

const ratingsOf = async (t: TestApp) =>
  (
    await t.services.database.db
      .selectFrom('outcome_rating')
      .select(['rating_id', 'outcome_id', 'viewpoint', 'score', 'note', 'rated_at'])
      .where('person_id', '=', personId)
      .orderBy('rating_id')
      .execute()
  ).map((r) => ({ ...r, rated_at: new Date(r.rated_at).toISOString() }));

/**
 * The person's GAS goals, each named by its outcome (the import derives the goal's own row id: the
 * Goal carries the outcome's), field by field but for what the store keeps of the row itself (its
 * version and last change) and who recorded it (the import, on the operator's behalf).
 */
const withoutSetTime = (goals: Awaited<ReturnType<typeof gasGoalsOf>>) =>
  goals.map(({ created_at: _at, ...g }) => g);

const gasGoalsOf = async (t: TestApp) =>
  (
    await t.services.database.db
      .selectFrom('gas_goal')
      .select([
        'outcome_id',
        'level_minus_2',
        'level_minus_1',
        'level_0',
        'level_plus_1',
        'level_plus_2',
        'baseline_level',
        'importance',
        'difficulty',
        'weight',
        'created_at',
      ])
      .where('person_id', '=', personId)
      .orderBy('outcome_id')
      .execute()
  ).map((g) => ({
    ...g,
    weight: Number(g.weight),
    created_at: new Date(g.created_at as unknown as string).toISOString(),
  }));

/** The person's GAS scores, under their ids, each with its goal's outcome (not its conversation: not imported). */
const gasAttainmentsOf = async (t: TestApp) =>
  (
    await t.services.database.db
      .selectFrom('gas_attainment as a')
      .innerJoin('gas_goal as g', (j) =>
        j.onRef('g.person_id', '=', 'a.person_id').onRef('g.goal_id', '=', 'a.goal_id'),
      )
      .select(['a.attainment_id', 'g.outcome_id', 'a.level', 'a.recorded_at'])
      .where('a.person_id', '=', personId)
      .orderBy('a.attainment_id')
      .execute()
  ).map((a) => ({ ...a, recorded_at: new Date(a.recorded_at).toISOString() }));

const planOf = async (t: TestApp) =>
  (
    await t.services.database.db
      .selectFrom('care_plan_version')
      .select(['version', 'content', 'planned_review_date', 'change_summary', 'created_at'])
      .where('person_id', '=', personId)
      .orderBy('version')
      .execute()
  ).map((v) => ({
    ...v,
    content: typeof v.content === 'string' ? JSON.parse(v.content) : v.content,
    planned_review_date: v.planned_review_date ? String(v.planned_review_date).slice(0, 10) : null,
    created_at: new Date(v.created_at as unknown as string).toISOString(),
  }));

/** The person's bases for sharing, field by field as they can round-trip (who recorded them is the import). */
const basesOf = async (t: TestApp) =>
  (
    await t.services.database.db
      .selectFrom('sharing_basis')
      .select([
        'basis_id',
        'organisation_id',
        'basis',
        'purpose',
        'note',
        'recorded_at',
        'withdrawn_at',
        'withdrawal_reason',
      ])
      .where('person_id', '=', personId)
      .orderBy('basis_id')
      .execute()
  ).map((b) => ({
    ...b,
    recorded_at: new Date(b.recorded_at).toISOString(),
    withdrawn_at: b.withdrawn_at ? new Date(b.withdrawn_at).toISOString() : null,
  }));

/** The person's circle as RelatedPerson carries it (no account, no access, no date of its own). */
const circleOf = (t: TestApp) =>
  t.services.database.db
    .selectFrom('relationship')
    .select(['relationship_id', 'name', 'relationship_type', 'is_carer', 'contact'])
    .where('person_id', '=', personId)
    .orderBy('relationship_id')
    .execute();

/**
 * The person's conversations as the record page shows them (newest first, who took part in the
 * order recorded), field by field as an Encounter carries them: who recorded each is the import,
 * and a participant's account is not linked in another database (users are not exported).
 */
const conversationsOf = async (t: TestApp) => {
  const db = t.services.database.db;
  const conversations = await db
    .selectFrom('conversation')
    .select([
      'conversation_id',
      'kind',
      'held_on',
      'summary',
      'what_helped',
      'what_got_in_the_way',
      'next_review_date',
      'recorded_at',
    ])
    .where('person_id', '=', personId)
    .orderBy('held_on', 'desc')
    .orderBy('recorded_at', 'desc')
    .execute();
  const participants = await db
    .selectFrom('conversation_participant')
    .select(['conversation_id', 'participant_id', 'kind', 'name', 'role', 'organisation_id'])
    .where('person_id', '=', personId)
    .orderBy(sql`ctid`)
    .execute();
  return conversations.map((c) => ({
    ...c,
    held_on: String(c.held_on).slice(0, 10),
    next_review_date: c.next_review_date ? String(c.next_review_date).slice(0, 10) : null,
    recorded_at: new Date(c.recorded_at).toISOString(),
    participants: participants
      .filter((p) => p.conversation_id === c.conversation_id)
      .map(({ conversation_id: _c, ...p }) => p),
  }));
};

/**
 * The person's completed measures and their scores, field by field as a QuestionnaireResponse
 * carries them: the questionnaire by url and version (library rows have ids of their own in each
 * database); not who recorded them (the import), nor the request or conversation they completed
 * (neither is in the resource).
 */
const measuresOf = async (t: TestApp) => {
  const db = t.services.database.db;
  const responses = await db
    .selectFrom('questionnaire_response as r')
    .innerJoin('questionnaire as q', 'q.questionnaire_id', 'r.questionnaire_id')
    .select([
      'r.response_id',
      'q.url',
      'q.version',
      'r.status',
      'r.resource',
      'r.authored_on',
      'r.recorded_at',
      'r.completed_by',
    ])
    .where('r.person_id', '=', personId)
    .orderBy('r.response_id')
    .execute();
  const scores = await db
    .selectFrom('measure_score')
    .select(['response_id', 'score_key', 'instrument', 'value', 'band', 'observed_on'])
    .where('person_id', '=', personId)
    .orderBy('response_id')
    .orderBy('score_key')
    .execute();
  return responses.map((r) => ({
    ...r,
    resource: typeof r.resource === 'string' ? JSON.parse(r.resource) : r.resource,
    authored_on: String(r.authored_on).slice(0, 10),
    recorded_at: new Date(r.recorded_at).toISOString(),
    scores: scores
      .filter((s) => s.response_id === r.response_id)
      .map(({ response_id: _r, ...s }) => ({
        ...s,
        value: Number(s.value),
        observed_on: String(s.observed_on).slice(0, 10),
      })),
  }));
};

describe('FHIR round trip: export from one database, import into an empty one', () => {
  it('gives the same person and the same personal outcomes, under the same ids', async () => {
    const report = await runFhirImport(target.services, [
      path.join(dir, 'Patient.ndjson'),
      path.join(dir, 'Goal.ndjson'),
    ]);
    expect(report.people).toEqual({ imported: 1, unchanged: 0, refused: 0 });
    const original = await outcomesOf(source);
    expect(original.length).toBeGreaterThan(0);
    expect(report.imported).toMatchObject({ Patient: 1 });
    expect(await personOf(target)).toEqual(await personOf(source));
    const imported = await outcomesOf(target);
    expect(imported).toEqual(original);
    // Their GAS goals too; when each was set comes with its baseline Observation (imported with
    // the Goals below), so the Goals alone give the outcome's start instead.
    const gas = await gasGoalsOf(source);
    expect(gas.length).toBeGreaterThan(0);
    expect(withoutSetTime(await gasGoalsOf(target))).toEqual(withoutSetTime(gas));
  });

  it('gives the same ratings of those outcomes, under the same ids, recorded by the import', async () => {
    const report = await runFhirImport(target.services, files());
    const original = await ratingsOf(source);
    expect(original.length).toBeGreaterThan(0);
    // The GAS scores too, each against its goal's GAS goal (imported with the Goals).
    const scores = await gasAttainmentsOf(source);
    expect(scores.length).toBeGreaterThan(0);
    expect(report.imported.Observation).toBe(original.length + scores.length);
    expect(await ratingsOf(target)).toEqual(original);
    expect(await gasAttainmentsOf(target)).toEqual(scores);
    const by = await target.services.database.db
      .selectFrom('outcome_rating')
      .select('rated_by_user_id')
      .distinct()
      .where('person_id', '=', personId)
      .execute();
    expect(by).toEqual([{ rated_by_user_id: clientAccountId(COMMAND_LINE_CLIENT) }]);
    // Every version of the plan, as it was saved.
    const plan = await planOf(source);
    expect(plan.length).toBeGreaterThan(0);
    expect(report.imported.CarePlan).toBe(plan.length);
    expect(await planOf(target)).toEqual(plan);
    // What is derived from another resource is reported, not imported on its own.
    for (const skip of report.skipped.filter((s) => s.type === 'Observation'))
      expect([DERIVED_FROM_GOAL, DERIVED_FROM_RESPONSE]).toContain(skip.reason);
  });

  it('importing the export again changes nothing', async () => {
    const ratings = await ratingsOf(target);
    const gasGoals = await gasGoalsOf(target);
    const scores = await gasAttainmentsOf(target);
    const report = await runFhirImport(target.services, files());
    expect(report.imported).toEqual({});
    expect(report.people).toEqual({ imported: 0, unchanged: 1, refused: 0 });
    expect(report.unchanged.Observation).toBe(ratings.length + scores.length);
    expect(await gasGoalsOf(target)).toEqual(gasGoals);
    expect(await gasAttainmentsOf(target)).toEqual(scores);
    expect(report.unchanged.CarePlan).toBe((await planOf(target)).length);
    expect(await ratingsOf(target)).toEqual(ratings);
  });

  it('gives the same bases for sharing and the same circle, under the same ids; a second import changes nothing', async () => {
    const report = await runFhirImport(target.services, files());
    const bases = await basesOf(source);
    const circle = await circleOf(source);
    expect(bases.length).toBeGreaterThan(0);
    expect(circle.length).toBeGreaterThan(0);
    // Besides the basis registering them into the target's organisation writes.
    const registration = derivedUuid(
      'fhir-import',
      'registration-basis',
      personId,
      report.organisationId ?? '',
    );
    expect((await basesOf(target)).filter((b) => b.basis_id !== registration)).toEqual(bases);
    expect(await circleOf(target)).toEqual(circle);
    const again = await runFhirImport(target.services, files());
    expect(again.imported).toEqual({});
    expect(again.unchanged).toMatchObject({ Consent: bases.length, RelatedPerson: circle.length });
    expect(again.skipped.filter((s) => s.type === 'Consent' || s.type === 'RelatedPerson')).toEqual([]);
  });

  it('gives the same conversations with who took part, under the same ids; a second import changes nothing', async () => {
    const report = await runFhirImport(target.services, files());
    const original = await conversationsOf(source);
    expect(original.length).toBeGreaterThan(0);
    expect(original.some((c) => c.participants.length > 1)).toBe(true);
    expect(await conversationsOf(target)).toEqual(original);
    // Recorded by the import; a participant who is a user there is kept here by name and role.
    const rows = await target.services.database.db
      .selectFrom('conversation_participant')
      .select('user_id')
      .distinct()
      .where('person_id', '=', personId)
      .execute();
    expect(rows).toEqual([{ user_id: null }]);
    const recorders = await target.services.database.db
      .selectFrom('conversation')
      .select('recorded_by_user_id')
      .distinct()
      .where('person_id', '=', personId)
      .execute();
    expect(recorders).toEqual([{ recorded_by_user_id: clientAccountId(COMMAND_LINE_CLIENT) }]);
    // Imported here or by the imports above (files() has carried the Encounters since the second).
    expect((report.imported.Encounter ?? 0) + (report.unchanged.Encounter ?? 0)).toBe(original.length);
    const again = await runFhirImport(target.services, files());
    expect(again.imported).toEqual({});
    expect(again.unchanged.Encounter).toBe(original.length);
    expect(await conversationsOf(target)).toEqual(original);
  });

  it('gives the same completed measures with the same scores, under the same ids; a second import changes nothing', async () => {
    const report = await runFhirImport(target.services, files());
    const original = await measuresOf(source);
    expect(original.length).toBeGreaterThan(0);
    expect(original.some((r) => r.scores.length > 0)).toBe(true);
    expect(await measuresOf(target)).toEqual(original);
    // Imported here or by the imports above (files() has carried them since the second).
    expect((report.imported.QuestionnaireResponse ?? 0) + (report.unchanged.QuestionnaireResponse ?? 0)).toBe(
      original.length,
    );
    expect(report.skipped.filter((s) => s.type === 'QuestionnaireResponse')).toEqual([]);
    const recorders = await target.services.database.db
      .selectFrom('questionnaire_response')
      .select('recorded_by_user_id')
      .distinct()
      .where('person_id', '=', personId)
      .execute();
    expect(recorders).toEqual([{ recorded_by_user_id: clientAccountId(COMMAND_LINE_CLIENT) }]);
    const again = await runFhirImport(target.services, files());
    expect(again.imported).toEqual({});
    expect(again.unchanged.QuestionnaireResponse).toBe(original.length);
    expect(await measuresOf(target)).toEqual(original);
  });

  it('imported all at once, gives the same GAS goals, set when they were, and their scores', async () => {
    const fresh = await createTestApp();
    try {
      await fresh.services.database.db
        .insertInto('organisation')
        .values({ organisation_id: crypto.randomUUID(), kind: 'council-adult-social-care', name: 'Fresh' })
        .execute();
      const report = await runFhirImport(fresh.services, files());
      expect(report.people).toEqual({ imported: 1, unchanged: 0, refused: 0 });
      const gas = await gasGoalsOf(source);
      expect(gas.length).toBeGreaterThan(0);
      // Set when they were: the baseline Observations, in the same input, give the time.
      expect(await gasGoalsOf(fresh)).toEqual(gas);
      expect(await gasAttainmentsOf(fresh)).toEqual(await gasAttainmentsOf(source));
      const rows = await fresh.services.database.db
        .selectFrom('gas_goal')
        .select(['goal_id', 'outcome_id', 'created_by_user_id'])
        .where('person_id', '=', personId)
        .execute();
      for (const row of rows) {
        expect(row.goal_id).toBe(importedGasGoalId(personId, row.outcome_id));
        expect(row.created_by_user_id).toBe(clientAccountId(COMMAND_LINE_CLIENT));
      }
      const again = await runFhirImport(fresh.services, files());
      expect(again.imported).toEqual({});
      expect(await gasGoalsOf(fresh)).toEqual(gas);
    } finally {
      await fresh.close();
    }
  }, 120_000);
  it('with the Practitioners they name, gives who added each outcome and who withdrew each basis', async () => {
    const cookie = await signIn(source.app, 'practitioner@demo');
    // A basis withdrawn by a member of staff (the demo's are in force): one not of their own
    // organisation, so they keep sight of the record.
    const own = await source.services.database.db
      .selectFrom('user_account as u')
      .innerJoin('user_role as r', 'r.user_id', 'u.user_id')
      .select('r.organisation_id')
      .where('u.username', '=', 'practitioner@demo')
      .execute();
    const ownOrgs = new Set(own.map((o) => o.organisation_id));
    const consents = async () =>
      (
        (
          await source.app.inject({
            url: `/fhir/Consent?patient=${personId}&_count=100`,
            headers: { cookie },
          })
        ).json() as Bundle
      ).entry?.map((e) => e.resource as Consent) ?? [];
    const toWithdraw = (await consents()).find(
      (c) => c.status === 'active' && !ownOrgs.has(c.organization?.[0]?.reference?.split('/')[1] ?? ''),
    );
    expect(toWithdraw, 'a basis in force of another organisation').toBeTruthy();
    const withdrawn = await source.app.inject({
      method: 'PUT',
      url: `/fhir/Consent/${toWithdraw?.id}`,
      headers: { cookie },
      payload: {
        ...toWithdraw,
        status: 'inactive',
        extension: [
          ...(toWithdraw?.extension ?? []),
          { url: whatmattersExtension('sharing-withdrawal-reason'), valueString: 'No longer involved' },
        ],
      },
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    // Its own input: the Consents again, and every Practitioner the Goals and Consents name.
    const byDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-fhir-round-trip-by-'));
    const goals = fs
      .readFileSync(path.join(dir, 'Goal.ndjson'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Goal);
    const now = await consents();
    const named = new Set(
      [
        ...goals.map((g) => g.expressedBy?.reference),
        ...now.flatMap((c) => (c.extension ?? []).map((e) => e.valueReference?.reference)),
      ].flatMap((r) => (r?.startsWith('Practitioner/') ? [r] : [])),
    );
    const practitioners: Resource[] = [];
    for (const ref of named) {
      const read = await source.app.inject({ url: `/fhir/${ref}`, headers: { cookie } });
      expect(read.statusCode, read.body).toBe(200);
      practitioners.push(read.json() as Resource);
    }
    const ndjson = (rs: Resource[]) => rs.map((r) => JSON.stringify(r)).join('\n');
    fs.writeFileSync(path.join(byDir, 'Practitioner.ndjson'), ndjson(practitioners));
    fs.writeFileSync(path.join(byDir, 'Consent.ndjson'), ndjson(now));
    const fresh = await createTestApp();
    try {
      await fresh.services.database.db
        .insertInto('organisation')
        .values({ organisation_id: crypto.randomUUID(), kind: 'council-adult-social-care', name: 'Fresh' })
        .execute();
      const input = [
        path.join(byDir, 'Practitioner.ndjson'),
        ...files().map((f) => (f.endsWith('Consent.ndjson') ? path.join(byDir, 'Consent.ndjson') : f)),
      ];
      const report = await runFhirImport(fresh.services, input);
      expect(report.people).toEqual({ imported: 1, unchanged: 0, refused: 0 });
      const cli = clientAccountId(COMMAND_LINE_CLIENT);
      // Who a Goal or Consent names travels: a member of staff is the same account; anyone else
      // (the person, a carer, a system) is the command line's account.
      const staffOf = async (t: TestApp) =>
        new Set(
          (
            await t.services.database.db
              .selectFrom('user_account')
              .select('user_id')
              .where('person_id', 'is', null)
              .where('username', 'not like', 'client:%')
              .execute()
          ).map((u) => u.user_id),
        );
      const staff = await staffOf(source);
      const addedBy = async (t: TestApp, expected = false) =>
        (
          await t.services.database.db
            .selectFrom('personal_outcome')
            .select(['outcome_id', 'added_by', 'created_by_user_id'])
            .where('person_id', '=', personId)
            .orderBy('outcome_id')
            .execute()
        ).map((o) => ({
          ...o,
          created_by_user_id:
            !expected || (o.added_by === 'practitioner' && staff.has(o.created_by_user_id))
              ? o.created_by_user_id
              : cli,
        }));
      const original = await addedBy(source, true);
      expect(original.some((o) => o.created_by_user_id !== cli)).toBe(true);
      expect(await addedBy(fresh)).toEqual(original);
      const withdrawnBy = async (t: TestApp, expected = false) =>
        (
          await t.services.database.db
            .selectFrom('sharing_basis')
            .select(['basis_id', 'withdrawn_by_user_id', 'withdrawal_reason'])
            .where('person_id', '=', personId)
            .where('withdrawn_at', 'is not', null)
            .orderBy('basis_id')
            .execute()
        ).map((b) => ({
          ...b,
          withdrawn_by_user_id:
            !expected || staff.has(b.withdrawn_by_user_id ?? '') ? b.withdrawn_by_user_id : cli,
        }));
      const bases = await withdrawnBy(source, true);
      expect(bases.length).toBeGreaterThan(0);
      expect(bases.some((b) => b.withdrawn_by_user_id !== cli)).toBe(true);
      expect(await withdrawnBy(fresh)).toEqual(bases);
    } finally {
      await fresh.close();
      fs.rmSync(byDir, { recursive: true, force: true });
    }
  }, 120_000);
});
