import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Actor } from '../../domain/actor.js';
import { IMPROVEMENT_LABELS } from '../../domain/indicators/definition.js';
import { requireActor } from '../../http/request-actor.js';
import type { Services } from '../../services/index.js';
import { type FieldError, FormBodySchema, renderWithErrors } from '../../web/forms.js';
import { contractDashboardView } from '../dashboards/pages.js';
import { CONTRACT_EDITORS, CONTRACT_READERS, ContractParams } from './api.js';
import {
  type ContractForm,
  contractFormErrors,
  emptyContractForm,
  formFromBody,
  formFromContract,
  inputFromForm,
  targetField,
} from './form.js';
import type { ContractFormOptions } from './service.js';

const STATUS_LABELS = { 'not-started': 'Not started', running: 'Running', ended: 'Ended' } as const;
const Saved = Type.Object({ saved: Type.Optional(Type.String({ maxLength: 200 })) });

/** The form with the select, checkbox and input items the design system's macros take. */
function formView(form: ContractForm, options: ContractFormOptions) {
  const choose = { value: '', text: 'Choose' };
  return {
    ...form,
    commissionerItems: [
      choose,
      ...options.commissioners.map((o) => ({
        value: o.organisationId,
        text: o.name,
        selected: o.organisationId === form.commissionerOrganisationId,
      })),
    ],
    providerItems: [
      choose,
      ...options.providers.map((o) => ({
        value: o.organisationId,
        text: o.name,
        selected: o.organisationId === form.providerOrganisationId,
      })),
    ],
    // Every organisation's teams, named with their organisation: only the provider's may be chosen.
    teamItems: options.providers.flatMap((o) =>
      o.teams.map((t) => ({
        value: t.teamId,
        text: t.name,
        hint: { text: o.name },
        checked: form.teamIds.includes(t.teamId),
      })),
    ),
    indicatorRows: options.indicators.map((i) => ({
      id: targetField(i.key),
      name: i.name,
      hint: `${IMPROVEMENT_LABELS[i.improvement]}. Leave blank to leave it out.`,
      value: form.targets[i.key] ?? '',
    })),
    frameworkItems: [
      { value: '', text: 'None' },
      ...options.frameworks.map((f) => ({
        value: f.key,
        text: f.name,
        selected: f.key === form.frameworkKey,
      })),
    ],
  };
}

/** Contracts as pages: the list, one contract, and the commissioners' form to make or change one. */
export async function contractPages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { contracts } = opts.services;

  app.get(
    '/contracts',
    { config: { access: CONTRACT_READERS, page: true }, schema: { hide: true } },
    async (request, reply) => {
      const actor = requireActor(request);
      const all = await contracts.list(actor);
      return reply.page('contracts', {
        pageTitle: 'Contracts',
        contracts: all.map((c) => ({ ...c, statusLabel: STATUS_LABELS[c.status] })),
        mayCreate: contracts.permissions(actor).editContracts,
      });
    },
  );

  const renderForm = async (
    reply: FastifyReply,
    actor: Actor,
    form: ContractForm | null,
    action: string,
    pageTitle: string,
    errors: FieldError[] = [],
  ) => {
    const options = await contracts.formOptions(actor);
    const start =
      form ??
      emptyContractForm(
        options.commissioners.length === 1 ? (options.commissioners[0]?.organisationId ?? '') : '',
      );
    return renderWithErrors(
      reply,
      'contract-edit',
      { pageTitle, form: formView(start, options), action },
      errors,
    );
  };

  const save = async (
    reply: FastifyReply,
    actor: Actor,
    body: Parameters<typeof formFromBody>[0],
    action: string,
    pageTitle: string,
    contractId: string | null,
  ) => {
    const { indicators } = await contracts.formOptions(actor);
    const form = formFromBody(body, indicators);
    const input = inputFromForm(form, indicators);
    try {
      const saved = contractId
        ? await contracts.update(actor, contractId, input)
        : await contracts.create(actor, input);
      return reply.redirect(`/contracts/${saved.contractId}?saved=${saved.contractId}`, 303);
    } catch (error) {
      return renderForm(reply, actor, form, action, pageTitle, contractFormErrors(error, input, indicators));
    }
  };

  app.get(
    '/contracts/new',
    { config: { access: CONTRACT_EDITORS, page: true }, schema: { hide: true } },
    async (request, reply) =>
      renderForm(reply, requireActor(request), null, '/contracts/new', 'Make a contract'),
  );

  app.post(
    '/contracts/new',
    { config: { access: CONTRACT_EDITORS, page: true }, schema: { hide: true, body: FormBodySchema } },
    async (request, reply) =>
      save(reply, requireActor(request), request.body, '/contracts/new', 'Make a contract', null),
  );

  app.get(
    '/contracts/:contractId',
    {
      config: { access: CONTRACT_READERS, page: true },
      schema: { hide: true, params: ContractParams, querystring: Saved },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const contract = await contracts.loadContract(actor, request.params.contractId);
      return reply.page('contract', {
        pageTitle: contract.title,
        contract: {
          ...contract,
          statusLabel: STATUS_LABELS[contract.status],
          indicators: contract.indicators.map((i) => ({
            ...i,
            improvementLabel: i.indicator.improvement ? IMPROVEMENT_LABELS[i.indicator.improvement] : '',
          })),
        },
        saved: request.query.saved === contract.contractId,
        // Team managers see which framework a contract serves, but may not open frameworks.
        mayReadFrameworks: contracts.permissions(actor).readFrameworks,
        // The contract's dashboard (views/contract-dashboard.njk of the dashboards feature).
        dashboard: await contractDashboardView(opts.services, actor, contract),
      });
    },
  );

  app.get(
    '/contracts/:contractId/edit',
    { config: { access: CONTRACT_EDITORS, page: true }, schema: { hide: true, params: ContractParams } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { contractId } = request.params;
      const definition = await contracts.definitionOf(actor, contractId);
      return renderForm(
        reply,
        actor,
        formFromContract(definition),
        `/contracts/${contractId}/edit`,
        `Change ${definition.title}`,
      );
    },
  );

  app.post(
    '/contracts/:contractId/edit',
    {
      config: { access: CONTRACT_EDITORS, page: true },
      schema: { hide: true, params: ContractParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { contractId } = request.params;
      const definition = await contracts.definitionOf(actor, contractId);
      return save(
        reply,
        actor,
        request.body,
        `/contracts/${contractId}/edit`,
        `Change ${definition.title}`,
        contractId,
      );
    },
  );
}
