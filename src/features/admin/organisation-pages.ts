import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Actor } from '../../domain/actor.js';
import { ORGANISATION_KIND_LABELS } from '../../domain/organisation-kinds.js';
import { requireActor } from '../../http/request-actor.js';
import { notFound } from '../../services/errors.js';
import type { Services } from '../../services/index.js';
import { type FieldError, FormBodySchema, renderWithErrors, text } from '../../web/forms.js';
import { ADMIN_ONLY } from './access.js';
import { adminFormErrors, ORGANISATION_KIND_CHOICES, organisationFrom } from './form.js';

const OrganisationParams = Type.Object({ organisationId: Type.String({ format: 'uuid' }) });
const TeamParams = Type.Object({
  organisationId: Type.String({ format: 'uuid' }),
  teamId: Type.String({ format: 'uuid' }),
});
const Id = Type.Optional(Type.String({ maxLength: 100 }));

/** Administering organisations and teams: the list, and a page to add or change each. */
export async function organisationAdminPages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { directory, directoryAdmin } = opts.services;
  const page = { access: ADMIN_ONLY, page: true } as const;
  const kinds = ORGANISATION_KIND_CHOICES.map((k) => ({ value: k, text: ORGANISATION_KIND_LABELS[k] }));

  const organisationOf = async (actor: Actor, organisationId: string) => {
    const all = await directory.listOrganisations(actor);
    const organisation = all.find((o) => o.organisationId === organisationId);
    if (!organisation) throw notFound('The organisation');
    return organisation;
  };

  app.get(
    '/admin/organisations',
    {
      config: page,
      schema: { hide: true, querystring: Type.Object({ added: Id, changed: Id, team: Id }) },
    },
    async (request, reply) => {
      const organisations = await directory.listOrganisations(requireActor(request));
      // The banner names what changed from the directory itself: the address only says which.
      const { added, changed, team } = request.query;
      const organisation = organisations.find((o) => o.organisationId === (added ?? changed));
      const teamFound = organisations
        .flatMap((o) => o.teams.map((t) => ({ ...t, organisation: o.name })))
        .find((t) => t.teamId === team);
      const banner = organisation
        ? `${added ? 'Added' : 'Saved the changes to'} ${organisation.name}.`
        : teamFound
          ? `Saved the team ${teamFound.name} of ${teamFound.organisation}.`
          : null;
      return reply.page('admin-organisations', {
        pageTitle: 'Manage organisations and teams',
        organisations,
        kindLabels: ORGANISATION_KIND_LABELS,
        banner,
      });
    },
  );

  const organisationForm = (
    reply: FastifyReply,
    context: { pageTitle: string; action: string; buttonText: string },
    values: Record<string, string>,
    errors: FieldError[],
  ) => renderWithErrors(reply, 'admin-organisation-form', { ...context, values, kinds }, errors);

  app.get('/admin/organisations/new', { config: page, schema: { hide: true } }, async (_request, reply) =>
    organisationForm(
      reply,
      {
        pageTitle: 'Add an organisation',
        action: '/admin/organisations/new',
        buttonText: 'Add organisation',
      },
      {},
      [],
    ),
  );

  app.post(
    '/admin/organisations/new',
    { config: page, schema: { hide: true, body: FormBodySchema } },
    async (request, reply) => {
      const { values, input } = organisationFrom(request.body);
      try {
        const organisationId = await directoryAdmin.addOrganisation(requireActor(request), input);
        return reply.redirect(`/admin/organisations?added=${organisationId}`, 303);
      } catch (error) {
        return organisationForm(
          reply,
          {
            pageTitle: 'Add an organisation',
            action: '/admin/organisations/new',
            buttonText: 'Add organisation',
          },
          values,
          adminFormErrors(error, 'name'),
        );
      }
    },
  );

  app.get(
    '/admin/organisations/:organisationId/edit',
    { config: page, schema: { hide: true, params: OrganisationParams } },
    async (request, reply) => {
      const organisation = await organisationOf(requireActor(request), request.params.organisationId);
      return organisationForm(
        reply,
        {
          pageTitle: `Change ${organisation.name}`,
          action: `/admin/organisations/${organisation.organisationId}/edit`,
          buttonText: 'Save changes',
        },
        { name: organisation.name, kind: organisation.kind, odsCode: organisation.odsCode ?? '' },
        [],
      );
    },
  );

  app.post(
    '/admin/organisations/:organisationId/edit',
    { config: page, schema: { hide: true, params: OrganisationParams, body: FormBodySchema } },
    async (request, reply) => {
      const organisation = await organisationOf(requireActor(request), request.params.organisationId);
      const { values, input } = organisationFrom(request.body);
      try {
        await directoryAdmin.editOrganisation(requireActor(request), organisation.organisationId, input);
        return reply.redirect(`/admin/organisations?changed=${organisation.organisationId}`, 303);
      } catch (error) {
        return organisationForm(
          reply,
          {
            pageTitle: `Change ${organisation.name}`,
            action: `/admin/organisations/${organisation.organisationId}/edit`,
            buttonText: 'Save changes',
          },
          values,
          adminFormErrors(error, 'name'),
        );
      }
    },
  );

  const teamForm = (
    reply: FastifyReply,
    context: { pageTitle: string; action: string; buttonText: string; organisationName: string },
    values: Record<string, string>,
    errors: FieldError[],
  ) => renderWithErrors(reply, 'admin-team-form', { ...context, values }, errors);

  app.get(
    '/admin/organisations/:organisationId/teams/new',
    { config: page, schema: { hide: true, params: OrganisationParams } },
    async (request, reply) => {
      const organisation = await organisationOf(requireActor(request), request.params.organisationId);
      return teamForm(
        reply,
        {
          pageTitle: `Add a team to ${organisation.name}`,
          action: `/admin/organisations/${organisation.organisationId}/teams/new`,
          buttonText: 'Add team',
          organisationName: organisation.name,
        },
        {},
        [],
      );
    },
  );

  app.post(
    '/admin/organisations/:organisationId/teams/new',
    { config: page, schema: { hide: true, params: OrganisationParams, body: FormBodySchema } },
    async (request, reply) => {
      const organisation = await organisationOf(requireActor(request), request.params.organisationId);
      const name = text(request.body, 'name');
      try {
        const teamId = await directoryAdmin.addTeam(requireActor(request), organisation.organisationId, {
          name,
        });
        return reply.redirect(`/admin/organisations?team=${teamId}`, 303);
      } catch (error) {
        return teamForm(
          reply,
          {
            pageTitle: `Add a team to ${organisation.name}`,
            action: `/admin/organisations/${organisation.organisationId}/teams/new`,
            buttonText: 'Add team',
            organisationName: organisation.name,
          },
          { name },
          adminFormErrors(error, 'name'),
        );
      }
    },
  );

  const teamOf = async (actor: Actor, organisationId: string, teamId: string) => {
    const organisation = await organisationOf(actor, organisationId);
    const team = organisation.teams.find((t) => t.teamId === teamId);
    if (!team) throw notFound('The team');
    return { organisation, team };
  };

  app.get(
    '/admin/organisations/:organisationId/teams/:teamId/edit',
    { config: page, schema: { hide: true, params: TeamParams } },
    async (request, reply) => {
      const { organisation, team } = await teamOf(
        requireActor(request),
        request.params.organisationId,
        request.params.teamId,
      );
      return teamForm(
        reply,
        {
          pageTitle: `Rename ${team.name}`,
          action: `/admin/organisations/${organisation.organisationId}/teams/${team.teamId}/edit`,
          buttonText: 'Save the name',
          organisationName: organisation.name,
        },
        { name: team.name },
        [],
      );
    },
  );

  app.post(
    '/admin/organisations/:organisationId/teams/:teamId/edit',
    { config: page, schema: { hide: true, params: TeamParams, body: FormBodySchema } },
    async (request, reply) => {
      const { organisation, team } = await teamOf(
        requireActor(request),
        request.params.organisationId,
        request.params.teamId,
      );
      const name = text(request.body, 'name');
      try {
        await directoryAdmin.renameTeam(requireActor(request), organisation.organisationId, team.teamId, {
          name,
        });
        return reply.redirect(`/admin/organisations?team=${team.teamId}`, 303);
      } catch (error) {
        return teamForm(
          reply,
          {
            pageTitle: `Rename ${team.name}`,
            action: `/admin/organisations/${organisation.organisationId}/teams/${team.teamId}/edit`,
            buttonText: 'Save the name',
            organisationName: organisation.name,
          },
          { name },
          adminFormErrors(error, 'name'),
        );
      }
    },
  );
}
