import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Actor } from '../../domain/actor.js';
import {
  CARE_TEAM_SUPPORT_KINDS,
  CARE_TEAM_SUPPORT_LABELS,
  type CareTeamSupportKind,
} from '../../domain/care-team.js';
import { ORGANISATION_KIND_LABELS } from '../../domain/organisation-kinds.js';
import { CARE_STAFF } from '../../domain/route-access.js';
import {
  isSharingBasis,
  SHARING_BASES,
  SHARING_BASIS_LABELS,
  type SharingBasisKind,
} from '../../domain/sharing.js';
import { requireActor } from '../../http/request-actor.js';
import type { Services } from '../../services/index.js';
import {
  checked,
  type FieldError,
  type FormBody,
  FormBodySchema,
  renderWithErrors,
  serviceFieldErrors,
  text,
} from '../../web/forms.js';
import { PersonPageParams, personNotShown } from './pages.js';

/**
 * Who supports the person: adding a member of the care team from any agency, adding people who
 * matter to them, and what each carer may see — the person's decision, recorded here.
 */
export async function circlePages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { people, directory } = opts.services;

  const careTeamForm = async (
    reply: FastifyReply,
    actor: Actor,
    personId: string,
    body: FormBody,
    errors: FieldError[],
  ) => {
    const { person } = await people.details(actor, personId);
    const [organisations, practitioners] = await Promise.all([
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
    { config: { access: CARE_STAFF, page: true }, schema: { hide: true, params: PersonPageParams } },
    async (request, reply) => {
      try {
        return await careTeamForm(reply, requireActor(request), request.params.personId, {}, []);
      } catch (error) {
        return personNotShown(reply, error);
      }
    },
  );

  app.post(
    '/people/:personId/care-team/add',
    {
      config: { access: CARE_STAFF, page: true },
      schema: { hide: true, params: PersonPageParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { personId } = request.params;
      const body = request.body;
      const [organisationId = '', teamId = ''] = text(body, 'placement').split(':');
      const supportKind = text(body, 'supportKind');
      const errors: FieldError[] = [];
      if (!organisationId) errors.push({ field: 'placement', message: 'Choose the organisation or team' });
      if (!(CARE_TEAM_SUPPORT_KINDS as readonly string[]).includes(supportKind)) {
        errors.push({ field: 'supportKind', message: 'Choose the kind of support they give' });
      }
      try {
        if (errors.length) return await careTeamForm(reply, actor, personId, body, errors);
        try {
          await people.addCareTeamMember(actor, personId, {
            organisationId,
            teamId: teamId || null,
            userId: text(body, 'userId') || null,
            supportKind: supportKind as CareTeamSupportKind,
            roleDescription: text(body, 'roleDescription'),
            isKeyWorker: checked(body, 'isKeyWorker'),
            sharing:
              isSharingBasis(text(body, 'basis')) && text(body, 'purpose')
                ? {
                    basis: text(body, 'basis') as SharingBasisKind,
                    purpose: text(body, 'purpose').slice(0, 500),
                  }
                : null,
          });
        } catch (error) {
          return await careTeamForm(reply, actor, personId, body, serviceFieldErrors(error, 'placement'));
        }
        return reply.redirect(`/people/${personId}#care-team`, 303);
      } catch (error) {
        return personNotShown(reply, error);
      }
    },
  );

  const circleForm = async (
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
    { config: { access: 'signed-in', page: true }, schema: { hide: true, params: PersonPageParams } },
    async (request, reply) => {
      try {
        return await circleForm(reply, requireActor(request), request.params.personId, {}, []);
      } catch (error) {
        return personNotShown(reply, error);
      }
    },
  );

  app.post(
    '/people/:personId/circle/add',
    {
      config: { access: 'signed-in', page: true },
      schema: { hide: true, params: PersonPageParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { personId } = request.params;
      const body = request.body;
      const errors: FieldError[] = [];
      if (!text(body, 'name')) errors.push({ field: 'name', message: 'Enter their name' });
      if (!text(body, 'relationshipType'))
        errors.push({
          field: 'relationshipType',
          message: 'Say who they are to the person, for example daughter or neighbour',
        });
      try {
        if (errors.length) return await circleForm(reply, actor, personId, body, errors);
        try {
          await people.addRelationship(actor, personId, {
            name: text(body, 'name').slice(0, 200),
            relationshipType: text(body, 'relationshipType').slice(0, 100),
            isCarer: checked(body, 'isCarer'),
            contact: text(body, 'contact').slice(0, 300) || null,
            carerUsername: text(body, 'carerUsername') || null,
          });
        } catch (error) {
          return await circleForm(reply, actor, personId, body, serviceFieldErrors(error, 'name'));
        }
        return reply.redirect(`/people/${personId}#circle`, 303);
      } catch (error) {
        return personNotShown(reply, error);
      }
    },
  );

  app.post(
    '/people/:personId/circle/:relationshipId/authorisation',
    {
      config: { access: 'signed-in', page: true },
      schema: {
        hide: true,
        params: Type.Object({
          personId: Type.String({ format: 'uuid' }),
          relationshipId: Type.String({ format: 'uuid' }),
        }),
        body: FormBodySchema,
      },
    },
    async (request, reply) => {
      const { personId, relationshipId } = request.params;
      const access = text(request.body, 'access');
      // No choice made is not "no access": refuse it rather than silently revoke.
      if (!['none', 'view', 'contribute'].includes(access)) {
        return reply.code(400).page('error', {
          pageTitle: 'Choose what they may do',
          message:
            'Go back and choose what this carer may do: nothing, see the record, or see and add to it.',
        });
      }
      try {
        await people.setCarerAuthorisation(requireActor(request), personId, relationshipId, {
          mayView: access === 'view' || access === 'contribute',
          mayContribute: access === 'contribute',
        });
        const back = text(request.body, 'returnTo') === 'my' ? '/my' : `/people/${personId}#circle`;
        return reply.redirect(back, 303);
      } catch (error) {
        return personNotShown(reply, error);
      }
    },
  );
}
