import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Actor } from '../../domain/actor.js';
import { CARE_TEAM_SUPPORT_KINDS, CARE_TEAM_SUPPORT_LABELS } from '../../domain/care-team.js';
import { ORGANISATION_KIND_LABELS } from '../../domain/organisation-kinds.js';
import { CARE_STAFF } from '../../domain/route-access.js';
import { SHARING_BASES, SHARING_BASIS_LABELS } from '../../domain/sharing.js';
import { requireActor } from '../../http/request-actor.js';
import { PersonParams } from '../../http/schemas.js';
import type { Services } from '../../services/index.js';
import {
  checked,
  type FieldError,
  type FormBody,
  FormBodySchema,
  renderWithErrors,
  text,
} from '../../web/forms.js';
import { carerAccessFromForm, careTeamForm, circleForm, errorsOnForm } from './form.js';
import { RelationshipParams } from './schema.js';

/**
 * Who supports the person: adding a member of the care team from any agency, adding people who
 * matter to them, and what each carer may see — the person's decision, recorded here.
 */
export async function circlePages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { people, directory } = opts.services;

  const careTeamPage = async (
    reply: FastifyReply,
    actor: Actor,
    personId: string,
    body: FormBody,
    errors: FieldError[],
  ) => {
    const [{ person }, organisations, practitioners] = await Promise.all([
      people.details(actor, personId),
      directory.listOrganisations(actor),
      directory.listPractitioners(actor),
    ]);
    const chosen = text(body, 'placement');
    const placementItems = [
      { value: '', text: 'Choose an organisation or team' },
      ...organisations.flatMap((o) => [
        {
          value: `${o.organisationId}:`,
          text: `${o.name} (${ORGANISATION_KIND_LABELS[o.kind]})`,
          selected: chosen === `${o.organisationId}:`,
        },
        ...o.teams.map((t) => ({
          value: `${o.organisationId}:${t.teamId}`,
          text: `${o.name} – ${t.name}`,
          selected: chosen === `${o.organisationId}:${t.teamId}`,
        })),
      ]),
    ];
    const orgName = new Map(organisations.map((o) => [o.organisationId, o.name]));
    const practitionerItems = [
      { value: '', text: 'No one named – the team or organisation' },
      ...practitioners.map((p) => ({
        value: p.userId,
        text: `${p.displayName}${p.jobTitle ? `, ${p.jobTitle}` : ''} (${orgName.get(p.organisationId) ?? ''})`,
        selected: text(body, 'userId') === p.userId,
      })),
    ];
    return renderWithErrors(
      reply,
      'care-team-add',
      {
        pageTitle: 'Add to the care team',
        caption: 'Add to the care team',
        person,
        showNav: false,
        placementItems,
        practitionerItems,
        supportItems: CARE_TEAM_SUPPORT_KINDS.map((k) => ({
          value: k,
          text: CARE_TEAM_SUPPORT_LABELS[k],
          checked: text(body, 'supportKind') === k,
        })),
        basisItems: SHARING_BASES.filter((b) => b !== 'direct-care').map((b) => ({
          value: b,
          text: SHARING_BASIS_LABELS[b],
          // Consent is the usual basis, so it is chosen until someone chooses another.
          checked: (text(body, 'basis') || 'consent') === b,
        })),
        values: {
          roleDescription: text(body, 'roleDescription'),
          isKeyWorker: checked(body, 'isKeyWorker'),
          purpose: text(body, 'purpose'),
        },
      },
      errors,
    );
  };

  app.get(
    '/people/:personId/care-team/add',
    { config: { access: CARE_STAFF, page: true }, schema: { hide: true, params: PersonParams } },
    async (request, reply) => careTeamPage(reply, requireActor(request), request.params.personId, {}, []),
  );

  app.post(
    '/people/:personId/care-team/add',
    {
      config: { access: CARE_STAFF, page: true },
      schema: { hide: true, params: PersonParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { personId } = request.params;
      try {
        await people.addCareTeamMember(actor, personId, careTeamForm.input(request.body));
      } catch (error) {
        const errors = errorsOnForm(error, careTeamForm.mapping);
        return careTeamPage(reply, actor, personId, request.body, errors);
      }
      return reply.redirect(`/people/${personId}#care-team`, 303);
    },
  );

  const circlePage = async (
    reply: FastifyReply,
    actor: Actor,
    personId: string,
    body: FormBody,
    errors: FieldError[],
  ) => {
    const { person } = await people.details(actor, personId);
    return renderWithErrors(
      reply,
      'circle-add',
      {
        pageTitle: 'Add someone important',
        caption: 'People important to them',
        person,
        showNav: false,
        values: {
          name: text(body, 'name'),
          relationshipType: text(body, 'relationshipType'),
          contact: text(body, 'contact'),
          carerUsername: text(body, 'carerUsername'),
          isCarer: checked(body, 'isCarer'),
        },
      },
      errors,
    );
  };

  app.get(
    '/people/:personId/circle/add',
    { config: { access: 'signed-in', page: true }, schema: { hide: true, params: PersonParams } },
    async (request, reply) => circlePage(reply, requireActor(request), request.params.personId, {}, []),
  );

  app.post(
    '/people/:personId/circle/add',
    {
      config: { access: 'signed-in', page: true },
      schema: { hide: true, params: PersonParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { personId } = request.params;
      try {
        await people.addRelationship(actor, personId, circleForm.input(request.body));
      } catch (error) {
        const errors = errorsOnForm(error, circleForm.mapping);
        return circlePage(reply, actor, personId, request.body, errors);
      }
      return reply.redirect(`/people/${personId}#circle`, 303);
    },
  );

  app.post(
    '/people/:personId/circle/:relationshipId/authorisation',
    {
      config: { access: 'signed-in', page: true },
      schema: { hide: true, params: RelationshipParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const { personId, relationshipId } = request.params;
      const authorisation = carerAccessFromForm(request.body);
      // No choice made is not "no access": refuse it rather than silently revoke.
      if (!authorisation) {
        return reply.code(400).page('error', {
          pageTitle: 'Choose what they may do',
          message:
            'Go back and choose what this carer may do: nothing, see the record, or see and add to it.',
        });
      }
      await people.setCarerAuthorisation(requireActor(request), personId, relationshipId, authorisation);
      const back = text(request.body, 'returnTo') === 'my' ? '/my' : `/people/${personId}#circle`;
      return reply.redirect(back, 303);
    },
  );
}
