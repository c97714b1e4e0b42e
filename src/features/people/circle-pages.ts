import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Actor } from '../../domain/actor.js';
import { CARE_TEAM_SUPPORT_KINDS, CARE_TEAM_SUPPORT_LABELS } from '../../domain/care-team.js';
import { ORGANISATION_KIND_LABELS } from '../../domain/organisation-kinds.js';
import { type Access, CARE_STAFF } from '../../domain/route-access.js';
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
import { carerAccessFromForm, careTeamForm, circleForm, errorsOnForm, type FormMapping } from './form.js';
import { RelationshipParams } from './schema.js';

/**
 * Who supports the person: adding a member of the care team from any agency, adding people who
 * matter to them, and what each carer may see — the person's decision, recorded here.
 */
/** A form page about one person: shown empty, or again with what was typed and its refusal. */
type PersonFormPage = (
  reply: FastifyReply,
  actor: Actor,
  personId: string,
  body: FormBody,
  errors: FieldError[],
) => Promise<FastifyReply>;

export async function circlePages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { people, directory } = opts.services;

  const careTeamPage: PersonFormPage = async (reply, actor, personId, body, errors) => {
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

  /**
   * The two routes of a form that adds someone who supports the person: the GET shows the form
   * empty; the POST adds them, showing the form again with the refusal of what was typed on its
   * fields, then goes back to the person's page at `anchor`.
   */
  function addForm(
    path: string,
    form: {
      access: Access;
      render: PersonFormPage;
      add: (actor: Actor, personId: string, body: FormBody) => Promise<unknown>;
      mapping: FormMapping;
      anchor: string;
    },
  ) {
    app.get(
      path,
      { config: { access: form.access, page: true }, schema: { hide: true, params: PersonParams } },
      async (request, reply) => form.render(reply, requireActor(request), request.params.personId, {}, []),
    );

    app.post(
      path,
      {
        config: { access: form.access, page: true },
        schema: { hide: true, params: PersonParams, body: FormBodySchema },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        const { personId } = request.params;
        try {
          await form.add(actor, personId, request.body);
        } catch (error) {
          const errors = errorsOnForm(error, form.mapping);
          return form.render(reply, actor, personId, request.body, errors);
        }
        return reply.redirect(`/people/${personId}#${form.anchor}`, 303);
      },
    );
  }

  addForm('/people/:personId/care-team/add', {
    access: CARE_STAFF,
    render: careTeamPage,
    add: (actor, personId, body) => people.addCareTeamMember(actor, personId, careTeamForm.input(body)),
    mapping: careTeamForm.mapping,
    anchor: 'care-team',
  });

  const circlePage: PersonFormPage = async (reply, actor, personId, body, errors) => {
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

  addForm('/people/:personId/circle/add', {
    access: 'signed-in',
    render: circlePage,
    add: (actor, personId, body) => people.addRelationship(actor, personId, circleForm.input(body)),
    mapping: circleForm.mapping,
    anchor: 'circle',
  });

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
