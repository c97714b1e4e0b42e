import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../domain/actor.js';
import { ROLE_LABELS } from '../../domain/roles.js';
import { requireActor } from '../../http/request-actor.js';
import { notFound } from '../../services/errors.js';
import type { Services } from '../../services/index.js';
import { type FieldError, FormBodySchema, renderWithErrors, text } from '../../web/forms.js';
import {
  ACCOUNT_STATUS_LABELS,
  ACCOUNT_STATUSES,
  type Account,
  type AccountStatus,
  ASSIGNABLE_ROLES,
  ORGANISATION_ROLES,
} from '../auth/user-accounts.js';
import { ADMIN_ONLY } from './access.js';
import { accountFrom, adminFormErrors } from './form.js';

const UserParams = Type.Object({ userId: Type.String({ format: 'uuid' }) });
const RoleParams = Type.Object({
  userId: Type.String({ format: 'uuid' }),
  userRoleId: Type.String({ format: 'uuid' }),
});

/**
 * What the account page's banner says after each change. The address names only which change; the
 * words are these, and each is shown only when the account's state agrees (an account said to be
 * unlocked is not locked), so no link can make the service say what is not so.
 */
const DONE: Record<string, { text: string; holds: (a: Account) => boolean }> = {
  added: { text: 'The account has been added.', holds: () => true },
  edited: { text: 'The name and job title have been saved.', holds: () => true },
  disabled: { text: 'The account is disabled: it cannot sign in.', holds: (a) => a.status === 'disabled' },
  enabled: { text: 'The account is enabled: it can sign in again.', holds: (a) => a.status !== 'disabled' },
  unlocked: { text: 'The account is unlocked: it can sign in now.', holds: (a) => a.status === 'active' },
  'role-added': { text: 'The role has been added.', holds: () => true },
  'role-removed': { text: 'The role has been removed.', holds: () => true },
};

/** A role's label with where it is held: "Team manager, Riverside Team (Northshire NHS Trust)". */
export function roleText(role: Account['roles'][number]): string {
  const where = role.teamName
    ? `${role.teamName} (${role.organisationName})`
    : role.organisationName
      ? role.organisationName
      : null;
  return where ? `${ROLE_LABELS[role.role]}, ${where}` : ROLE_LABELS[role.role];
}

/** Administering user accounts: find, add, change, disable, unlock, reset a password, give and take roles. */
export async function accountAdminPages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { users, directory } = opts.services;
  const page = { access: ADMIN_ONLY, page: true } as const;

  /** The choices for a role and where it is held, from the directory. */
  const roleChoices = async (actor: Actor) => {
    const organisations = await directory.listOrganisations(actor);
    return {
      roles: ASSIGNABLE_ROLES.map((r) => ({
        value: r,
        text: ROLE_LABELS[r],
        needs:
          r === 'team-manager'
            ? 'Needs an organisation and a team.'
            : ORGANISATION_ROLES.includes(r)
              ? 'Needs an organisation; a team is optional.'
              : 'An organisation and team are optional.',
      })),
      organisations: organisations.map((o) => ({ value: o.organisationId, text: o.name })),
      teams: organisations.flatMap((o) =>
        o.teams.map((t) => ({ value: t.teamId, text: `${t.name} (${o.name})` })),
      ),
    };
  };

  app.get(
    '/admin/users',
    {
      config: page,
      schema: {
        hide: true,
        querystring: Type.Object({
          search: Type.Optional(Type.String({ maxLength: 200 })),
          status: Type.Optional(Type.String({ maxLength: 20 })),
        }),
      },
    },
    async (request, reply) => {
      const search = request.query.search?.trim() ?? '';
      const status = ACCOUNT_STATUSES.find((s) => s === request.query.status);
      const { accounts, more } = await users.list(requireActor(request), { search, status });
      return reply.page('admin-users', {
        pageTitle: 'Manage user accounts',
        accounts: accounts.map((a) => ({ ...a, rolesText: a.roles.map(roleText) })),
        more,
        search,
        status: status ?? '',
        statuses: ACCOUNT_STATUSES.map((s) => ({ value: s, text: ACCOUNT_STATUS_LABELS[s] })),
        statusLabels: ACCOUNT_STATUS_LABELS,
      });
    },
  );

  const newForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string>,
    errors: FieldError[],
  ) =>
    renderWithErrors(
      reply,
      'admin-user-new',
      { pageTitle: 'Add a user account', values, ...(await roleChoices(requireActor(request))) },
      errors,
    );

  app.get('/admin/users/new', { config: page, schema: { hide: true } }, async (request, reply) =>
    newForm(request, reply, {}, []),
  );

  app.post(
    '/admin/users/new',
    { config: page, schema: { hide: true, body: FormBodySchema } },
    async (request, reply) => {
      const { values, input } = accountFrom(request.body);
      let added: Awaited<ReturnType<typeof users.addWithPasswordLink>>;
      try {
        added = await users.addWithPasswordLink(requireActor(request), input);
      } catch (error) {
        return newForm(request, reply, values, adminFormErrors(error, 'username'));
      }
      const account = await users.account(requireActor(request), added.userId);
      return reply.page('admin-user-link', {
        pageTitle: 'Account added: send the link to set a password',
        account,
        added: true,
        link: resetLink(request, added.token),
        expiresAt: added.expiresAt,
      });
    },
  );

  app.get(
    '/admin/users/:userId',
    {
      config: page,
      schema: {
        hide: true,
        params: UserParams,
        querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 40 })) }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const account = await users.account(actor, request.params.userId);
      const done = request.query.done ? DONE[request.query.done] : undefined;
      return reply.page('admin-user', {
        pageTitle: account.displayName,
        account,
        roles: account.roles.map((r) => ({ ...r, text: roleText(r) })),
        statusLabel: ACCOUNT_STATUS_LABELS[account.status],
        isSelf: account.userId === actor.userId,
        banner: done?.holds(account) ? done.text : null,
      });
    },
  );

  const editForm = (
    reply: FastifyReply,
    account: Account,
    values: Record<string, string>,
    errors: FieldError[],
  ) =>
    renderWithErrors(
      reply,
      'admin-user-edit',
      { pageTitle: `Change ${account.displayName}’s details`, account, values },
      errors,
    );

  app.get(
    '/admin/users/:userId/edit',
    { config: page, schema: { hide: true, params: UserParams } },
    async (request, reply) => {
      const account = await users.account(requireActor(request), request.params.userId);
      return editForm(reply, account, { name: account.displayName, jobTitle: account.jobTitle ?? '' }, []);
    },
  );

  app.post(
    '/admin/users/:userId/edit',
    { config: page, schema: { hide: true, params: UserParams, body: FormBodySchema } },
    async (request, reply) => {
      const actor = requireActor(request);
      const account = await users.account(actor, request.params.userId);
      const values = { name: text(request.body, 'name'), jobTitle: text(request.body, 'jobTitle') };
      try {
        await users.edit(actor, account.userId, {
          displayName: values.name,
          jobTitle: values.jobTitle || null,
        });
      } catch (error) {
        return editForm(reply, account, values, adminFormErrors(error, 'name'));
      }
      return reply.redirect(`/admin/users/${account.userId}?done=edited`, 303);
    },
  );

  app.get(
    '/admin/users/:userId/disable',
    { config: page, schema: { hide: true, params: UserParams } },
    async (request, reply) => {
      const actor = requireActor(request);
      const account = await users.account(actor, request.params.userId);
      return reply.page('admin-user-disable', {
        pageTitle: `Disable ${account.displayName}’s account`,
        account,
        isSelf: account.userId === actor.userId,
      });
    },
  );

  // One-button changes to an account: each made by the service, then the account's page says so.
  const accountActions = [
    { path: 'disable', done: 'disabled', act: (actor: Actor, id: string) => users.disableAccount(actor, id) },
    { path: 'enable', done: 'enabled', act: (actor: Actor, id: string) => users.enable(actor, id) },
    { path: 'unlock', done: 'unlocked', act: (actor: Actor, id: string) => users.unlock(actor, id) },
  ] as const;
  for (const { path, done, act } of accountActions) {
    app.post(
      `/admin/users/:userId/${path}`,
      { config: page, schema: { hide: true, params: UserParams, body: FormBodySchema } },
      async (request, reply) => {
        await act(requireActor(request), request.params.userId);
        return reply.redirect(`/admin/users/${request.params.userId}?done=${done}`, 303);
      },
    );
  }

  // The link is shown once, on the answer to this post: only its hash is kept.
  app.post(
    '/admin/users/:userId/password-reset',
    { config: page, schema: { hide: true, params: UserParams, body: FormBodySchema } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { token, expiresAt } = await users.createPasswordReset(actor, request.params.userId);
      const account = await users.account(actor, request.params.userId);
      return reply.header('cache-control', 'no-store').page('admin-user-link', {
        pageTitle: `A link for ${account.displayName} to set a new password`,
        account,
        added: false,
        link: resetLink(request, token),
        expiresAt,
      });
    },
  );

  const roleForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    account: Account,
    values: Record<string, string>,
    errors: FieldError[],
  ) =>
    renderWithErrors(
      reply,
      'admin-user-role',
      {
        pageTitle: `Give ${account.displayName} a role`,
        account,
        values,
        ...(await roleChoices(requireActor(request))),
      },
      errors,
    );

  app.get(
    '/admin/users/:userId/roles/new',
    { config: page, schema: { hide: true, params: UserParams } },
    async (request, reply) => {
      const account = await users.account(requireActor(request), request.params.userId);
      return roleForm(request, reply, account, {}, []);
    },
  );

  app.post(
    '/admin/users/:userId/roles/new',
    { config: page, schema: { hide: true, params: UserParams, body: FormBodySchema } },
    async (request, reply) => {
      const actor = requireActor(request);
      const account = await users.account(actor, request.params.userId);
      const values = {
        role: text(request.body, 'role'),
        organisationId: text(request.body, 'organisationId'),
        teamId: text(request.body, 'teamId'),
      };
      try {
        await users.addRole(actor, account.userId, {
          role: values.role,
          organisationId: values.organisationId || null,
          teamId: values.teamId || null,
        });
      } catch (error) {
        return roleForm(request, reply, account, values, adminFormErrors(error, 'role'));
      }
      return reply.redirect(`/admin/users/${account.userId}?done=role-added`, 303);
    },
  );

  const roleOf = async (actor: Actor, userId: string, userRoleId: string) => {
    const account = await users.account(actor, userId);
    const role = account.roles.find((r) => r.userRoleId === userRoleId);
    if (!role) throw notFound('That role');
    return { account, role };
  };

  app.get(
    '/admin/users/:userId/roles/:userRoleId/remove',
    { config: page, schema: { hide: true, params: RoleParams } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { account, role } = await roleOf(actor, request.params.userId, request.params.userRoleId);
      return reply.page('admin-user-role-remove', {
        pageTitle: `Remove a role from ${account.displayName}`,
        account,
        role,
        roleText: roleText(role),
        ownAdminRole: account.userId === actor.userId && role.role === 'admin',
      });
    },
  );

  app.post(
    '/admin/users/:userId/roles/:userRoleId/remove',
    { config: page, schema: { hide: true, params: RoleParams, body: FormBodySchema } },
    async (request, reply) => {
      await users.removeRole(requireActor(request), request.params.userId, request.params.userRoleId);
      return reply.redirect(`/admin/users/${request.params.userId}?done=role-removed`, 303);
    },
  );
}

/** The address of a one-time link, on the address this request came to. */
function resetLink(request: FastifyRequest, token: string): string {
  return `${request.protocol}://${request.host}/reset-password/${token}`;
}

export type { AccountStatus };
