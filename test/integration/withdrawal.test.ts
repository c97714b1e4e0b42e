import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccount } from '../support/demo.js';
import { duplicateIds, submitForm } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * Withdrawing sharing as a deliberate act (issue 9, part 1): a page that says what will happen and
 * asks why; the lead team's organisation cannot simply lose the record (it is handed over, or the
 * team manager is asked to decide); a record with no team responsible is on the manager's and the
 * administrators' work lists, and they choose a team; the person can give consent again.
 */
let t: TestApp;
let practitioner: string;
let manager: string;
let admin: string;
let practitionerTeamId: string;
/** A team in another organisation than practitioner@demo's, to hand records over to. */
let otherTeam: { teamId: string; name: string; organisationId: string };

const get = (url: string, cookie: string) => t.app.inject({ url, headers: { cookie } });

async function register(givenName: string, familyName: string): Promise<string> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/people',
    headers: { cookie: practitioner },
    payload: { givenName, familyName, sex: 'female' },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().personId as string;
}

async function basesOf(personId: string) {
  return t.database.db
    .selectFrom('sharing_basis')
    .select(['basis_id', 'organisation_id', 'basis', 'withdrawn_at', 'withdrawal_reason'])
    .where('person_id', '=', personId)
    .execute();
}

async function leadOf(personId: string) {
  return t.database.db
    .selectFrom('person')
    .select(['lead_team_id', 'lead_state', 'lead_state_reason'])
    .where('person_id', '=', personId)
    .executeTakeFirstOrThrow();
}

async function auditActions(personId: string) {
  const rows = await t.database.db
    .selectFrom('audit_event')
    .select(['action', 'outcome'])
    .where('person_id', '=', personId)
    .execute();
  return rows.map((r) => `${r.action}:${r.outcome}`);
}

/** Generated staff have no password; give one the demo password so the test can sign in as them. */
async function signInAsUser(userId: string): Promise<string> {
  const { db } = t.database;
  const { password_hash } = await db
    .selectFrom('user_account')
    .select('password_hash')
    .where('username', '=', 'practitioner@demo')
    .executeTakeFirstOrThrow();
  const { username } = await db
    .updateTable('user_account')
    .set({ password_hash })
    .where('user_id', '=', userId)
    .returning('username')
    .executeTakeFirstOrThrow();
  return signIn(t.app, username);
}

function expectWellFormed(page: LightMyRequestResponse) {
  expect(duplicateIds(page.body)).toEqual([]);
}

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 30 });
  practitioner = await signIn(t.app, 'practitioner@demo');
  manager = await signIn(t.app, 'manager@demo');
  admin = await signIn(t.app, 'admin@demo');
  const { user_id } = await demoAccount(t, 'practitioner@demo');
  const role = await t.database.db
    .selectFrom('user_role')
    .select(['team_id', 'organisation_id'])
    .where('user_id', '=', user_id)
    .where('role', '=', 'practitioner')
    .executeTakeFirstOrThrow();
  practitionerTeamId = role.team_id as string;
  const team = await t.database.db
    .selectFrom('team as t')
    .innerJoin('organisation as o', 'o.organisation_id', 't.organisation_id')
    .select(['t.team_id', 't.name', 't.organisation_id'])
    .where('t.organisation_id', '<>', role.organisation_id as string)
    .where('o.kind', '<>', 'commissioner')
    .orderBy('t.name')
    .executeTakeFirstOrThrow();
  otherTeam = { teamId: team.team_id, name: team.name, organisationId: team.organisation_id };
});
afterAll(() => t?.close());

describe('the lead team', () => {
  it('is the registering team, and every demo record has one', async () => {
    const personId = await register('Rowan', 'Ellis');
    expect(await leadOf(personId)).toMatchObject({
      lead_team_id: practitionerTeamId,
      lead_state: 'responsible',
    });
    const page = await get(`/people/${personId}`, practitioner);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Team responsible');
    expectWellFormed(page);
    const { person_id } = await demoAccount(t, 'person@demo');
    expect(await leadOf(person_id as string)).toMatchObject({ lead_state: 'responsible' });
    const withoutTeam = await t.database.db
      .selectFrom('person')
      .select('person_id')
      .where('lead_state', '<>', 'responsible')
      .execute();
    expect(withoutTeam).toEqual([]);
  });
});

describe('withdrawing sharing from the care team', () => {
  let personId: string;
  let basisId: string;
  let action: string;

  beforeAll(async () => {
    personId = await register('Iris', 'Okafor');
    basisId = (await basesOf(personId))[0]?.basis_id as string;
    action = `/people/${personId}/sharing/${basisId}/withdraw`;
  });

  it('the person page links to a confirmation page, not a one-click button', async () => {
    const page = await get(`/people/${personId}`, practitioner);
    expect(page.body).toContain(`href="${action}"`);
    expect(page.body).not.toContain(`action="${action}"`);
  });

  it('the confirmation page says what will happen and who will be responsible', async () => {
    const page = await get(action, practitioner);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('What will happen');
    expect(page.body).toContain('is responsible for this record');
    expect(page.body).toContain('Hand the record over to another team');
    expect(page.body).toContain('Ask the team manager to decide');
    expect(page.body).toContain(otherTeam.name);
    // Commissioners buy care rather than give it: their teams are not offered.
    const commissioning = await t.database.db
      .selectFrom('team as t')
      .innerJoin('organisation as o', 'o.organisation_id', 't.organisation_id')
      .select('t.team_id')
      .where('o.kind', '=', 'commissioner')
      .execute();
    for (const { team_id } of commissioning) expect(page.body).not.toContain(`value="${team_id}"`);
    expectWellFormed(page);
  });

  it('asks why, and which way, before anything changes', async () => {
    const refused = await submitForm(t.app, { session: practitioner, pageUrl: action, action, fields: {} });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('href="#reason"');
    expect(refused.body).toContain('href="#choice"');
    expectWellFormed(refused);
    expect((await basesOf(personId))[0]?.withdrawn_at).toBeNull();
    expect((await get(`/api/people/${personId}`, practitioner)).statusCode).toBe(200);
  });

  it('the API also refuses to leave the record without a responsible team', async () => {
    const noReason = await t.app.inject({
      method: 'POST',
      url: `/api${action}`,
      headers: { cookie: practitioner },
      payload: {},
    });
    expect(noReason.statusCode).toBe(422);
    const noTeam = await t.app.inject({
      method: 'POST',
      url: `/api${action}`,
      headers: { cookie: practitioner },
      payload: { reason: 'Moving to another area' },
    });
    expect(noTeam.statusCode).toBe(422);
    expect(noTeam.json().errors?.[0]?.field ?? noTeam.json().detail).toContain('newLeadTeamId');
    expect((await basesOf(personId))[0]?.withdrawn_at).toBeNull();
  });

  it('cannot hand over to a team in the organisation that loses the record', async () => {
    const refused = await submitForm(t.app, {
      session: practitioner,
      pageUrl: action,
      action,
      fields: { choice: 'hand-over', newLeadTeamId: practitionerTeamId, reason: 'Moving' },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('href="#newLeadTeamId"');
  });

  it('handing over keeps the record reachable by the new lead team', async () => {
    const done = await submitForm(t.app, {
      session: practitioner,
      pageUrl: action,
      action,
      fields: { choice: 'hand-over', newLeadTeamId: otherTeam.teamId, reason: 'Moved to their area' },
    });
    expect(done.statusCode).toBe(303);
    // The practitioner's organisation no longer sees the record: back to the caseload.
    expect(done.headers.location).toBe('/caseload');
    expect((await get(`/api/people/${personId}`, practitioner)).statusCode).toBe(404);
    expect(await leadOf(personId)).toMatchObject({
      lead_team_id: otherTeam.teamId,
      lead_state: 'responsible',
    });
    const bases = await basesOf(personId);
    expect(bases.find((b) => b.basis_id === basisId)?.withdrawal_reason).toBe('Moved to their area');
    expect(bases.some((b) => b.organisation_id === otherTeam.organisationId && !b.withdrawn_at)).toBe(true);
    const member = await t.database.db
      .selectFrom('user_role')
      .select('user_id')
      .where('team_id', '=', otherTeam.teamId)
      .where('role', 'in', ['practitioner', 'team-manager'])
      .executeTakeFirstOrThrow();
    const newTeam = await signInAsUser(member.user_id);
    const page = await get(`/people/${personId}`, newTeam);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(otherTeam.name);
    const actions = await auditActions(personId);
    expect(actions).toContain('assign-lead-team:success');
    expect(actions).toContain('withdraw-sharing-basis:success');
  });

  it('withdrawing another organisation needs a reason but no handover', async () => {
    const other = await register('Noor', 'Haddad');
    const added = await t.app.inject({
      method: 'POST',
      url: `/api/people/${other}/sharing`,
      headers: { cookie: practitioner },
      payload: { organisationId: otherTeam.organisationId, basis: 'consent', purpose: 'Housing support' },
    });
    expect(added.statusCode, added.body).toBe(201);
    const url = `/people/${other}/sharing/${added.json().basisId}/withdraw`;
    const page = await get(url, practitioner);
    expect(page.body).not.toContain('Hand the record over');
    const refused = await submitForm(t.app, { session: practitioner, pageUrl: url, action: url, fields: {} });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('href="#reason"');
    const done = await submitForm(t.app, {
      session: practitioner,
      pageUrl: url,
      action: url,
      fields: { reason: 'No longer needed' },
    });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/people/${other}?withdrawn=1#sharing`);
  });
});

describe('escalating to the team manager', () => {
  let personId: string;
  let action: string;

  beforeAll(async () => {
    personId = await register('Jude', 'Marsh');
    action = `/people/${personId}/sharing/${(await basesOf(personId))[0]?.basis_id}/withdraw`;
  });

  it('keeps the record with its team and puts it on the manager’s work list', async () => {
    const done = await submitForm(t.app, {
      session: practitioner,
      pageUrl: action,
      action,
      fields: { choice: 'escalate', reason: 'Jude has moved; not sure who should pick this up' },
    });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/people/${personId}?escalated=1#lead-team`);
    expect((await basesOf(personId))[0]?.withdrawn_at).toBeNull();
    expect(await leadOf(personId)).toMatchObject({
      lead_team_id: practitionerTeamId,
      lead_state: 'escalated',
    });
    const record = await get(`/people/${personId}?escalated=1`, practitioner);
    expect(record.body).toContain('Waiting for the team manager');

    const list = await get('/records-needing-a-team', manager);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Jude Marsh');
    expect(list.body).toContain('not sure who should pick this up');
    expectWellFormed(list);
    const caseload = await get('/caseload', manager);
    expect(caseload.body).toContain('href="/records-needing-a-team"');
    expect(await auditActions(personId)).toContain('escalate-lead-team:success');
  });

  it('cannot be escalated twice', async () => {
    const again = await submitForm(t.app, {
      session: practitioner,
      pageUrl: action,
      action,
      fields: { choice: 'escalate', reason: 'Again' },
    });
    expect(again.statusCode).toBe(400);
  });

  it('the manager (from the person page) chooses a team, saying why', async () => {
    const record = await get(`/people/${personId}`, manager);
    expect(record.body).toContain(`href="/people/${personId}/lead-team"`);
    // A practitioner is not offered it.
    expect((await get(`/people/${personId}`, practitioner)).body).not.toContain(
      `href="/people/${personId}/lead-team"`,
    );
    const url = `/people/${personId}/lead-team`;
    const page = await get(url, manager);
    expect(page.statusCode).toBe(200);
    expectWellFormed(page);
    const refused = await submitForm(t.app, {
      session: manager,
      pageUrl: url,
      action: url,
      fields: { teamId: otherTeam.teamId },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('href="#reason"');
    const done = await submitForm(t.app, {
      session: manager,
      pageUrl: url,
      action: url,
      fields: { teamId: otherTeam.teamId, reason: 'Their new area’s team' },
    });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/records-needing-a-team?assigned=1');
    expect(await leadOf(personId)).toMatchObject({
      lead_team_id: otherTeam.teamId,
      lead_state: 'responsible',
    });
    const list = await get('/records-needing-a-team?assigned=1', manager);
    expect(list.body).not.toContain('Jude Marsh');
    expect(list.body).toContain('The team responsible for the record was changed.');
  });

  it('then only the new team’s manager may change it; refusals are audited', async () => {
    const url = `/people/${personId}/lead-team`;
    // manager@demo no longer manages the lead team, and the record needs no team: no such person.
    expect((await get(url, manager)).statusCode).toBe(404);
    expect((await get(url, admin)).statusCode).toBe(404);
    expect((await get(url, practitioner)).statusCode).toBe(403);
    expect((await get('/records-needing-a-team', practitioner)).statusCode).toBe(403);
    expect(await auditActions(personId)).toContain('read-lead-team:denied');
    const refused = await submitForm(t.app, {
      session: manager,
      pageUrl: '/records-needing-a-team',
      action: url,
      fields: { teamId: practitionerTeamId, reason: 'Back to us' },
    });
    expect(refused.statusCode).toBe(404);
    expect(await auditActions(personId)).toContain('assign-lead-team:denied');
    expect(await leadOf(personId)).toMatchObject({ lead_team_id: otherTeam.teamId });
  });
});

describe('the person withdraws and gives consent again', () => {
  let person: string;
  let personId: string;

  beforeAll(async () => {
    person = await signIn(t.app, 'person@demo');
    personId = (await demoAccount(t, 'person@demo')).person_id as string;
  });

  it('withdrawing the lead team’s organisation is confirmed, and the record goes on the work lists', async () => {
    const lead = await leadOf(personId);
    const team = await t.database.db
      .selectFrom('team')
      .select(['organisation_id', 'name'])
      .where('team_id', '=', lead.lead_team_id as string)
      .executeTakeFirstOrThrow();
    const leadBases = (await basesOf(personId)).filter(
      (b) => b.organisation_id === team.organisation_id && !b.withdrawn_at,
    );
    expect(leadBases.length).toBeGreaterThan(0);
    const my = await get('/my/sharing', person);
    for (const [i, basis] of leadBases.entries()) {
      const url = `/people/${personId}/sharing/${basis.basis_id}/withdraw`;
      expect(my.body).toContain(`action="${url}"`);
      const page = await get(url, person);
      expect(page.statusCode).toBe(200);
      expectWellFormed(page);
      if (i === leadBases.length - 1) expect(page.body).toContain('is responsible for your care');
      // The person need not say why.
      const done = await submitForm(t.app, { session: person, pageUrl: url, action: url, fields: {} });
      expect(done.statusCode).toBe(303);
      expect(done.headers.location).toBe('/my?withdrawn=1');
    }
    expect((await get(`/api/people/${personId}`, practitioner)).statusCode).toBe(404);
    expect(await leadOf(personId)).toMatchObject({ lead_state: 'needs-team' });
    const { given_name } = await t.database.db
      .selectFrom('person')
      .select('given_name')
      .where('person_id', '=', personId)
      .executeTakeFirstOrThrow();
    for (const reader of [manager, admin]) {
      const list = await get('/records-needing-a-team', reader);
      expect(list.body).toContain(given_name);
      expect(list.body).toContain('No team is responsible for the record');
      expect(list.body).toContain(`href="/people/${personId}/lead-team"`);
      // While it needs a team, an administrator may choose one too.
      expect((await get(`/people/${personId}/lead-team`, reader)).statusCode).toBe(200);
    }
  });

  it('no team in that organisation can be made responsible until the person consents again', async () => {
    const url = `/people/${personId}/lead-team`;
    const refused = await submitForm(t.app, {
      session: manager,
      pageUrl: url,
      action: url,
      fields: { teamId: practitionerTeamId, reason: 'They still need us' },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('href="#teamId"');
  });

  it('the person gives consent again, after a confirmation, and the lead team is responsible again', async () => {
    const my = await get('/my/sharing', person);
    const link = /href="(\/people\/[^"]+\/sharing\/consent\/[^"]+)"/.exec(my.body)?.[1];
    expect(link).toBeTruthy();
    const page = await get(link as string, person);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('will be responsible for your care again');
    expectWellFormed(page);
    const done = await submitForm(t.app, {
      session: person,
      pageUrl: link as string,
      action: link as string,
      fields: {},
    });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/my?consented=1#who-can-see');
    expect((await get(`/api/people/${personId}`, practitioner)).statusCode).toBe(200);
    expect(await leadOf(personId)).toMatchObject({ lead_state: 'responsible' });
    expect((await get('/my?consented=1', person)).body).toContain('can see your record again');
    const list = await get('/records-needing-a-team', manager);
    expect(list.body).not.toContain(`/people/${personId}/lead-team`);
  });

  it('only the person may give consent again on that page; a carer may not withdraw', async () => {
    const carer = await signIn(t.app, 'carer@demo');
    const basis = (await basesOf(personId)).find((b) => !b.withdrawn_at);
    const url = `/people/${personId}/sharing/${basis?.basis_id}/withdraw`;
    expect((await get(url, carer)).statusCode).toBe(403);
    expect(await auditActions(personId)).toContain('read-sharing:denied');
  });
});
