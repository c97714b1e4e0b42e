import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * Consent-based sharing across agencies and break-glass access: a practitioner in another agency
 * sees a person only while a basis naming their organisation is in force; withdrawing it takes
 * effect at once; break-glass gives read-only, time-limited, audited access.
 */
let t: TestApp;
let personId: string;
let practitioner: string;

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

/** A practitioner of another organisation than practitioner@demo's, with their organisation and team. */
async function otherAgencyPractitioner(kind: string) {
  return t.database.db
    .selectFrom('user_role as r')
    .innerJoin('organisation as o', 'o.organisation_id', 'r.organisation_id')
    .select(['r.user_id', 'r.organisation_id', 'r.team_id', 'o.name'])
    .where('r.role', '=', 'practitioner')
    .where('o.kind', '=', kind)
    .executeTakeFirstOrThrow();
}

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 30 });
  practitioner = await signIn(t.app, 'practitioner@demo');
  const registered = await t.app.inject({
    method: 'POST',
    url: '/api/people',
    headers: { cookie: practitioner },
    payload: { givenName: 'Ivy', familyName: 'Nakamura', sex: 'female', nhsNumber: '401 023 2137' },
  });
  personId = registered.json().personId;
});
afterAll(() => t?.close());

describe('sharing across agencies', () => {
  it('the registering organisation has a direct-care basis', async () => {
    const bases = (
      await t.app.inject({ url: `/api/people/${personId}/sharing`, headers: { cookie: practitioner } })
    ).json();
    expect(bases).toEqual([expect.objectContaining({ basis: 'direct-care', withdrawnAt: null })]);
  });

  let housingCookie: string;
  it('adding another agency needs a recorded basis', async () => {
    const housing = await otherAgencyPractitioner('housing-association');
    housingCookie = await signInAsUser(housing.user_id);
    const member = {
      organisationId: housing.organisation_id,
      teamId: housing.team_id,
      supportKind: 'housing',
    };
    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/people/${personId}/care-team`,
      headers: { cookie: practitioner },
      payload: member,
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors[0].field).toBe('sharing');
    expect(
      (await t.app.inject({ url: `/api/people/${personId}`, headers: { cookie: housingCookie } })).statusCode,
    ).toBe(404);

    const added = await t.app.inject({
      method: 'POST',
      url: `/api/people/${personId}/care-team`,
      headers: { cookie: practitioner },
      payload: { ...member, sharing: { basis: 'consent', purpose: 'Adapting the bathroom' } },
    });
    expect(added.statusCode).toBe(201);
    expect(
      (await t.app.inject({ url: `/api/people/${personId}`, headers: { cookie: housingCookie } })).statusCode,
    ).toBe(200);
    const caseload = (
      await t.app.inject({ url: '/api/caseload?search=nakamura', headers: { cookie: housingCookie } })
    ).json();
    expect(caseload.entries.map((e: { personId: string }) => e.personId)).toEqual([personId]);
  });

  it('withdrawing consent takes effect at once', async () => {
    const bases = (
      await t.app.inject({ url: `/api/people/${personId}/sharing`, headers: { cookie: practitioner } })
    ).json();
    const consent = bases.find((b: { basis: string }) => b.basis === 'consent');
    const withdrawn = await t.app.inject({
      method: 'POST',
      url: `/api/people/${personId}/sharing/${consent.basisId}/withdraw`,
      headers: { cookie: practitioner },
      payload: { reason: 'Ivy asked us to stop sharing with housing' },
    });
    expect(withdrawn.statusCode).toBe(204);
    expect(
      (await t.app.inject({ url: `/api/people/${personId}`, headers: { cookie: housingCookie } })).statusCode,
    ).toBe(404);
    // Nor does the person stay in that organisation's caseload.
    const caseload = (
      await t.app.inject({ url: '/api/caseload?search=nakamura', headers: { cookie: housingCookie } })
    ).json();
    expect(caseload.entries).toEqual([]);
    // The lead team still sees the record.
    expect(
      (await t.app.inject({ url: `/api/people/${personId}`, headers: { cookie: practitioner } })).statusCode,
    ).toBe(200);
  });

  it('a care-team row without any basis gives no access', async () => {
    const charity = await otherAgencyPractitioner('voluntary-community');
    await t.database.db
      .insertInto('care_team_member')
      .values({
        person_id: personId,
        member_id: crypto.randomUUID(),
        organisation_id: charity.organisation_id as string,
        team_id: charity.team_id,
        user_id: charity.user_id,
        support_kind: 'voluntary-community',
      })
      .execute();
    const cookie = await signInAsUser(charity.user_id);
    expect((await t.app.inject({ url: `/api/people/${personId}`, headers: { cookie } })).statusCode).toBe(
      404,
    );
  });

  it('the person can withdraw their own consent', async () => {
    const person = await signIn(t.app, 'person@demo');
    const me = (await t.app.inject({ url: '/api/session', headers: { cookie: person } })).json();
    const bases = (
      await t.app.inject({ url: `/api/people/${me.personId}/sharing`, headers: { cookie: person } })
    ).json();
    const consent = bases.find(
      (b: { basis: string; withdrawnAt: string | null }) => b.basis === 'consent' && !b.withdrawnAt,
    );
    expect(consent).toBeDefined();
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/people/${me.personId}/sharing/${consent.basisId}/withdraw`,
      headers: { cookie: person },
      payload: {},
    });
    expect(response.statusCode).toBe(204);
  });
});

describe('break-glass access', () => {
  let outsider: string;
  let outsiderId: string;
  beforeAll(async () => {
    const gp = await otherAgencyPractitioner('gp-practice');
    outsiderId = gp.user_id;
    outsider = await signInAsUser(gp.user_id);
  });

  it('needs a real reason', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/break-glass',
      headers: { cookie: outsider },
      payload: { nhsNumber: '4010232137', reason: 'emergency' },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors[0].field).toBe('reason');
  });

  it('gives read-only access, audited with the reason, reported to the team manager', async () => {
    expect(
      (await t.app.inject({ url: `/api/people/${personId}`, headers: { cookie: outsider } })).statusCode,
    ).toBe(404);
    const reason = 'Called out by the ambulance service; Ivy cannot tell us her medicines';
    const granted = await t.app.inject({
      method: 'POST',
      url: '/api/break-glass',
      headers: { cookie: outsider },
      payload: { nhsNumber: '401 023 2137', reason },
    });
    expect(granted.statusCode).toBe(201);
    expect(granted.json().personId).toBe(personId);
    expect(
      (await t.app.inject({ url: `/api/people/${personId}`, headers: { cookie: outsider } })).statusCode,
    ).toBe(200);

    const write = await t.app.inject({
      method: 'POST',
      url: `/api/people/${personId}/outcomes`,
      headers: { cookie: outsider },
      payload: { statement: 'x' },
    });
    expect(write.statusCode).toBe(403);

    const reads = await t.database.db
      .selectFrom('audit_event')
      .select(['action', 'purpose', 'outcome'])
      .where('person_id', '=', personId)
      .where('actor_user_id', '=', outsiderId)
      .execute();
    expect(reads).toContainEqual({ action: 'break-glass', purpose: reason, outcome: 'success' });
    expect(reads).toContainEqual({
      action: 'read-person',
      purpose: `break-glass: ${reason}`,
      outcome: 'success',
    });

    const manager = await signIn(t.app, 'manager@demo');
    const report = (
      await t.app.inject({ url: '/api/break-glass/report', headers: { cookie: manager } })
    ).json();
    expect(report).toContainEqual(expect.objectContaining({ personId, reason }));
  });

  it('lapses when the grant expires', async () => {
    await t.database.db
      .updateTable('break_glass_grant')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', outsiderId)
      .execute();
    expect(
      (await t.app.inject({ url: `/api/people/${personId}`, headers: { cookie: outsider } })).statusCode,
    ).toBe(404);
  });

  it('is not for people outside care roles', async () => {
    const commissioner = await signIn(t.app, 'commissioner@demo');
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/break-glass',
      headers: { cookie: commissioner },
      payload: { nhsNumber: '4010232137', reason: 'I would like to see this person please now' },
    });
    expect(response.statusCode).toBe(403);
  });
});
