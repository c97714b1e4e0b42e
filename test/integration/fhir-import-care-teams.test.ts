import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONVERSATION_KIND_SYSTEM,
  CONVERSATION_SUMMARY_EXTENSION,
  PARTICIPANT_KIND_SYSTEM,
} from '../../src/domain/interop/encounter.js';
import { personRowId } from '../../src/domain/interop/fhir-ids.js';
import { RECORDED_BY_EXTENSION } from '../../src/domain/interop/recorded-by.js';
import { COMMAND_LINE_CLIENT, clientAccountId } from '../../src/features/auth/client-account.js';
import { ORGANIZATION_TYPE_SYSTEM } from '../../src/features/directory/fhir-organization.js';
import { ROLE_SYSTEM } from '../../src/features/directory/fhir-practitioner-role.js';
import {
  CARE_TEAM_MEMBER_TEAM_EXTENSION,
  CARE_TEAM_ROLE_SYSTEM,
  SUPPORT_KIND_SYSTEM,
} from '../../src/features/people/fhir-care-team.js';
import { SHARING_BASIS_SYSTEM } from '../../src/features/sharing/fhir-consent.js';
import { runFhirImport } from '../../src/interop/fhir/bulk-import.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Bulk import of the care team (docs/FHIR.md, "Bulk import"): teams, Practitioners (accounts that
 * cannot sign in), PractitionerRoles and CareTeams, and who recorded what where the input names a
 * Practitioner, into an empty database; a dry run writes nothing, a second run changes nothing.
 */

let t: TestApp;
let dir: string;
let file: string;
/** What the dry run reported skipped: the real run skips the same. */
let dryRunSkips: unknown[];

const ORG = 'a1a1a1a1-1111-4111-8111-111111111111';
const TEAM = 'b2b2b2b2-2222-4222-8222-222222222222';
const PRIYA = 'c3c3c3c3-3333-4333-8333-333333333333';
const HELD = 'd4d4d4d4-4444-4444-8444-444444444444';
const NOWHERE = 'e5e5e5e5-5555-4555-8555-555555555555';
const PERSON = 'f6f6f6f6-6666-4666-8666-666666666666';
const KEY_MEMBER = '17171717-7777-4777-8777-777777777777';
const TEAM_MEMBER = '28282828-8888-4888-8888-888888888888';
const UNNAMED_MEMBER = '39393939-9999-4999-8999-999999999999';
const ROLE = '4a4a4a4a-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const BASIS = '5b5b5b5b-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

const recordedBy = (id: string, display: string) => ({
  url: RECORDED_BY_EXTENSION,
  valueReference: { reference: `Practitioner/${id}`, display },
});
const supportRole = (text: string) => ({
  coding: [{ system: SUPPORT_KIND_SYSTEM, code: 'social-care' }],
  ...(text ? { text } : {}),
});
const encounter = (id: string, recorder: string) => ({
  resourceType: 'Encounter',
  id,
  meta: { versionId: '1', lastUpdated: '2025-03-05T11:00:00Z' },
  extension: [
    { url: CONVERSATION_SUMMARY_EXTENSION, valueString: 'Talked about the allotment.' },
    recordedBy(recorder, 'Someone'),
  ],
  status: 'finished',
  type: [{ coding: [{ system: CONVERSATION_KIND_SYSTEM, code: 'first' }] }],
  subject: { reference: `Patient/${PERSON}` },
  participant: [
    {
      type: [{ coding: [{ system: PARTICIPANT_KIND_SYSTEM, code: 'person' }] }],
      individual: { display: 'Jo Team' },
    },
  ],
  period: { start: '2025-03-05' },
});

const input = [
  {
    resourceType: 'Organization',
    id: ORG,
    type: [{ coding: [{ code: 'council-adult-social-care' }] }],
    name: 'Eastshire Council',
  },
  {
    resourceType: 'Organization',
    id: TEAM,
    meta: { versionId: '1', lastUpdated: '2024-01-02T03:04:05Z' },
    type: [{ coding: [{ system: ORGANIZATION_TYPE_SYSTEM, code: 'team' }] }],
    name: 'Community team north',
    partOf: { reference: `Organization/${ORG}` },
  },
  {
    resourceType: 'Organization',
    id: 'lost-team',
    type: [{ coding: [{ system: ORGANIZATION_TYPE_SYSTEM, code: 'team' }] }],
    name: 'A team of nowhere',
    partOf: { reference: 'Organization/not-here' },
  },
  {
    resourceType: 'Practitioner',
    id: PRIYA,
    meta: { versionId: '1', lastUpdated: '2024-01-03T09:00:00Z' },
    active: true,
    name: [{ use: 'usual', text: 'Priya Shah' }],
  },
  // Held already under the same username (their email address): left as it is.
  {
    resourceType: 'Practitioner',
    id: HELD,
    name: [{ text: 'Held Elsewhere' }],
    telecom: [{ system: 'email', value: 'held@example.org' }],
  },
  {
    resourceType: 'PractitionerRole',
    id: ROLE,
    practitioner: { reference: `Practitioner/${PRIYA}` },
    organization: { reference: `Organization/${TEAM}` },
    code: [{ coding: [{ system: ROLE_SYSTEM, code: 'practitioner' }] }, { text: 'Social worker' }],
  },
  {
    resourceType: 'PractitionerRole',
    id: 'role-of-held',
    practitioner: { reference: `Practitioner/${HELD}` },
    organization: { reference: `Organization/${ORG}` },
    code: [{ coding: [{ system: ROLE_SYSTEM, code: 'practitioner' }] }],
  },
  { resourceType: 'Patient', id: PERSON, name: [{ family: 'Team', given: ['Jo'] }], gender: 'female' },
  {
    resourceType: 'Consent',
    id: personRowId(PERSON, BASIS),
    extension: [
      {
        url: 'https://whatmatters.example.org/fhir/StructureDefinition/sharing-purpose',
        valueString: 'Direct care',
      },
      recordedBy(PRIYA, 'Priya Shah'),
    ],
    status: 'active',
    scope: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }],
    },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
    patient: { reference: `Patient/${PERSON}` },
    dateTime: '2025-01-10T10:00:00Z',
    organization: [{ reference: `Organization/${ORG}` }],
    policyRule: { coding: [{ system: SHARING_BASIS_SYSTEM, code: 'direct-care' }] },
    provision: { type: 'permit', period: { start: '2025-01-10T10:00:00Z' } },
  },
  {
    resourceType: 'CareTeam',
    id: PERSON,
    status: 'active',
    subject: { reference: `Patient/${PERSON}` },
    managingOrganization: [{ reference: `Organization/${TEAM}` }],
    participant: [
      {
        id: KEY_MEMBER,
        extension: [
          {
            url: CARE_TEAM_MEMBER_TEAM_EXTENSION,
            valueReference: { reference: `Organization/${TEAM}`, display: 'Community team north' },
          },
        ],
        role: [
          supportRole('Social worker, Community team north'),
          { coding: [{ system: CARE_TEAM_ROLE_SYSTEM, code: 'key-worker' }] },
        ],
        member: { reference: `Practitioner/${PRIYA}` },
        onBehalfOf: { reference: `Organization/${ORG}` },
        period: { start: '2025-01-10' },
      },
      {
        id: TEAM_MEMBER,
        role: [supportRole('Community team north')],
        member: { reference: `Organization/${TEAM}`, display: 'Community team north' },
        period: { start: '2025-01-11' },
      },
      {
        id: UNNAMED_MEMBER,
        role: [supportRole('Duty worker')],
        member: { reference: `Practitioner/${NOWHERE}` },
        onBehalfOf: { reference: `Organization/${ORG}` },
        period: { start: '2025-01-12' },
      },
      {
        id: 'elsewhere',
        role: [supportRole('')],
        member: { reference: 'Organization/not-here' },
        period: { start: '2025-01-12' },
      },
    ],
  },
  encounter('enc-by-priya', PRIYA),
  encounter('enc-by-nobody-here', NOWHERE),
];

beforeAll(async () => {
  t = await createTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-fhir-import-care-teams-'));
  file = path.join(dir, 'care-team.ndjson');
  fs.writeFileSync(file, input.map((r) => JSON.stringify(r)).join('\n'));
  await t.services.users.add({
    username: 'held@example.org',
    displayName: 'Held Here',
    role: 'admin',
    password: 'a long enough password here',
  });
}, 120_000);
afterAll(async () => {
  await t?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const db = () => t.services.database.db;
const snapshot = async () => ({
  teams: await db().selectFrom('team').selectAll().orderBy('team_id').execute(),
  accounts: await db()
    .selectFrom('user_account')
    .select(['user_id', 'username', 'display_name', 'job_title', 'password_hash', 'disabled_at'])
    .orderBy('user_id')
    .execute(),
  roles: await db().selectFrom('user_role').selectAll().orderBy('user_role_id').execute(),
  members: await db()
    .selectFrom('care_team_member')
    .select([
      'member_id',
      'organisation_id',
      'team_id',
      'user_id',
      'support_kind',
      'role_description',
      'is_key_worker',
      'start_date',
    ])
    .orderBy('member_id')
    .execute(),
  lead: await db()
    .selectFrom('person')
    .select(['person_id', 'lead_team_id', 'lead_state'])
    .orderBy('person_id')
    .execute(),
  conversations: await db()
    .selectFrom('conversation')
    .select(['conversation_id', 'recorded_by_user_id'])
    .orderBy('recorded_by_user_id')
    .execute(),
  bases: await db().selectFrom('sharing_basis').select(['basis_id', 'recorded_by_user_id']).execute(),
  audit: (await db().selectFrom('audit_event').select('audit_id').execute()).length,
});

const expectedImported = {
  Organization: 2,
  Practitioner: 1,
  PractitionerRole: 1,
  Patient: 1,
  Consent: 1,
  CareTeam: 1,
  Encounter: 2,
};

describe('importing the care team: teams, Practitioners, their roles and CareTeams', () => {
  it('dry run: reports what it would import and writes nothing', async () => {
    const before = await snapshot();
    const report = await runFhirImport(t.services, [file], { dryRun: true });
    expect(report.imported).toEqual(expectedImported);
    expect(report.people).toEqual({ imported: 1, unchanged: 0, refused: 0 });
    dryRunSkips = report.skipped;
    expect(await snapshot()).toEqual(before);
  });

  it('keeps teams, accounts that cannot sign in, roles and the care team under their ids; skips what it cannot, saying why', async () => {
    const report = await runFhirImport(t.services, [file]);
    expect(report.imported).toEqual(expectedImported);
    expect(report.unchanged).toEqual({ Practitioner: 1 });
    expect(report.people).toEqual({ imported: 1, unchanged: 0, refused: 0 });
    const reasons = report.skipped.map((s) => `${s.type} ${s.id} ${s.element ?? ''}: ${s.reason}`);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Organization lost-team Organization.partOf: The Organization was not imported: The organisation it is part of .* is neither held here nor imported with it\.$/,
        ),
        'PractitionerRole role-of-held PractitionerRole.practitioner: The PractitionerRole was not imported: The account is held here already: its roles are left as they are.',
        `CareTeam ${PERSON} CareTeam.participant[2].member: Practitioner/${NOWHERE} is neither imported nor held here: the membership is kept without a named worker.`,
        expect.stringMatching(
          new RegExp(
            `^CareTeam ${PERSON} CareTeam.participant\\[3\\]: The membership was not imported: the organisation it names .* is neither held here nor imported with it\\.$`,
          ),
        ),
      ]),
    );
    expect(reasons).toHaveLength(4);
    expect(report.skipped).toEqual(dryRunSkips);

    const now = await snapshot();
    expect(now.teams).toEqual([
      expect.objectContaining({ team_id: TEAM, organisation_id: ORG, name: 'Community team north' }),
    ]);
    expect(now.accounts.find((a) => a.user_id === PRIYA)).toEqual({
      user_id: PRIYA,
      username: `practitioner:${PRIYA}`,
      display_name: 'Priya Shah',
      job_title: 'Social worker',
      password_hash: null,
      disabled_at: null,
    });
    // The account held under the same username is left exactly as it was.
    expect(now.accounts.find((a) => a.username === 'held@example.org')?.display_name).toBe('Held Here');
    expect(now.accounts.some((a) => a.user_id === HELD)).toBe(false);
    expect(now.roles.filter((r) => r.user_id === PRIYA)).toEqual([
      { user_role_id: ROLE, user_id: PRIYA, role: 'practitioner', organisation_id: ORG, team_id: TEAM },
    ]);
    // No password: the imported practitioner cannot sign in until an administrator gives them one.
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: `practitioner:${PRIYA}`, password: 'a long enough password here' },
    });
    expect(signIn.statusCode).not.toBe(200);

    // The care team: the registration's membership is the input's of that organisation (the key
    // worker's), so nothing is there twice; the team's name is taken off the role's words.
    expect(now.members).toEqual([
      {
        member_id: KEY_MEMBER,
        organisation_id: ORG,
        team_id: TEAM,
        user_id: PRIYA,
        support_kind: 'social-care',
        role_description: 'Social worker',
        is_key_worker: true,
        start_date: '2025-01-10',
      },
      {
        member_id: TEAM_MEMBER,
        organisation_id: ORG,
        team_id: TEAM,
        user_id: null,
        support_kind: 'social-care',
        role_description: '',
        is_key_worker: false,
        start_date: '2025-01-11',
      },
      {
        member_id: UNNAMED_MEMBER,
        organisation_id: ORG,
        team_id: null,
        user_id: null,
        support_kind: 'social-care',
        role_description: 'Duty worker',
        is_key_worker: false,
        start_date: '2025-01-12',
      },
    ]);
    expect(now.lead).toEqual([{ person_id: PERSON, lead_team_id: TEAM, lead_state: 'responsible' }]);
    // Recorded by the Practitioner the input names when they are here, else by the import.
    expect(now.conversations.map((c) => c.recorded_by_user_id).sort()).toEqual(
      [PRIYA, clientAccountId(COMMAND_LINE_CLIENT)].sort(),
    );
    expect(now.bases).toEqual([{ basis_id: BASIS, recorded_by_user_id: PRIYA }]);
  });

  it('is idempotent: a second run changes nothing and says so', async () => {
    const before = await snapshot();
    const report = await runFhirImport(t.services, [file]);
    expect(report.imported).toEqual({});
    expect(report.unchanged).toEqual({
      // The team (the organisation people are registered into is not counted again).
      Organization: 1,
      Practitioner: 2,
      PractitionerRole: 1,
      Patient: 1,
      Consent: 1,
      CareTeam: 1,
      Encounter: 2,
    });
    expect(await snapshot()).toEqual(before);
  });
});
