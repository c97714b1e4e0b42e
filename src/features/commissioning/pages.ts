import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Actor } from '../../domain/actor.js';
import {
  MAX_I_STATEMENTS_PER_OUTCOME,
  MAX_INVOLVEMENTS,
  MAX_OUTCOMES,
} from '../../domain/commissioning/framework.js';
import { STAKEHOLDER_GROUP_LABELS, STAKEHOLDER_GROUPS } from '../../domain/commissioning/stakeholders.js';
import { IMPROVEMENT_LABELS } from '../../domain/indicators/definition.js';
import { CATEGORY_LABELS, type OutcomeCategory } from '../../domain/outcome-frameworks.js';
import { requireActor } from '../../http/request-actor.js';
import type { Services } from '../../services/index.js';
import { type FieldError, FormBodySchema, renderWithErrors, text } from '../../web/forms.js';
import { CommissioningFrameworkParams, FRAMEWORK_EDITORS, FRAMEWORK_READERS } from './api.js';
import {
  blankInvolvement,
  blankOutcome,
  blankStatement,
  type FrameworkForm,
  formFromBody,
  formFromDefinition,
  frameworkFormErrors,
  newFrameworkForm,
  publishInputFromForm,
} from './form.js';
import type { CommissioningFormOptions } from './service.js';
import { DEFAULT_OUTCOMES_FRAMEWORK_KEY } from './service.js';

const Published = Type.Object({ published: Type.Optional(Type.String({ maxLength: 200 })) });

/** The form's rows with the checkbox and select items the design system's macros take. */
function formView(form: FrameworkForm, options: CommissioningFormOptions) {
  return {
    ...form,
    outcomes: form.outcomes.map((o) => ({
      ...o,
      statements: o.statements.map((s) => ({
        ...s,
        domainItems: options.domains.map((d) => ({
          value: d.code,
          text: d.name,
          hint: { text: CATEGORY_LABELS[d.category as OutcomeCategory] ?? '' },
          checked: s.domains.includes(d.code),
        })),
        indicatorItems: options.indicators.map((i) => ({
          value: i.key,
          text: i.name,
          hint: { text: `${IMPROVEMENT_LABELS[i.improvement]} · ${i.key}` },
          checked: s.indicators.includes(i.key),
        })),
      })),
    })),
    shapedBy: form.shapedBy.map((i) => ({
      ...i,
      groupItems: [
        { value: '', text: 'Choose who' },
        ...STAKEHOLDER_GROUPS.map((g) => ({
          value: g,
          text: STAKEHOLDER_GROUP_LABELS[g],
          selected: g === i.group,
        })),
      ],
    })),
  };
}

/**
 * Commissioning outcomes frameworks as pages: the list, one version's hierarchy with who shaped it
 * and its versions, and the commissioners' form that publishes a new framework or version.
 */
export async function commissioningPages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { commissioning } = opts.services;

  app.get(
    '/commissioning/frameworks',
    { config: { access: FRAMEWORK_READERS, page: true }, schema: { hide: true } },
    async (request, reply) => {
      const actor = requireActor(request);
      const frameworks = await commissioning.listFrameworks(actor);
      return reply.page('commissioning-frameworks', {
        pageTitle: 'Commissioning outcomes frameworks',
        frameworks,
        mayEdit: commissioning.permissions(actor).editFrameworks,
      });
    },
  );

  app.get(
    '/commissioning/frameworks/:frameworkId',
    {
      config: { access: FRAMEWORK_READERS, page: true },
      schema: { hide: true, params: CommissioningFrameworkParams, querystring: Published },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const framework = await commissioning.getFramework(actor, request.params.frameworkId);
      return reply.page('commissioning-framework', {
        pageTitle: `${framework.name}, version ${framework.version}`,
        framework,
        // The banner only when this is the version the address says was just published.
        published: request.query.published === framework.frameworkId,
        mayEdit: commissioning.permissions(actor).editFrameworks,
      });
    },
  );

  const renderForm = async (
    reply: FastifyReply,
    actor: Actor,
    form: FrameworkForm,
    action: string,
    errors: FieldError[] = [],
  ) => {
    const options = await commissioning.formOptions(actor, form.outcomesFrameworkKey || undefined);
    const isNew = form.basedOnVersion === '';
    return renderWithErrors(
      reply,
      'commissioning-framework-edit',
      {
        pageTitle: isNew
          ? 'Make a commissioning framework'
          : `Make version ${Number(form.basedOnVersion) + 1} of ${form.name}`,
        form: formView(form, options),
        isNew,
        action,
        limits: {
          outcomes: MAX_OUTCOMES,
          statements: MAX_I_STATEMENTS_PER_OUTCOME,
          involvements: MAX_INVOLVEMENTS,
        },
      },
      errors,
    );
  };

  /** A post of the form: a blank row more ("add another …"), or publishing. */
  const handlePost = async (
    reply: FastifyReply,
    actor: Actor,
    body: Record<string, unknown>,
    action: string,
    key?: string,
  ) => {
    const formBody = body as Parameters<typeof formFromBody>[0];
    const form = formFromBody(formBody);
    // A new version keeps its framework's key, whatever the post says.
    if (key !== undefined) form.key = key;
    const next = text(formBody, 'next');
    const addStatement = /^add-statement-(\d+)$/.exec(next);
    if (next === 'add-outcome' || addStatement || next === 'add-involvement') {
      if (next === 'add-outcome' && form.outcomes.length < MAX_OUTCOMES) form.outcomes.push(blankOutcome());
      const outcome = addStatement ? form.outcomes[Number(addStatement[1])] : undefined;
      if (outcome && outcome.statements.length < MAX_I_STATEMENTS_PER_OUTCOME)
        outcome.statements.push(blankStatement());
      if (next === 'add-involvement' && form.shapedBy.length < MAX_INVOLVEMENTS)
        form.shapedBy.push(blankInvolvement());
      return renderForm(reply, actor, form, action);
    }
    const { input, rows, involvementRows } = publishInputFromForm(form);
    try {
      const published = await commissioning.publish(actor, input);
      return reply.redirect(
        `/commissioning/frameworks/${published.frameworkId}?published=${published.frameworkId}`,
        303,
      );
    } catch (error) {
      // The form comes back as written, so nothing typed is lost.
      return renderForm(reply, actor, form, action, frameworkFormErrors(error, rows, involvementRows));
    }
  };

  app.get(
    '/commissioning/frameworks/new',
    { config: { access: FRAMEWORK_EDITORS, page: true }, schema: { hide: true } },
    async (request, reply) =>
      renderForm(
        reply,
        requireActor(request),
        newFrameworkForm(DEFAULT_OUTCOMES_FRAMEWORK_KEY),
        '/commissioning/frameworks/new',
      ),
  );

  app.post(
    '/commissioning/frameworks/new',
    { config: { access: FRAMEWORK_EDITORS, page: true }, schema: { hide: true, body: FormBodySchema } },
    async (request, reply) =>
      handlePost(reply, requireActor(request), request.body, '/commissioning/frameworks/new'),
  );

  app.get(
    '/commissioning/frameworks/:frameworkId/new-version',
    {
      config: { access: FRAMEWORK_EDITORS, page: true },
      schema: { hide: true, params: CommissioningFrameworkParams },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { frameworkId } = request.params;
      const framework = await commissioning.getFramework(actor, frameworkId);
      // A new version is always made from the current one: an earlier one's page links here too.
      const current = framework.versions.find((v) => v.current)?.frameworkId ?? frameworkId;
      const definition = await commissioning.definitionOf(actor, current);
      const latest = framework.versions[0]?.version ?? framework.version;
      return renderForm(
        reply,
        actor,
        formFromDefinition(definition, latest),
        `/commissioning/frameworks/${frameworkId}/new-version`,
      );
    },
  );

  app.post(
    '/commissioning/frameworks/:frameworkId/new-version',
    {
      config: { access: FRAMEWORK_EDITORS, page: true },
      schema: { hide: true, params: CommissioningFrameworkParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { frameworkId } = request.params;
      // The framework must exist (404 otherwise); the version edited is the form's, for the 409 check.
      const framework = await commissioning.getFramework(actor, frameworkId);
      return handlePost(
        reply,
        actor,
        request.body,
        `/commissioning/frameworks/${frameworkId}/new-version`,
        framework.key,
      );
    },
  );
}
