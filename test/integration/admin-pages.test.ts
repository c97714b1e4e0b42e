import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/demo-data-service.js';
import type { Actor } from '../../src/domain/actor.js';
import { type FormFields, submitForm } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await createTestApp({ demoPeople: 3 });
  admin = await signIn(t.app, 'admin@demo');
});
afterAll(() => t?.close());

/** Posts a form as `session`, with the CSRF token and cookie of the page it is on. */
const post = (pageUrl: string, action: string, fields: FormFields, session = admin) =>
  submitForm(t.app, { session, pageUrl, action, fields });
const get = (url: string, session = admin) => t.app.inject({ url, headers: { cookie: session } });

/** The audit rows of an action, newest last. */
const audited = (action: string) =>
  t.database.db
    .selectFrom('audit_event')
    .select(['action', 'actor_user_id', 'outcome', 'resource_id', 'purpose'])
    .where('action', '=', action)
    .orderBy('audit_id')
    .execute();

const actorOf = async (username: string): Promise<Actor> =>
  (await t.services.auth.signIn(username, DEMO_PASSWORD, { ip: null, userAgent: null })).actor;

const userIdOf = async (username: string) =>
  (
    await t.database.db
      .selectFrom('user_account')
      .select('user_id')
      .where('username', '=', username)
      .executeTakeFirstOrThrow()
  ).user_id;

/** The id attribute of each field the error summary links to. */
const summaryLinks = (html: string) =>
  [...html.matchAll(/nhsuk-error-summary[\s\S]*?<\/div>\s*<\/div>/g)]
    .flatMap((m) => [...m[0].matchAll(/href="#([^"]+)"/g)].map((l) => l[1]))
    .sort();

const linkOn = (html: string) => {
  const link = /https?:\/\/[^/<\s]+(\/reset-password\/[A-Za-z0-9_-]+)/.exec(html)?.[1];
  expect(link, 'a one-time link on the page').toBeTruthy();
  return link as string;
};

describe('administration: who may use it', () => {
  it('refuses every other role, at the route and in the services, and audits the refusals', async () => {
    for (const username of ['practitioner@demo', 'manager@demo', 'person@demo', 'carer@demo']) {
      const cookie = await signIn(t.app, username);
      for (const url of ['/admin', '/admin/users', '/admin/organisations', '/admin/users/new']) {
        expect((await get(url, cookie)).statusCode, `${username} ${url}`).toBe(403);
      }
    }
    const refusedPages = (await audited('open-admin-page')).filter((r) => r.outcome === 'denied');
    expect(refusedPages.length).toBeGreaterThanOrEqual(16);

    const practitioner = await actorOf('practitioner@demo');
    await expect(t.services.users.list(practitioner)).rejects.toMatchObject({ status: 403 });
    await expect(
      t.services.directoryAdmin.addOrganisation(practitioner, {
        name: 'X',
        kind: 'gp-practice',
        odsCode: null,
      }),
    ).rejects.toMatchObject({ status: 403 });
    await expect(t.services.frameworks.retire(practitioner, 'carers')).rejects.toMatchObject({ status: 403 });
    for (const action of ['list-users', 'organisation-add', 'retire-framework']) {
      expect((await audited(action)).at(-1)).toMatchObject({
        outcome: 'denied',
        actor_user_id: practitioner.userId,
      });
    }
  });

  it('lets an admin open the administration home', async () => {
    const home = await get('/admin');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('href="/admin/users"');
    expect(home.body).toContain('href="/admin/organisations"');
  });
});

describe('administration: organisations and teams', () => {
  it('adds an organisation, naming each field at fault, and refuses an ODS code already used', async () => {
    const bad = await post('/admin/organisations/new', '/admin/organisations/new', {
      name: '',
      kind: 'spaceship',
      odsCode: 'no!',
    });
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad.body)).toEqual(['kind', 'name', 'odsCode']);
    expect(bad.body).toContain('Choose the kind of organisation');
    expect(bad.body).toContain('id="kind"');

    const ok = await post('/admin/organisations/new', '/admin/organisations/new', {
      name: 'Hillside Surgery',
      kind: 'gp-practice',
      odsCode: 'y09999',
    });
    expect(ok.statusCode).toBe(303);
    const list = await get(String(ok.headers.location));
    expect(list.body).toContain('Added Hillside Surgery.');
    expect(list.body).toContain('ODS code Y09999');
    const added = await audited('organisation-add');
    expect(added.at(-1)).toMatchObject({
      outcome: 'success',
      actor_user_id: (await actorOf('admin@demo')).userId,
    });

    const taken = await post('/admin/organisations/new', '/admin/organisations/new', {
      name: 'Hillside Again',
      kind: 'gp-practice',
      odsCode: 'Y09999',
    });
    expect(taken.statusCode).toBe(400);
    expect(summaryLinks(taken.body)).toEqual(['odsCode']);

    // A banner cannot be made from the address: only an organisation that exists is named.
    const forged = await get(`/admin/organisations?added=${encodeURIComponent('Call 0800 000 000')}`);
    expect(forged.body).not.toContain('0800 000 000');
    expect(forged.body).not.toContain('nhsuk-notification-banner--success');
  });

  it('changes an organisation, adds a team, renames it, and refuses a name used twice', async () => {
    const organisationId = (
      await t.database.db
        .selectFrom('organisation')
        .select('organisation_id')
        .where('name', '=', 'Hillside Surgery')
        .executeTakeFirstOrThrow()
    ).organisation_id;
    const editUrl = `/admin/organisations/${organisationId}/edit`;
    expect((await get(editUrl)).body).toContain('value="Hillside Surgery"');
    const edited = await post(editUrl, editUrl, {
      name: 'Hillside Medical Practice',
      kind: 'gp-practice',
      odsCode: '',
    });
    expect(edited.statusCode).toBe(303);
    expect((await get(String(edited.headers.location))).body).toContain(
      'Saved the changes to Hillside Medical Practice.',
    );

    const teamUrl = `/admin/organisations/${organisationId}/teams/new`;
    const noName = await post(teamUrl, teamUrl, { name: '  ' });
    expect(noName.statusCode).toBe(400);
    expect(summaryLinks(noName.body)).toEqual(['name']);
    const team = await post(teamUrl, teamUrl, { name: 'Care coordination' });
    expect(team.statusCode).toBe(303);
    expect((await get(String(team.headers.location))).body).toContain(
      'Saved the team Care coordination of Hillside Medical Practice.',
    );
    await post(teamUrl, teamUrl, { name: 'Social prescribing' });
    const twice = await post(teamUrl, teamUrl, { name: 'care coordination' });
    expect(twice.statusCode).toBe(400);
    expect(twice.body).toContain('already has a team called');

    const teamId = (
      await t.database.db
        .selectFrom('team')
        .select('team_id')
        .where('name', '=', 'Care coordination')
        .executeTakeFirstOrThrow()
    ).team_id;
    const renameUrl = `/admin/organisations/${organisationId}/teams/${teamId}/edit`;
    const renamed = await post(renameUrl, renameUrl, { name: 'Care navigation' });
    expect(renamed.statusCode).toBe(303);
    const directory = await get('/organisations');
    expect(directory.body).toContain('Care navigation');
    expect(directory.body).toContain('Hillside Medical Practice');
    for (const action of ['organisation-edit', 'team-add', 'team-rename']) {
      expect((await audited(action)).at(-1)).toMatchObject({ outcome: 'success' });
    }
    // A team that is not the organisation's is not found.
    const otherTeam = await t.database.db
      .selectFrom('team')
      .select('team_id')
      .where('organisation_id', '!=', organisationId)
      .executeTakeFirstOrThrow();
    expect(
      (await get(`/admin/organisations/${organisationId}/teams/${otherTeam.team_id}/edit`)).statusCode,
    ).toBe(404);
  });
});

describe('administration: user accounts', () => {
  let organisationId: string;
  let teamId: string;
  beforeAll(async () => {
    const team = await t.database.db
      .selectFrom('team')
      .select(['team_id', 'organisation_id'])
      .orderBy('name')
      .executeTakeFirstOrThrow();
    organisationId = team.organisation_id;
    teamId = team.team_id;
  });

  const addUser = (fields: FormFields) => post('/admin/users/new', '/admin/users/new', fields);

  it('adds an account with a one-time link to set its password, naming each field at fault', async () => {
    const bad = await addUser({
      name: '',
      username: 'x',
      role: 'practitioner',
      organisationId: '',
      teamId: '',
    });
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad.body)).toEqual(['username']);
    const noOrganisation = await addUser({
      name: 'Rowan Hale',
      username: 'rowan.hale@example.nhs.uk',
      role: 'practitioner',
      organisationId: '',
      teamId: '',
    });
    expect(noOrganisation.statusCode).toBe(400);
    expect(summaryLinks(noOrganisation.body)).toEqual(['organisationId']);
    expect(noOrganisation.body).toContain('A practitioner must belong to an organisation');
    const person = await addUser({ name: 'P', username: 'p@example.org', role: 'person' });
    expect(summaryLinks(person.body)).toEqual(['role']);
    expect(person.body).toContain('id="role"');

    const added = await addUser({
      name: 'Rowan Hale',
      username: 'Rowan.Hale@example.nhs.uk',
      jobTitle: 'Social worker',
      role: 'practitioner',
      organisationId,
      teamId,
    });
    expect(added.statusCode).toBe(200);
    expect(added.body).toContain('Shown only once');
    const link = linkOn(added.body);
    expect((await audited('user-add')).at(-1)).toMatchObject({ outcome: 'success', purpose: 'practitioner' });

    // Nobody knows its password until the link is used.
    const before = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'rowan.hale@example.nhs.uk', password: 'orchard lantern pebble' },
    });
    expect(before.statusCode).toBe(401);
    const setPage = await t.app.inject({ url: link });
    expect(setPage.statusCode).toBe(200);
    expect(setPage.body).toContain('rowan.hale@example.nhs.uk');
    const weak = await submitForm(t.app, {
      pageUrl: link,
      action: link,
      fields: { newPassword: 'password1', confirmPassword: 'password1' },
    });
    expect(weak.statusCode).toBe(400);
    expect(summaryLinks(weak.body)).toEqual(['newPassword']);
    const set = await submitForm(t.app, {
      pageUrl: link,
      action: link,
      fields: { newPassword: 'orchard lantern pebble', confirmPassword: 'orchard lantern pebble' },
    });
    expect(set.statusCode).toBe(200);
    expect(set.body).toContain('Your new password is set');
    await signIn(t.app, 'rowan.hale@example.nhs.uk', 'orchard lantern pebble');

    const duplicate = await addUser({ name: 'Rowan', username: 'rowan.hale@example.nhs.uk', role: 'carer' });
    expect(duplicate.statusCode).toBe(400);
    expect(summaryLinks(duplicate.body)).toEqual(['username']);
  });

  it('finds accounts by part of a name or username, and by status', async () => {
    const found = await get('/admin/users?search=rowan');
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain('Rowan Hale');
    expect(found.body).not.toContain('admin@demo');
    expect((await get('/admin/users?search=ROWAN.HALE@')).body).toContain('Rowan Hale');
    expect((await get('/admin/users?status=disabled')).body).not.toContain('Rowan Hale');
    expect((await get('/admin/users?status=active')).body).toContain('Rowan Hale');
    // A status that is not one is ignored, not an error.
    expect((await get('/admin/users?status=nonsense')).statusCode).toBe(200);
  });

  it('unlocks an account locked by wrong passwords, so it can sign in at once', async () => {
    const userId = await userIdOf('rowan.hale@example.nhs.uk');
    for (let i = 0; i < 5; i++) {
      await t.app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { username: 'rowan.hale@example.nhs.uk', password: 'not the password' },
      });
    }
    await expect(signIn(t.app, 'rowan.hale@example.nhs.uk', 'orchard lantern pebble')).rejects.toThrow();
    expect((await get('/admin/users?status=locked')).body).toContain('Rowan Hale');
    const page = await get(`/admin/users/${userId}`);
    expect(page.body).toContain('Locked');
    // A forged banner is not shown while the account is still locked.
    expect((await get(`/admin/users/${userId}?done=unlocked`)).body).not.toContain(
      'nhsuk-notification-banner--success',
    );

    const unlocked = await post(`/admin/users/${userId}`, `/admin/users/${userId}/unlock`, {});
    expect(unlocked.statusCode).toBe(303);
    expect((await get(String(unlocked.headers.location))).body).toContain('The account is unlocked');
    await signIn(t.app, 'rowan.hale@example.nhs.uk', 'orchard lantern pebble');
    expect((await audited('user-unlock')).at(-1)).toMatchObject({ outcome: 'success', resource_id: userId });
  });

  it('resets a password with a link that works once, ends the other sessions and clears a lock', async () => {
    const userId = await userIdOf('rowan.hale@example.nhs.uk');
    const session = await signIn(t.app, 'rowan.hale@example.nhs.uk', 'orchard lantern pebble');
    expect((await get('/account', session)).statusCode).toBe(200);
    const made = await post(`/admin/users/${userId}`, `/admin/users/${userId}/password-reset`, {});
    expect(made.statusCode).toBe(200);
    expect(made.headers['cache-control']).toBe('no-store');
    const link = linkOn(made.body);
    // Only the hash of the link's secret is kept.
    const token = link.split('/').at(-1) as string;
    const stored = await t.database.db.selectFrom('password_reset').select('token_hash').execute();
    expect(stored.map((r) => r.token_hash)).not.toContain(token);

    // Locked by wrong passwords: the link clears the lock.
    for (let i = 0; i < 5; i++) {
      await t.app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { username: 'rowan.hale@example.nhs.uk', password: 'not the password' },
      });
    }
    const mismatch = await submitForm(t.app, {
      pageUrl: link,
      action: link,
      fields: { newPassword: 'river stone meadow', confirmPassword: 'river stone meadows' },
    });
    expect(summaryLinks(mismatch.body)).toEqual(['confirmPassword']);
    const set = await submitForm(t.app, {
      pageUrl: link,
      action: link,
      fields: { newPassword: 'river stone meadow', confirmPassword: 'river stone meadow' },
    });
    expect(set.statusCode).toBe(200);
    expect((await get('/account', session)).statusCode).toBe(303);
    await signIn(t.app, 'rowan.hale@example.nhs.uk', 'river stone meadow');
    expect((await audited('user-password-reset')).at(-1)).toMatchObject({
      outcome: 'success',
      resource_id: userId,
    });

    // Once only.
    const again = await t.app.inject({ url: link });
    expect(again.statusCode).toBe(404);
    expect(again.body).toContain('has expired or has already been used');
    const reuse = await submitForm(t.app, {
      pageUrl: '/sign-in',
      action: link,
      fields: { newPassword: 'another good phrase', confirmPassword: 'another good phrase' },
    });
    expect(reuse.statusCode).toBe(404);
    await expect(signIn(t.app, 'rowan.hale@example.nhs.uk', 'another good phrase')).rejects.toThrow();
  });

  it('a reset link expires', async () => {
    const userId = await userIdOf('rowan.hale@example.nhs.uk');
    const made = await post(`/admin/users/${userId}`, `/admin/users/${userId}/password-reset`, {});
    const link = linkOn(made.body);
    expect((await t.app.inject({ url: link })).statusCode).toBe(200);
    await t.database.db
      .updateTable('password_reset')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', userId)
      .execute();
    expect((await t.app.inject({ url: link })).statusCode).toBe(404);
    // A made-up link is no different.
    expect((await t.app.inject({ url: '/reset-password/made-up' })).statusCode).toBe(404);
  });

  it('changes the name and job title', async () => {
    const userId = await userIdOf('rowan.hale@example.nhs.uk');
    const url = `/admin/users/${userId}/edit`;
    const bad = await post(url, url, { name: '', jobTitle: '' });
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad.body)).toEqual(['name']);
    const ok = await post(url, url, { name: 'Rowan Hale-Price', jobTitle: 'Senior social worker' });
    expect(ok.statusCode).toBe(303);
    const page = await get(String(ok.headers.location));
    expect(page.body).toContain('Rowan Hale-Price');
    expect(page.body).toContain('Senior social worker');
    expect((await audited('user-edit')).at(-1)).toMatchObject({ outcome: 'success', resource_id: userId });
  });

  it('gives and takes away roles, under the rules of adding an account, with a confirmation', async () => {
    const userId = await userIdOf('rowan.hale@example.nhs.uk');
    const url = `/admin/users/${userId}/roles/new`;
    const noTeam = await post(url, url, { role: 'team-manager', organisationId, teamId: '' });
    expect(noTeam.statusCode).toBe(400);
    expect(summaryLinks(noTeam.body)).toEqual(['teamId']);
    const same = await post(url, url, { role: 'practitioner', organisationId, teamId });
    expect(same.statusCode).toBe(400);
    expect(same.body).toContain('already has this role');
    const ok = await post(url, url, { role: 'team-manager', organisationId, teamId });
    expect(ok.statusCode).toBe(303);
    const session = await signIn(t.app, 'rowan.hale@example.nhs.uk', 'river stone meadow');
    expect((await get('/break-glass/report', session)).statusCode).toBe(200);

    const role = await t.database.db
      .selectFrom('user_role')
      .select('user_role_id')
      .where('user_id', '=', userId)
      .where('role', '=', 'team-manager')
      .executeTakeFirstOrThrow();
    const removeUrl = `/admin/users/${userId}/roles/${role.user_role_id}/remove`;
    const confirm = await get(removeUrl);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Remove the role');
    const removed = await post(removeUrl, removeUrl, {});
    expect(removed.statusCode).toBe(303);
    expect((await get('/break-glass/report', session)).statusCode).toBe(403);
    expect((await audited('user-role-add')).at(-1)).toMatchObject({
      outcome: 'success',
      purpose: 'team-manager',
    });
    expect((await audited('user-role-remove')).at(-1)).toMatchObject({
      outcome: 'success',
      purpose: 'team-manager',
    });

    // An administrator cannot take away their own administrator role.
    const adminId = await userIdOf('admin@demo');
    const own = await t.database.db
      .selectFrom('user_role')
      .select('user_role_id')
      .where('user_id', '=', adminId)
      .executeTakeFirstOrThrow();
    const ownUrl = `/admin/users/${adminId}/roles/${own.user_role_id}/remove`;
    expect((await get(ownUrl)).body).toContain('another administrator must do it');
    expect((await post(ownUrl, ownUrl.replace('/remove', '/remove'), {})).statusCode).not.toBe(303);
  });

  it('disables an account after a confirmation, ending its sessions, and enables it again', async () => {
    const userId = await userIdOf('rowan.hale@example.nhs.uk');
    const session = await signIn(t.app, 'rowan.hale@example.nhs.uk', 'river stone meadow');
    const confirm = await get(`/admin/users/${userId}/disable`);
    expect(confirm.body).toContain('will be signed out everywhere');
    const disabled = await post(`/admin/users/${userId}/disable`, `/admin/users/${userId}/disable`, {});
    expect(disabled.statusCode).toBe(303);
    expect((await get(String(disabled.headers.location))).body).toContain('The account is disabled');
    expect((await get('/account', session)).statusCode).toBe(303);
    await expect(signIn(t.app, 'rowan.hale@example.nhs.uk', 'river stone meadow')).rejects.toThrow();
    expect((await get('/admin/users?status=disabled')).body).toContain('Rowan Hale-Price');

    const enabled = await post(`/admin/users/${userId}`, `/admin/users/${userId}/enable`, {});
    expect(enabled.statusCode).toBe(303);
    await signIn(t.app, 'rowan.hale@example.nhs.uk', 'river stone meadow');
    expect((await audited('user-disable')).at(-1)).toMatchObject({ outcome: 'success', resource_id: userId });
    expect((await audited('user-enable')).at(-1)).toMatchObject({ outcome: 'success', resource_id: userId });

    // Nobody disables their own account.
    const adminId = await userIdOf('admin@demo');
    expect((await get(`/admin/users/${adminId}/disable`)).body).toContain(
      'You cannot disable your own account',
    );
  });
});

describe('administration: outcomes frameworks', () => {
  const idOf = async (key: string) => {
    const all = await t.services.frameworks.list();
    return all.find((f) => f.key === key)?.frameworkId as string;
  };

  it('retires a framework after a confirmation, but never the default, and offers it again', async () => {
    const carers = await idOf('carers');
    const tp = await idOf('talking-points');
    expect((await get(`/frameworks/${tp}/retire`)).body).toContain('Make another framework the default');
    const refused = await post(`/frameworks/${carers}/retire`, `/frameworks/${tp}/retire`, {});
    expect(refused.statusCode).toBe(409);

    const confirm = await get(`/frameworks/${carers}/retire`);
    expect(confirm.body).toContain('Outcomes already coded with it keep it');
    const retired = await post(`/frameworks/${carers}/retire`, `/frameworks/${carers}/retire`, {});
    expect(retired.statusCode).toBe(303);
    const page = await get(String(retired.headers.location));
    expect(page.body).toContain('is retired: it is no longer offered for new outcomes');
    expect(page.body).toContain('Retired');
    await expect(t.services.frameworks.current('carers')).rejects.toMatchObject({ status: 409 });
    expect((await t.services.frameworks.offered()).map((f) => f.key)).toEqual(['talking-points']);
    const api = (await get('/api/frameworks')).json();
    expect(api.find((f: { key: string }) => f.key === 'carers').retired).toBe(true);

    const back = await post('/frameworks', `/frameworks/${carers}/reinstate`, {});
    expect(back.statusCode).toBe(303);
    expect((await get(String(back.headers.location))).body).toContain('is offered for new outcomes again');
    expect((await t.services.frameworks.current('carers')).key).toBe('carers');
    // A banner the state does not bear out is not shown.
    expect((await get(`/frameworks?retired=${carers}`)).body).not.toContain(
      'nhsuk-notification-banner--success',
    );
    for (const action of ['retire-framework', 'reinstate-framework']) {
      expect((await audited(action)).at(-1)).toMatchObject({ outcome: 'success' });
    }
  });

  it('chooses the default framework: new outcomes are coded with it', async () => {
    const carers = await idOf('carers');
    const made = await post('/frameworks', `/frameworks/${carers}/default`, {});
    expect(made.statusCode).toBe(303);
    expect((await get(String(made.headers.location))).body).toContain('is now the default');
    expect((await t.services.frameworks.current()).key).toBe('carers');
    const defaults = await t.database.db
      .selectFrom('outcome_framework')
      .select('key')
      .where('is_default', '=', true)
      .execute();
    expect(defaults).toEqual([{ key: 'carers' }]);
    // Starting again leaves the administrator's choice alone.
    await t.services.frameworks.ensureDefaults();
    expect((await t.services.frameworks.current()).key).toBe('carers');
    const tp = await idOf('talking-points');
    await post('/frameworks', `/frameworks/${tp}/default`, {});
    expect((await t.services.frameworks.current()).key).toBe('talking-points');
    expect((await audited('set-default-framework')).at(-1)).toMatchObject({ outcome: 'success' });
  });
});
