import type { CareTeam, Consent, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import { todayIso } from '../../src/domain/calendar.js';
import { careTeamFhir } from '../../src/features/people/fhir-care-team.js';
import { patientFhir } from '../../src/features/people/fhir-patient.js';
import { relatedPersonFhir } from '../../src/features/people/fhir-related-person.js';
import { endCareTeamMembers } from '../../src/features/people/store.js';
import { type AccessGrant, systemScope } from '../../src/features/record-access/person-access.js';
import { consentFhir } from '../../src/features/sharing/fhir-consent.js';
import type { FhirHandler } from '../../src/interop/fhir/handler.js';
import { countQueries } from '../../src/store/database.js';
import { demoAccount } from '../support/demo.js';
import { busiestOrganisation } from '../support/fhir.js';
import {
  expectSameAsOneByOne,
  fhirContext,
  readAlone,
  readTogether,
  signedInActor,
  systemClient,
} from '../support/fhir-together.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Patient, RelatedPerson, CareTeam and Consent read for many people at once, as bulk export reads
 * them (`listForPeople`: PeopleService.versioned…OfEach, SharingService.versionedListOfEach): the
 * same as each person's own read for every kind of reader (a system client, care staff, the person
 * themselves, a carer) and for what the demo data may lack (a withdrawn basis, an ended membership,
 * a record with no care team or circle at all); a fixed number of statements however many people;
 * no access check or audit of their own (the caller's `requireEach` made them).
 */

let t: TestApp;
const actors: Record<'client' | 'practitioner' | 'person' | 'carer', Actor> = {} as never;
let everyone: string[];
let carerOwnRecord: string;
let withdrawnOn: string;
let endedOn: string;

const handlers = [patientFhir, relatedPersonFhir, careTeamFhir, consentFhir] as FhirHandler<Resource>[];
const grantsOf = (actor: Actor) => t.services.access.requireEach(actor, everyone, 'view', 'fhir-bulk-export');

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 12 });
  const db = t.database.db;
  const organisationId = await busiestOrganisation(db);
  actors.client = await systemClient(t, 'people-together');
  actors.practitioner = await signedInActor(t, 'practitioner@demo');
  actors.person = await signedInActor(t, 'person@demo');

  // A carer's own record: no care team, no circle, no basis for sharing.
  carerOwnRecord = await t.services.people.startCarerRecord(await signedInActor(t, 'carer@demo'), {
    givenName: 'Carla',
    familyName: 'Carer',
    consent: true,
  });
  actors.carer = await signedInActor(t, 'carer@demo');

  // person@demo's record shared with another organisation, then withdrawn by the person.
  const personId = (await demoAccount(t, 'person@demo')).person_id as string;
  withdrawnOn = personId;
  const held = await db
    .selectFrom('sharing_basis')
    .select('organisation_id')
    .where('person_id', '=', personId)
    .execute();
  const other = await db
    .selectFrom('organisation')
    .select('organisation_id')
    .where(
      'organisation_id',
      'not in',
      held.map((h) => h.organisation_id),
    )
    .orderBy('organisation_id')
    .executeTakeFirstOrThrow();
  const basisId = await t.services.sharing.record(actors.practitioner, personId, {
    organisationId: other.organisation_id,
    basis: 'consent',
    purpose: 'Support at home',
  });
  await t.services.sharing.withdraw(actors.person, personId, basisId, { reason: 'No longer needed' });

  everyone = (await db.selectFrom('person').select('person_id').orderBy('person_id').execute()).map(
    (r) => r.person_id,
  );

  // One membership of another organisation ended on a record the client holds.
  const grants = await grantsOf(actors.client);
  const members = await db
    .selectFrom('care_team_member')
    .select(['person_id', 'member_id'])
    .where(
      'person_id',
      'in',
      grants.map((g) => g.personId),
    )
    .where('organisation_id', '!=', organisationId)
    .where('end_date', 'is', null)
    .orderBy('person_id')
    .orderBy('member_id')
    .execute();
  const ended = members[0];
  if (!ended) throw new Error('No membership to end in the demo data.');
  endedOn = ended.person_id;
  await endCareTeamMembers(db, systemScope(ended.person_id, 'test'), [ended.member_id], todayIso());
}, 120_000);
afterAll(() => t?.close());

describe('Patient, RelatedPerson, CareTeam and Consent for many people at once', () => {
  it.each(['client', 'practitioner', 'person', 'carer'] as const)(
    'give %s exactly what each person’s own read gives',
    async (who) => {
      const actor = actors[who];
      const grants = await grantsOf(actor);
      expect(grants.length).toBeGreaterThan(0);
      if (who === 'carer') {
        expect(grants.map((g) => g.relation.kind).sort()).toEqual(['carer', 'self']);
        expect(grants.map((g) => g.personId)).toContain(carerOwnRecord);
      }
      if (who === 'person') expect(grants.map((g) => g.relation.kind)).toEqual(['self']);
      for (const handler of handlers) await expectSameAsOneByOne(t, handler, actor, grants);
    },
    60_000,
  );

  it('keep what the demo may lack: a withdrawn basis, an ended membership, a record with nothing', async () => {
    const carer = fhirContext(t, actors.carer);
    const carerGrants = await grantsOf(actors.carer);
    const own = carerGrants.filter((g) => g.personId === carerOwnRecord);
    expect((await readTogether(careTeamFhir)(carer, own)).get(carerOwnRecord)).toBeUndefined();
    expect((await readTogether(relatedPersonFhir)(carer, own)).get(carerOwnRecord)).toBeUndefined();
    expect((await readTogether(consentFhir)(carer, own)).get(carerOwnRecord)).toBeUndefined();
    expect((await readTogether(patientFhir)(carer, own)).get(carerOwnRecord)).toHaveLength(1);

    const person = fhirContext(t, actors.person);
    const consents = ((await readTogether(consentFhir)(person, await grantsOf(actors.person))).get(
      withdrawnOn,
    ) ?? []) as Consent[];
    expect(consents.map((c) => c.status)).toContain('inactive');
    expect(consents).toEqual(await readAlone(consentFhir)(person, withdrawnOn));

    const client = fhirContext(t, actors.client);
    const grants = await grantsOf(actors.client);
    const [team] = ((await readTogether(careTeamFhir)(client, grants)).get(endedOn) ?? []) as CareTeam[];
    expect(Number(team?.meta?.versionId)).toBeGreaterThan(team?.participant?.length ?? 0);
    expect([team]).toEqual(await readAlone(careTeamFhir)(client, endedOn));
  });

  it('read everyone with a fixed number of statements, and no audit entry of their own', async () => {
    const ctx = fhirContext(t, actors.client);
    const grants = await grantsOf(actors.client);
    expect(grants.length).toBeGreaterThan(3);
    const statements = async (these: readonly AccessGrant[]) => {
      const counted: Record<string, number> = {};
      for (const handler of handlers) {
        counted[handler.type] = (await countQueries(() => readTogether(handler)(ctx, these))).queries;
      }
      return counted;
    };
    const audited = async () =>
      Number(
        (
          await t.database.db
            .selectFrom('audit_event')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await audited();
    const forAll = await statements(grants);
    expect(forAll).toEqual({ Patient: 1, RelatedPerson: 1, CareTeam: 3, Consent: 1 });
    expect(await statements(grants.slice(0, 1))).toEqual(forAll);
    expect(await audited()).toBe(before);
    // No one, no statement.
    expect(await statements([])).toEqual({ Patient: 0, RelatedPerson: 0, CareTeam: 0, Consent: 0 });
    for (const handler of handlers) expect((await readTogether(handler)(ctx, [])).size).toBe(0);
  });
});
