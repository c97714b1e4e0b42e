import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/demo-data-service.js';
import { todayIso } from '../../src/domain/calendar.js';
import { hashPassword } from '../../src/features/auth/password-hash.js';
import { demoAccount } from '../support/demo.js';
import { duplicateIds, submitForm } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * Referrals and signposts to community support (issue 14, part 2) through HTTP: a practitioner finds
 * a walking group for an outcome and refers the person; the group's organisation sees only referrals
 * to its resources, with only what a referral passes, accepts and records attendance; the person
 * refers themselves where a resource allows it; the record's timeline, plan and care team show it.
 * Refusals name the field and write nothing; refusals of access are audited; stale versions are 409.
 */

let t: TestApp;
const session: Record<string, string> = {};
let personId = '';
let outcomeId = '';
const resources = { walk: '', professionalOnly: '', full: '', otherOrg: '' };
let referralId = '';
let selfReferralId = '';
let signpostId = '';

// Margaret Dunn works for Riverside Good Neighbours; Tom Fielding for Riverside Community Links.
const USERS = {
  margaret: 'margaret.dunn@demo',
  tom: 'tom.fielding@demo',
  practitioner: 'practitioner@demo',
  person: 'person@demo',
  admin: 'admin@demo',
  commissioner: 'commissioner@demo',
};

const entry = (over: Record<string, unknown>) => ({
  name: 'Riverside Park Health Walk',
  kind: 'walking-group',
  summary: 'A gentle hour’s walk around Riverside Park, with a cuppa after.',
  // A word no demo entry has: searches for it find these entries on the first page, whatever the demo holds.
  description: 'Led by trained volunteers from Quillfield.',
  needs: ['loneliness-isolation', 'physical-activity'],
  domainCodes: ['seeing-people'],
  online: false,
  address: 'Riverside Park Café\nPark Road',
  postcode: 'RV1 2AB',
  sessions: [{ day: 'tue', start: '10:00', end: '11:00' }],
  scheduleNote: '',
  eligibility: '',
  minAge: null,
  maxAge: null,
  costKind: 'free',
  costNote: '',
  accessibility: [],
  accessibilityNote: '',
  selfReferral: true,
  howToRefer: 'Ring Margaret.',
  phone: '01632 960 123',
  email: 'walks@example.org',
  website: null,
  capacity: 20,
  acceptingReferrals: true,
  ...over,
});

const as = (who: keyof typeof USERS) => ({ cookie: session[who] as string });
const get = (url: string, who: keyof typeof USERS) => t.app.inject({ url, headers: as(who) });
const post = (url: string, who: keyof typeof USERS, payload: unknown) =>
  t.app.inject({ method: 'POST', url, headers: as(who), payload: payload as object });
const referralsUrl = () => `/api/people/${personId}/community-referrals`;

async function count(table: 'community_referral' | 'community_attendance') {
  const row = await t.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function audits(action: string, outcome: 'success' | 'denied') {
  return t.database.db
    .selectFrom('audit_event')
    .select(['actor_user_id', 'resource_id', 'person_id'])
    .where('action', '=', action)
    .where('outcome', '=', outcome)
    .execute();
}

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 6 });
  // Only the demo's well-known accounts sign in; these two voluntary-sector staff are given the password here.
  await t.database.db
    .updateTable('user_account')
    .set({ password_hash: await hashPassword(DEMO_PASSWORD) })
    .where('username', 'in', [USERS.margaret, USERS.tom])
    .execute();
  for (const [who, username] of Object.entries(USERS)) session[who] = await signIn(t.app, username);
  const orgs = await t.database.db.selectFrom('organisation').select(['organisation_id', 'name']).execute();
  const orgOf = (name: string) => orgs.find((o) => o.name === name)?.organisation_id ?? '';
  const add = async (who: keyof typeof USERS, organisation: string, over: Record<string, unknown>) => {
    const response = await post('/api/community/resources', who, {
      organisationId: orgOf(organisation),
      ...entry(over),
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().resourceId as string;
  };
  resources.walk = await add('margaret', 'Riverside Good Neighbours', {});
  resources.professionalOnly = await add('margaret', 'Riverside Good Neighbours', {
    name: 'Good Neighbours Befriending',
    kind: 'befriending',
    selfReferral: false,
  });
  resources.full = await add('margaret', 'Riverside Good Neighbours', {
    name: 'Good Neighbours Lunch Club',
    acceptingReferrals: false,
  });
  resources.otherOrg = await add('tom', 'Riverside Community Links', {
    name: 'Community Links Coffee Morning',
  });
  personId = (await demoAccount(t, 'person@demo')).person_id ?? '';
  const outcomes = (await get(`/api/people/${personId}/outcomes`, 'person')).json();
  outcomeId = outcomes.find((o: { status: string }) => o.status === 'active').outcomeId;
}, 120_000);
afterAll(() => t?.close());

describe('the referrer’s side', () => {
  it('finds support for a plan goal not linked to an outcome, and starts the reason with its words', async () => {
    const referralsBefore = await count('community_referral');
    const plan = (await get(`/api/people/${personId}/plan`, 'practitioner')).json();
    const current = plan.current;
    const goalId = '6f1c2a0e-4b7d-4c1e-9a55-0d3e8b7f2c11';
    const description =
      'Get back to the allotment on Saturdays with other growers, and take my grandson along when he visits in the school holidays, because that is where I feel most myself';
    const saved = await post(`/api/people/${personId}/plan/versions`, 'practitioner', {
      content: {
        ...current.content,
        goals: [...current.content.goals, { id: goalId, outcomeId: null, description, actions: [] }],
      },
      basedOn: current.version,
    });
    expect(saved.statusCode, saved.body).toBe(201);

    const planPage = await get(`/people/${personId}/plan`, 'practitioner');
    const findHref = `/people/${personId}/community-support/find?goalId=${goalId}`;
    expect(planPage.body).toContain(`href="${findHref}" id="find-support-goal-${goalId}"`);
    // A goal linked to an outcome is found through the outcome's own link, never twice.
    for (const g of current.content.goals as { id: string; outcomeId: string | null }[]) {
      if (g.outcomeId) expect(planPage.body).not.toContain(`find-support-goal-${g.id}`);
    }

    const find = await get(`${findHref}&domain=seeing-people&words=Quillfield`, 'practitioner');
    expect(find.statusCode, find.body).toBe(200);
    expect(find.body).toContain('For the plan goal “Get back to the allotment');
    expect(find.body).toContain(`name="goalId" value="${goalId}"`);
    const referHref = `/people/${personId}/community-referrals/new?resourceId=${resources.walk}&amp;kind=referral&amp;goalId=${goalId}`;
    expect(find.body).toContain(referHref);

    const form = await get(referHref.replaceAll('&amp;', '&'), 'practitioner');
    expect(form.statusCode, form.body).toBe(200);
    // The goal's words, cut at a word within the standard's 150 characters.
    expect(form.body).toContain(
      'Get back to the allotment on Saturdays with other growers, and take my grandson along when he visits in the school holidays, because that is where I…',
    );
    // A goal id that is not the plan's is ignored: an empty reason, as from the search.
    const stranger = await get(
      `/people/${personId}/community-referrals/new?resourceId=${resources.walk}&kind=referral&goalId=${randomUUID()}`,
      'practitioner',
    );
    expect(stranger.statusCode).toBe(200);
    expect(stranger.body).not.toContain('allotment');
    expect(await count('community_referral')).toBe(referralsBefore);
  });

  it('finds support for an outcome, near the person, with Refer and Signpost where open', async () => {
    const page = await get(
      `/people/${personId}/community-support/find?outcomeId=${outcomeId}&domain=seeing-people&words=Quillfield`,
      'practitioner',
    );
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('Riverside Park Health Walk');
    expect(page.body).toContain(
      `/people/${personId}/community-referrals/new?resourceId=${resources.walk}&amp;kind=referral&amp;outcomeId=${outcomeId}`,
    );
    // Not taking referrals: signposting only.
    expect(page.body).not.toContain(`resourceId=${resources.full}&amp;kind=referral`);
    expect(page.body).toContain(`resourceId=${resources.full}&amp;kind=signpost`);
    expect(duplicateIds(page.body)).toEqual([]);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const before = await count('community_referral');
    const good = {
      resourceId: resources.walk,
      kind: 'referral',
      outcomeId,
      needs: ['loneliness-isolation'],
      reason: 'Would like to meet people',
      shareConsent: true,
    };
    const tooLong = await post(referralsUrl(), 'practitioner', { ...good, reason: 'x'.repeat(151) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.headers['content-type']).toContain('application/problem+json');
    expect(tooLong.json().errors.map((e: { field: string }) => e.field)).toEqual(['body.reason']);
    const unknownNeed = await post(referralsUrl(), 'practitioner', { ...good, needs: ['no-such-need'] });
    expect(unknownNeed.statusCode).toBe(400);
    expect(unknownNeed.json().errors[0].field).toBe('body.needs.0');
    const noConsent = await post(referralsUrl(), 'practitioner', { ...good, shareConsent: false });
    expect(noConsent.statusCode).toBe(422);
    expect(noConsent.json().errors[0].field).toBe('shareConsent');
    const notTaking = await post(referralsUrl(), 'practitioner', { ...good, resourceId: resources.full });
    expect(notTaking.statusCode).toBe(422);
    expect(notTaking.json().errors[0].field).toBe('kind');
    const notTheirs = await post(referralsUrl(), 'practitioner', { ...good, outcomeId: crypto.randomUUID() });
    expect(notTheirs.statusCode).toBe(422);
    expect(notTheirs.json().errors[0].field).toBe('outcomeId');
    expect(await count('community_referral')).toBe(before);
    expect((await audits('make-community-referral', 'denied')).length).toBeGreaterThanOrEqual(2);
  });

  it('a practitioner refers the person from their outcome, audited', async () => {
    const made = await post(referralsUrl(), 'practitioner', {
      resourceId: resources.walk,
      kind: 'referral',
      outcomeId,
      needs: ['loneliness-isolation', 'physical-activity'],
      reason: 'Would like to meet people and get out more',
      shareConsent: true,
    });
    expect(made.statusCode, made.body).toBe(201);
    referralId = made.json().referralId;
    const list = (await get(referralsUrl(), 'practitioner')).json();
    expect(list[0]).toMatchObject({
      referralId,
      kind: 'referral',
      madeBy: 'practitioner',
      status: 'sent',
      outcome: { outcomeId },
      resource: {
        resourceId: resources.walk,
        name: 'Riverside Park Health Walk',
        organisationName: 'Riverside Good Neighbours',
      },
      actions: ['withdraw'],
      version: 1,
    });
    expect((await audits('make-community-referral', 'success')).map((a) => a.resource_id)).toContain(
      referralId,
    );
  });

  it('a signpost goes to a resource not taking referrals, and never reaches the organisation', async () => {
    const made = await post(referralsUrl(), 'practitioner', {
      resourceId: resources.full,
      kind: 'signpost',
      needs: ['food'],
      reason: '',
      shareConsent: false,
    });
    expect(made.statusCode, made.body).toBe(201);
    signpostId = made.json().referralId;
    const list = (await get(referralsUrl(), 'person')).json();
    expect(list.find((r: { referralId: string }) => r.referralId === signpostId)).toMatchObject({
      status: 'signposted',
      shareConsent: false,
      actions: ['record-attendance'],
    });
  });

  it('the person says whether they went to a signposted resource; someone outside the record cannot', async () => {
    const pageUrl = `/people/${personId}/community-referrals/${signpostId}/attendance`;
    const blank = await submitForm(t.app, { session: session.person, pageUrl, action: pageUrl, fields: {} });
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain('href="#attendedOn-day"');
    expect(blank.body).toContain('href="#outcome"');
    expect(duplicateIds(blank.body)).toEqual([]);
    const [year, month, day] = todayIso().split('-');
    const saved = await submitForm(t.app, {
      session: session.person,
      pageUrl,
      action: pageUrl,
      fields: {
        'attendedOn[day]': String(Number(day)),
        'attendedOn[month]': String(Number(month)),
        'attendedOn[year]': year ?? '',
        outcome: 'attended',
        note: 'Lovely soup',
      },
    });
    expect(saved.statusCode, saved.body).toBe(303);
    expect(saved.headers.location).toBe(`/my/community-support#referral-${signpostId}`);
    // Someone outside the record (here a commissioner) is refused as if there were no such person.
    const outsider = await post(`${referralsUrl()}/${signpostId}/attendance`, 'commissioner', {
      attendedOn: todayIso(),
      outcome: 'attended',
    });
    expect(outsider.statusCode).toBe(404);
  });

  it('the person refers themselves where the resource allows it, and not where it does not', async () => {
    const professional = await post(referralsUrl(), 'person', {
      resourceId: resources.professionalOnly,
      kind: 'referral',
      needs: [],
      reason: '',
      shareConsent: true,
    });
    expect(professional.statusCode).toBe(422);
    expect(professional.json().errors[0].field).toBe('resourceId');
    const form = await submitForm(t.app, {
      session: session.person,
      pageUrl: `/people/${personId}/community-referrals/new?resourceId=${resources.otherOrg}&kind=referral`,
      action: `/people/${personId}/community-referrals/new`,
      fields: {
        resourceId: resources.otherOrg,
        kind: 'referral',
        outcomeId,
        needs: 'loneliness-isolation',
        reason: '',
      },
    });
    // No consent ticked: the error lands on the box.
    expect(form.statusCode).toBe(400);
    expect(form.body).toContain('href="#shareConsent"');
    expect(duplicateIds(form.body)).toEqual([]);
    const saved = await submitForm(t.app, {
      session: session.person,
      pageUrl: `/people/${personId}/community-referrals/new?resourceId=${resources.otherOrg}&kind=referral`,
      action: `/people/${personId}/community-referrals/new`,
      fields: {
        resourceId: resources.otherOrg,
        kind: 'referral',
        outcomeId,
        needs: ['loneliness-isolation', 'mental-wellbeing'],
        reason: 'I would like some company',
        shareConsent: 'yes',
      },
    });
    expect(saved.statusCode, saved.body).toBe(303);
    selfReferralId = /made=([0-9a-f-]{36})/.exec(saved.headers.location as string)?.[1] ?? '';
    expect(selfReferralId).not.toBe('');
    const mine = await get(`/my/community-support?made=${selfReferralId}`, 'person');
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain('Community Links Coffee Morning');
    expect(mine.body).toContain('you (a self-referral)');
  });

  it('is refused, audited, for a person outside the caller’s scope', async () => {
    const outsider = crypto.randomUUID();
    await t.database.db
      .insertInto('person')
      .values({ person_id: outsider, given_name: 'Zebedee', family_name: 'Quorn', sex: 'male' })
      .execute();
    const refused = await post(`/api/people/${outsider}/community-referrals`, 'practitioner', {
      resourceId: resources.walk,
      kind: 'signpost',
      needs: [],
      reason: '',
      shareConsent: false,
    });
    expect(refused.statusCode).toBe(404);
    const denied = await t.database.db
      .selectFrom('audit_event')
      .select('action')
      .where('person_id', '=', outsider)
      .where('outcome', '=', 'denied')
      .execute();
    expect(denied.map((d) => d.action)).toContain('make-community-referral');
  });
});

describe('the organisation’s side', () => {
  it('lists only referrals to its own resources, with only what a referral passes, audited', async () => {
    const margaret = await get('/api/community/referrals', 'margaret');
    expect(margaret.statusCode, margaret.body).toBe(200);
    const ids = margaret.json().map((r: { referralId: string }) => r.referralId);
    expect(ids).toContain(referralId);
    expect(ids).not.toContain(selfReferralId);
    // The signpost never reaches the organisation.
    expect(margaret.json().every((r: { kind: string }) => r.kind === 'referral')).toBe(true);
    const one = margaret.json().find((r: { referralId: string }) => r.referralId === referralId);
    expect(Object.keys(one.person).sort()).toEqual(['dateOfBirth', 'email', 'name', 'phone']);
    expect(one).not.toHaveProperty('outcomes');
    expect(one.outcome.outcomeId).toBe(outcomeId);
    const tom = (await get('/api/community/referrals', 'tom')).json();
    expect(tom.map((r: { referralId: string }) => r.referralId)).toEqual([selfReferralId]);
    const listed = await t.database.db
      .selectFrom('audit_event')
      .select('listed_person_ids')
      .where('action', '=', 'list-received-referrals')
      .execute();
    expect(listed.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses another organisation’s referral with 404, audited; a person and an administrator get 403', async () => {
    const tom = await get(`/api/community/referrals/${personId}/${referralId}`, 'tom');
    expect(tom.statusCode).toBe(404);
    expect((await audits('read-received-referral', 'denied')).map((a) => a.resource_id)).toContain(
      referralId,
    );
    expect((await get('/api/community/referrals', 'person')).statusCode).toBe(403);
    expect((await get('/api/community/referrals', 'admin')).statusCode).toBe(403);
    const tomAnswers = await post(`${referralsUrl()}/${referralId}/responses`, 'tom', {
      response: 'accept',
      version: 1,
    });
    expect(tomAnswers.statusCode).toBe(404);
  });

  it('reads one referral, audited as a read of the person’s data', async () => {
    const one = await get(`/api/community/referrals/${personId}/${referralId}`, 'margaret');
    expect(one.statusCode).toBe(200);
    expect(one.json().actions).toEqual(['accept', 'decline']);
    const reads = await audits('read-received-referral', 'success');
    expect(reads).toContainEqual(expect.objectContaining({ resource_id: referralId, person_id: personId }));
  });

  it('declining needs a reason; accepting from a stale version is refused with 409', async () => {
    const url = `${referralsUrl()}/${referralId}/responses`;
    const noReason = await post(url, 'margaret', { response: 'decline', version: 1 });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().errors[0].field).toBe('declineReason');
    const accepted = await post(url, 'margaret', {
      response: 'accept',
      note: 'First walk Tuesday 10am',
      version: 1,
    });
    expect(accepted.statusCode, accepted.body).toBe(204);
    const stale = await post(url, 'margaret', {
      response: 'decline',
      declineReason: 'no-capacity',
      version: 1,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().errors[0].field).toBe('version');
    const again = await post(url, 'margaret', {
      response: 'decline',
      declineReason: 'no-capacity',
      version: 2,
    });
    expect(again.statusCode).toBe(409);
    expect((await audits('accept-community-referral', 'success')).map((a) => a.resource_id)).toContain(
      referralId,
    );
  });

  it('records attendance once a day, not in the future, audited', async () => {
    const url = `${referralsUrl()}/${referralId}/attendance`;
    const before = await count('community_attendance');
    const today = todayIso();
    const future = await post(url, 'margaret', { attendedOn: '2999-01-01', outcome: 'attended' });
    expect(future.statusCode).toBe(422);
    expect(future.json().errors[0].field).toBe('attendedOn');
    const badDate = await post(url, 'margaret', { attendedOn: '2026-02-31', outcome: 'attended' });
    expect(badDate.statusCode).toBe(400);
    const recorded = await post(url, 'margaret', {
      attendedOn: today,
      outcome: 'attended',
      note: 'Walked all the way',
    });
    expect(recorded.statusCode, recorded.body).toBe(201);
    const twice = await post(url, 'margaret', { attendedOn: today, outcome: 'did-not-attend' });
    expect(twice.statusCode).toBe(409);
    expect(await count('community_attendance')).toBe(before + 1);
    expect((await audits('record-community-attendance', 'success')).map((a) => a.resource_id)).toContain(
      referralId,
    );
  });

  it('the organisation’s pages list the referral and show only the answers open to it', async () => {
    const list = await get('/community/referrals', 'margaret');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`/community/referrals/${personId}/${referralId}`);
    const detail = await get(`/community/referrals/${personId}/${referralId}`, 'margaret');
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain('Record attendance');
    expect(detail.body).not.toContain('Can you take this referral?');
    expect(duplicateIds(detail.body)).toEqual([]);
    const missingOutcome = await submitForm(t.app, {
      session: session.margaret,
      pageUrl: `/community/referrals/${personId}/${referralId}`,
      action: `/community/referrals/${personId}/${referralId}/attendance`,
      fields: { 'attendedOn[day]': '1', 'attendedOn[month]': '1', 'attendedOn[year]': '2020' },
    });
    expect(missingOutcome.statusCode).toBe(400);
    expect(missingOutcome.body).toContain('href="#outcome"');
  });
});

describe('the record shows it', () => {
  it('on the timeline, the plan and beside the care team', async () => {
    const record = (await get(`/api/people/${personId}`, 'practitioner')).json();
    const kinds = record.timeline.flatMap((m: { events: { kind: string; title: string }[] }) => m.events);
    expect(kinds).toContainEqual(
      expect.objectContaining({
        kind: 'community-attendance',
        title: 'Attended: Riverside Park Health Walk',
      }),
    );
    expect(kinds).toContainEqual(
      expect.objectContaining({
        kind: 'community-referral-answer',
        title: 'Referral to Riverside Park Health Walk: accepted',
      }),
    );
    const plan = await get(`/people/${personId}/plan`, 'practitioner');
    expect(plan.body).toContain('id="community-support"');
    expect(plan.body).toContain(`id="referral-${referralId}"`);
    expect(plan.body).toContain('Came to 1 of 1 session recorded');
    const summary = await get(`/people/${personId}`, 'practitioner');
    expect(summary.body).toContain('Riverside Good Neighbours');
    const careTeam = await get('/my/care-team', 'person');
    expect(careTeam.body).toContain('Riverside Park Health Walk (Walking group)');
  });

  it('either side may end the support; the person withdraws a referral still waiting', async () => {
    const withdrawn = await post(`${referralsUrl()}/${selfReferralId}/withdrawal`, 'person', { version: 1 });
    expect(withdrawn.statusCode, withdrawn.body).toBe(204);
    const ended = await post(`${referralsUrl()}/${referralId}/end`, 'margaret', {
      note: 'Joined the group',
      version: 2,
    });
    expect(ended.statusCode, ended.body).toBe(204);
    const list = (await get(referralsUrl(), 'person')).json();
    expect(list.find((r: { referralId: string }) => r.referralId === referralId)).toMatchObject({
      status: 'ended',
      actions: [],
    });
    expect(list.find((r: { referralId: string }) => r.referralId === selfReferralId)).toMatchObject({
      status: 'withdrawn',
    });
  });
});
