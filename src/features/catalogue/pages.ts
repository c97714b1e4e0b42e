import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Actor } from '../../domain/actor.js';
import { AGGREGATE_READER_ROLES } from '../../domain/aggregate-access.js';
import {
  CATALOGUE_KIND_LABELS,
  CATALOGUE_KINDS,
  CATALOGUE_LEVEL_LABELS,
  CATALOGUE_LEVELS,
  LIFE_AREA_LABELS,
  LIFE_AREAS,
  PRODUCT_LINK_KINDS,
  PRODUCT_LINK_LABELS,
  RESPONDENT_LABELS,
  RESPONDENTS,
} from '../../domain/measures/catalogue.js';
import { COVERAGE_REASON_LABELS, GAP_STATUS_LABELS } from '../../domain/measures/catalogue-gaps.js';
import { requireActor } from '../../http/request-actor.js';
import type { Services } from '../../services/index.js';
import { type FieldError, FormBodySchema, renderWithErrors } from '../../web/forms.js';
import {
  type CatalogueFormValues,
  catalogueEntryFrom,
  catalogueFormErrors,
  domainValue,
  formValuesOf,
} from './form.js';
import { type CatalogueEntry, EntryIdParams } from './schema.js';
import { CATALOGUE_EDITOR_ROLES } from './service.js';

const Filter = Type.Optional(Type.String({ maxLength: 200 }));

/** "Yes (25)", "No", or why there is nothing to say, for an entry's use here. */
function usageText(entry: CatalogueEntry): string {
  if (!entry.usage.inProduct) return 'Not in the product';
  if (entry.usage.inUseHere === null) return 'Not shown to you';
  return entry.usage.inUseHere
    ? `Yes (${entry.usage.count} in the last 12 months)`
    : 'No data in the last 12 months';
}

/** An entry with every code in the words people read. */
function entryView(entry: CatalogueEntry) {
  const byFramework = new Map<string, { name: string; domains: string[] }>();
  for (const d of entry.domains) {
    const group = byFramework.get(d.framework) ?? { name: d.frameworkName, domains: [] };
    group.domains.push(d.name);
    byFramework.set(d.framework, group);
  }
  return {
    ...entry,
    kindLabel: CATALOGUE_KIND_LABELS[entry.kind],
    levelLabels: entry.levels.map((l) => CATALOGUE_LEVEL_LABELS[l]),
    lifeAreaLabels: entry.lifeAreas.map((a) => LIFE_AREA_LABELS[a]),
    respondentLabels: entry.respondents.map((r) => RESPONDENT_LABELS[r]),
    domainGroups: [...byFramework.values()],
    linkLabel: entry.link
      ? `${PRODUCT_LINK_LABELS[entry.link.kind]}${entry.link.key ? `: ${entry.link.key}` : ''}`
      : null,
    usageText: usageText(entry),
  };
}

const options = <T extends string>(
  values: readonly T[],
  labels: Record<T, string>,
  chosen: string | undefined,
  any: string,
) => [
  { value: '', text: any },
  ...values.map((v) => ({ value: v, text: labels[v], selected: v === chosen })),
];

const ticks = <T extends string>(
  values: readonly T[],
  labels: Record<T, string>,
  ticked: readonly string[],
) => values.map((v) => ({ value: v, text: labels[v], checked: ticked.includes(v) }));

/** The catalogue of measures: browse and filter, an entry's page, the gap analysis, and editing. */
export async function cataloguePages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { catalogue } = opts.services;

  app.get(
    '/catalogue',
    {
      config: { access: 'signed-in', page: true },
      schema: {
        hide: true,
        querystring: Type.Object({ kind: Filter, level: Filter, lifeArea: Filter, domain: Filter }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      // A filter left at "any" arrives empty: it is no filter.
      const q = request.query;
      const filters = Object.fromEntries(Object.entries(q).filter(([, v]) => v)) as Record<string, string>;
      const [entries, frameworks] = await Promise.all([
        catalogue.list(actor, filters),
        catalogue.filterChoices(actor),
      ]);
      const permissions = catalogue.permissions(actor);
      return reply.page('catalogue', {
        pageTitle: 'Catalogue of measures',
        entries: entries.map(entryView),
        filtered: Object.keys(filters).length > 0,
        mayEdit: permissions.edit,
        seeUsage: permissions.seeUsage,
        kindItems: options(CATALOGUE_KINDS, CATALOGUE_KIND_LABELS, q.kind, 'Any kind'),
        levelItems: options(CATALOGUE_LEVELS, CATALOGUE_LEVEL_LABELS, q.level, 'Any level'),
        lifeAreaItems: options(LIFE_AREAS, LIFE_AREA_LABELS, q.lifeArea, 'Any area of life'),
        domainItems: [
          { value: '', text: 'Any domain' },
          ...frameworks.flatMap((f) =>
            f.domains.map((d) => ({
              value: `${f.ref}:${d.code}`,
              text: `${f.name}: ${d.name}`,
              selected: q.domain === `${f.ref}:${d.code}`,
            })),
          ),
        ],
      });
    },
  );

  app.get(
    '/catalogue/gaps',
    {
      config: { access: { roles: AGGREGATE_READER_ROLES }, page: true },
      schema: {
        hide: true,
        querystring: Type.Object({ framework: Type.Optional(Type.String({ maxLength: 120 })) }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const ref = request.query.framework || (await catalogue.defaultFrameworkRef());
      const analysis = await catalogue.gaps(actor, ref);
      const choices = await catalogue.frameworkChoices(actor);
      const groups: { name: string; domains: unknown[] }[] = [];
      for (const d of analysis.domains) {
        let group = groups.at(-1);
        if (group?.name !== d.group) {
          group = { name: d.group, domains: [] };
          groups.push(group);
        }
        group.domains.push({
          ...d,
          statusLabel: GAP_STATUS_LABELS[d.status],
          coveredBy: d.coveredBy.map((c) => ({
            ...c,
            kindLabel: CATALOGUE_KIND_LABELS[c.kind],
            howLabel: COVERAGE_REASON_LABELS[c.how],
            dataText: c.hasData === null ? 'not in the product' : c.hasData ? `data: ${c.count}` : 'no data',
          })),
        });
      }
      return reply.page('catalogue-gaps', {
        pageTitle: `Gaps in measuring ${analysis.framework.name}`,
        analysis,
        groups,
        frameworkItems: choices.map((c) => ({
          value: c.ref,
          text: c.name,
          selected: c.ref === analysis.framework.ref,
        })),
      });
    },
  );

  const form = async (
    reply: FastifyReply,
    actor: Actor,
    target: { action: string; title: string; entry: CatalogueEntry | null },
    values: CatalogueFormValues,
    errors: FieldError[],
  ) => {
    const choices = await catalogue.formChoices(actor);
    const kind = values.text.kind ?? '';
    const linkKind = values.text.linkKind ?? '';
    return renderWithErrors(
      reply,
      'catalogue-edit',
      {
        pageTitle: target.title,
        action: target.action,
        entry: target.entry,
        values: values.text,
        kindItems: [
          { value: '', text: 'Choose a kind' },
          ...CATALOGUE_KINDS.map((k) => ({ value: k, text: CATALOGUE_KIND_LABELS[k], selected: k === kind })),
        ],
        levelItems: ticks(CATALOGUE_LEVELS, CATALOGUE_LEVEL_LABELS, values.ticked.levels),
        lifeAreaItems: ticks(LIFE_AREAS, LIFE_AREA_LABELS, values.ticked.lifeAreas),
        respondentItems: ticks(RESPONDENTS, RESPONDENT_LABELS, values.ticked.respondents),
        domainGroups: choices.frameworks.map((f, i) => ({
          idPrefix: i === 0 ? 'domains' : `domains-${f.ref.replace(/[^a-z0-9]+/g, '-')}`,
          name: f.name,
          items: f.domains.map((d) => {
            const value = domainValue(f.ref, d.code);
            return { value, text: d.name, checked: values.ticked.domains.includes(value) };
          }),
        })),
        linkKindItems: [
          { value: '', text: 'Not in the product' },
          ...PRODUCT_LINK_KINDS.map((k) => ({
            value: k,
            text: PRODUCT_LINK_LABELS[k],
            selected: k === linkKind,
          })),
        ],
        instrumentKeys: choices.instrumentKeys.join(', '),
        indicatorKeys: choices.indicatorKeys.join(', '),
      },
      errors,
    );
  };

  const empty: CatalogueFormValues = {
    text: {},
    ticked: { levels: [], lifeAreas: [], respondents: [], domains: [] },
  };

  app.get(
    '/catalogue/new',
    { config: { access: { roles: CATALOGUE_EDITOR_ROLES }, page: true }, schema: { hide: true } },
    async (request, reply) =>
      form(
        reply,
        requireActor(request),
        { action: '/catalogue/new', title: 'Add to the catalogue', entry: null },
        empty,
        [],
      ),
  );

  app.post(
    '/catalogue/new',
    // Signed in at the door: the service refuses anyone but an editor, and audits the refusal.
    { config: { access: 'signed-in', page: true }, schema: { hide: true, body: FormBodySchema } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { values, input } = catalogueEntryFrom(request.body);
      const target = { action: '/catalogue/new', title: 'Add to the catalogue', entry: null };
      let added: CatalogueEntry;
      try {
        added = await catalogue.add(actor, input);
      } catch (error) {
        return form(reply, actor, target, values, catalogueFormErrors(error));
      }
      return reply.redirect(`/catalogue/${added.entryId}?saved=added`, 303);
    },
  );

  app.get(
    '/catalogue/:entryId',
    {
      config: { access: 'signed-in', page: true },
      schema: {
        hide: true,
        params: EntryIdParams,
        querystring: Type.Object({
          saved: Type.Optional(Type.Union([Type.Literal('added'), Type.Literal('changed')])),
        }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const entry = await catalogue.get(actor, request.params.entryId);
      const saved = request.query.saved;
      return reply.page('catalogue-entry', {
        pageTitle: entry.name,
        entry: entryView(entry),
        mayEdit: catalogue.permissions(actor).edit,
        // A built-in instrument links to its questionnaire's page, for those who may read it.
        mayReadQuestionnaires: opts.services.questionnaires.permissions(actor).readAbout,
        banner:
          saved === 'added'
            ? `${entry.name} was added to the catalogue.`
            : saved === 'changed'
              ? `Your changes to ${entry.name} were saved.`
              : null,
      });
    },
  );

  const editTarget = (entry: CatalogueEntry) => ({
    action: `/catalogue/${entry.entryId}/edit`,
    title: `Change ${entry.name}`,
    entry,
  });

  app.get(
    '/catalogue/:entryId/edit',
    {
      config: { access: { roles: CATALOGUE_EDITOR_ROLES }, page: true },
      schema: { hide: true, params: EntryIdParams },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const entry = await catalogue.get(actor, request.params.entryId);
      return form(reply, actor, editTarget(entry), formValuesOf(entry), []);
    },
  );

  app.post(
    '/catalogue/:entryId/edit',
    {
      // Signed in at the door: the service refuses anyone but an editor, and audits the refusal.
      config: { access: 'signed-in', page: true },
      schema: { hide: true, params: EntryIdParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const entry = await catalogue.get(actor, request.params.entryId);
      const { values, input } = catalogueEntryFrom(request.body);
      // The key is shown, not edited: it never changes.
      input.key = entry.key;
      values.text.key = entry.key;
      try {
        await catalogue.update(actor, entry.entryId, input);
      } catch (error) {
        return form(reply, actor, editTarget(entry), values, catalogueFormErrors(error));
      }
      return reply.redirect(`/catalogue/${entry.entryId}?saved=changed`, 303);
    },
  );
}
