import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Actor } from '../../domain/actor.js';
import { COMMUNITY_STAFF_ROLES } from '../../domain/community/resource-access.js';
import {
  ACCESSIBILITY_FEATURE_LABELS,
  ACCESSIBILITY_FEATURES,
  COST_KIND_LABELS,
  COST_KINDS,
  DAY_LABELS,
  DAYS,
  NEED_LABELS,
  NEEDS,
  RESOURCE_KIND_LABELS,
  RESOURCE_KINDS,
  RESOURCE_STATUS_LABELS,
} from '../../domain/community/vocabulary.js';
import { requireActor } from '../../http/request-actor.js';
import { ServiceError } from '../../services/errors.js';
import type { Services } from '../../services/index.js';
import { type FieldError, FormBodySchema, renderWithErrors, text } from '../../web/forms.js';
import {
  emptyFormValues,
  formValuesOf,
  type ResourceFormValues,
  resourceFormErrors,
  resourceFormFrom,
  SPARE_SESSION_ROWS,
  VERSION_FIELD_ID,
} from './form.js';
import { ResourceIdParams } from './schema.js';
import type { ManagedResource } from './service.js';

const ticks = <T extends string>(
  values: readonly T[],
  labels: Record<T, string>,
  ticked: readonly string[],
) => values.map((v) => ({ value: v, text: labels[v], checked: ticked.includes(v) }));

const radios = <T extends string>(
  values: readonly T[],
  labels: Record<T, string>,
  chosen: string | undefined,
) => values.map((v) => ({ value: v, text: labels[v], checked: v === chosen }));

const yesNoItems = (chosen: string | undefined) => [
  { value: 'yes', text: 'Yes', checked: chosen === 'yes' },
  { value: 'no', text: 'No', checked: chosen === 'no' },
];

/** What the list says about an entry's review, in words and a tag colour. */
function reviewText(r: ManagedResource): { text: string; colour: string } {
  if (r.status === 'closed') return { text: RESOURCE_STATUS_LABELS.closed, colour: 'grey' };
  if (r.reviewState === 'hidden') return { text: 'Hidden from people', colour: 'red' };
  if (r.reviewState === 'due') return { text: 'Due for review', colour: 'orange' };
  return { text: 'Up to date', colour: 'green' };
}

const Saved = Type.Optional(
  Type.Union([
    Type.Literal('added'),
    Type.Literal('changed'),
    Type.Literal('reviewed'),
    Type.Literal('closed'),
    Type.Literal('reopened'),
  ]),
);

/**
 * The staff pages of the community resource directory: the entries the actor keeps up to date,
 * those due for review first; adding and changing one; confirming it is still right; closing and
 * reopening. The service decides who may do what and audits it; these pages only adapt.
 */
export async function communityManagePages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { community } = opts.services;

  app.get(
    '/community/manage',
    {
      // Staff at the door; the service refuses staff of no organisation, and audits it.
      config: { access: { roles: COMMUNITY_STAFF_ROLES }, page: true },
      schema: {
        hide: true,
        querystring: Type.Object({
          saved: Saved,
          resource: Type.Optional(Type.String({ format: 'uuid' })),
          conflict: Type.Optional(Type.String({ format: 'uuid' })),
        }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const resources = await community.listMaintained(actor);
      const rows = resources.map((r) => ({
        ...r,
        kindLabel: RESOURCE_KIND_LABELS[r.kind],
        review: reviewText(r),
      }));
      const { saved, resource, conflict } = request.query;
      const named = (id: string | undefined) => resources.find((r) => r.resourceId === id);
      const savedResource = named(resource);
      const conflicted = named(conflict);
      const errors: FieldError[] = conflicted
        ? [
            {
              field: `resource-${conflicted.resourceId}`,
              message: `Someone else changed ${conflicted.name} after you opened this page, so it was not confirmed. Check it, then confirm it again.`,
            },
          ]
        : [];
      return renderWithErrors(
        reply,
        'community-manage',
        {
          pageTitle: 'Community directory entries',
          stale: rows.filter((r) => r.status === 'active' && r.reviewState !== 'current'),
          rows,
          mayAdd: community.permissions(actor).add,
          // The referrals made to the organisation's resources (features/community-referrals).
          mayReceiveReferrals: opts.services.communityReferrals.mayReceive(actor),
          banner: saved && savedResource ? bannerText(saved, savedResource) : null,
        },
        errors,
      );
    },
  );

  const form = async (
    reply: FastifyReply,
    actor: Actor,
    target: { action: string; title: string; resource: ManagedResource | null },
    values: ResourceFormValues,
    errors: FieldError[],
  ) => {
    const [organisations, domainGroups] = await Promise.all([
      target.resource ? Promise.resolve([]) : community.organisationChoices(actor),
      community.domainChoices(),
    ]);
    const sessionRows = [
      ...values.sessions,
      ...Array.from({ length: SPARE_SESSION_ROWS }, () => ({ day: '', start: '', end: '' })),
    ].map((s, i) => ({
      index: i,
      number: i + 1,
      start: s.start,
      end: s.end,
      dayItems: [
        { value: '', text: 'Choose a day' },
        ...DAYS.map((d) => ({ value: d, text: DAY_LABELS[d], selected: d === s.day })),
      ],
    }));
    const chosenOrganisation = values.text.organisationId;
    return renderWithErrors(
      reply,
      'community-manage-edit',
      {
        pageTitle: target.title,
        action: target.action,
        resource: target.resource,
        values: values.text,
        version: values.version,
        versionFieldId: VERSION_FIELD_ID,
        organisation: organisations.length === 1 ? organisations[0] : null,
        organisationItems:
          organisations.length > 1
            ? [
                { value: '', text: 'Choose the organisation' },
                ...organisations.map((o) => ({
                  value: o.organisationId,
                  text: o.name,
                  selected: o.organisationId === chosenOrganisation,
                })),
              ]
            : null,
        kindItems: [
          { value: '', text: 'Choose the kind of support' },
          ...RESOURCE_KINDS.map((k) => ({
            value: k,
            text: RESOURCE_KIND_LABELS[k],
            selected: k === values.text.kind,
          })),
        ],
        needItems: ticks(NEEDS, NEED_LABELS, values.ticked.needs),
        domainGroups: domainGroups.map((g, i) => ({
          idPrefix: i === 0 ? 'domainCodes' : `domainCodes-group${i + 1}`,
          name: g.framework,
          items: g.domains.map((d) => ({
            value: d.code,
            text: d.name,
            checked: values.ticked.domainCodes.includes(d.code),
          })),
        })),
        onlineItems: [
          { value: 'yes', text: 'It takes place online (no place needed)', checked: values.online },
        ],
        sessionRows,
        costItems: radios(COST_KINDS, COST_KIND_LABELS, values.text.costKind),
        accessibilityItems: ticks(
          ACCESSIBILITY_FEATURES,
          ACCESSIBILITY_FEATURE_LABELS,
          values.ticked.accessibility,
        ),
        selfReferralItems: yesNoItems(values.text.selfReferral),
        acceptingItems: yesNoItems(values.text.acceptingReferrals),
      },
      errors,
    );
  };

  const newTarget = { action: '/community/manage/new', title: 'Add a directory entry', resource: null };

  app.get(
    '/community/manage/new',
    { config: { access: { roles: COMMUNITY_STAFF_ROLES }, page: true }, schema: { hide: true } },
    async (request, reply) => {
      const actor = requireActor(request);
      if (!community.permissions(actor).add) {
        // The service refuses, and audits the refusal, as it would the post.
        await community.listMaintained(actor);
      }
      const organisations = await community.organisationChoices(actor);
      const only = organisations.length === 1 ? (organisations[0]?.organisationId ?? '') : '';
      return form(reply, actor, newTarget, emptyFormValues(only), []);
    },
  );

  app.post(
    '/community/manage/new',
    { config: { access: 'signed-in', page: true }, schema: { hide: true, body: FormBodySchema } },
    async (request, reply) => {
      const actor = requireActor(request);
      const mapped = resourceFormFrom(request.body);
      let added: { resourceId: string };
      try {
        added = await community.add(actor, { organisationId: mapped.organisationId, ...mapped.input });
      } catch (error) {
        return form(reply, actor, newTarget, mapped.values, resourceFormErrors(error, mapped.sessionRows));
      }
      return reply.redirect(`/community/manage?saved=added&resource=${added.resourceId}`, 303);
    },
  );

  const editTarget = (resource: ManagedResource) => ({
    action: `/community/manage/${resource.resourceId}/edit`,
    title: `Change ${resource.name}`,
    resource,
  });

  app.get(
    '/community/manage/:resourceId/edit',
    {
      config: { access: { roles: COMMUNITY_STAFF_ROLES }, page: true },
      schema: { hide: true, params: ResourceIdParams },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const resource = await community.getForMaintainer(actor, request.params.resourceId);
      return form(reply, actor, editTarget(resource), formValuesOf(resource), []);
    },
  );

  app.post(
    '/community/manage/:resourceId/edit',
    {
      config: { access: 'signed-in', page: true },
      schema: { hide: true, params: ResourceIdParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const resource = await community.getForMaintainer(actor, request.params.resourceId);
      const mapped = resourceFormFrom(request.body);
      mapped.values.text.organisationId = resource.organisationId;
      try {
        if (mapped.version === undefined) {
          throw new ServiceError(
            409,
            'No version',
            'Open the entry again, then make your change.',
            'version',
          );
        }
        await community.update(actor, resource.resourceId, mapped.input, mapped.version);
      } catch (error) {
        return form(
          reply,
          actor,
          editTarget(resource),
          mapped.values,
          resourceFormErrors(error, mapped.sessionRows),
        );
      }
      return reply.redirect(`/community/manage?saved=changed&resource=${resource.resourceId}`, 303);
    },
  );

  const action = (
    path: 'review' | 'close' | 'reopen',
    run: (actor: Actor, resourceId: string, version: number) => Promise<unknown>,
    saved: 'reviewed' | 'closed' | 'reopened',
  ) =>
    app.post(
      `/community/manage/:resourceId/${path}`,
      {
        config: { access: 'signed-in', page: true },
        schema: { hide: true, params: ResourceIdParams, body: FormBodySchema },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        const { resourceId } = request.params;
        const version = Number(text(request.body, 'version'));
        try {
          await run(actor, resourceId, Number.isInteger(version) && version > 0 ? version : 0);
        } catch (error) {
          if (error instanceof ServiceError && error.status === 409) {
            return reply.redirect(`/community/manage?conflict=${resourceId}#resource-${resourceId}`, 303);
          }
          throw error;
        }
        return reply.redirect(`/community/manage?saved=${saved}&resource=${resourceId}`, 303);
      },
    );
  action('review', (a, id, v) => community.review(a, id, v), 'reviewed');
  action('close', (a, id, v) => community.close(a, id, v), 'closed');
  action('reopen', (a, id, v) => community.reopen(a, id, v), 'reopened');
}

function bannerText(saved: string, r: ManagedResource): string {
  switch (saved) {
    case 'added':
      return `${r.name} was added to the directory.`;
    case 'changed':
      return `Your changes to ${r.name} were saved.`;
    case 'reviewed':
      return `You confirmed ${r.name} is up to date.`;
    case 'closed':
      return `${r.name} is closed: people looking for help no longer see it.`;
    default:
      return `${r.name} is open again.`;
  }
}
