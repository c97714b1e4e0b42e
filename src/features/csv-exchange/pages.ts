import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { requireActor } from '../../http/request-actor.js';
import { ContractError } from '../../services/contract.js';
import { ServiceError } from '../../services/errors.js';
import type { Services } from '../../services/index.js';
import { CSV_CONTENT_TYPE, csvContentDisposition } from '../../web/charts/csv.js';
import {
  checked,
  type FieldError,
  type FormBody,
  FormBodySchema,
  renderWithErrors,
  text,
} from '../../web/forms.js';
import { ADMIN_ONLY } from '../admin/access.js';
import { CsvFileError } from './columns.js';
import { CSV_KIND_LABELS, CSV_KINDS, type CsvKind, isCsvKind } from './schema.js';
import type { CsvOrganisationChoice } from './service.js';

const ExportQuery = Type.Object(
  {
    kind: Type.Union(CSV_KINDS.map((k) => Type.Literal(k))),
    organisationId: Type.String({ format: 'uuid' }),
  },
  { additionalProperties: false },
);

const kinds = CSV_KINDS.map((k) => ({ value: k, text: CSV_KIND_LABELS[k] }));

/**
 * Administrators import and export CSV files (docs/CSV.md) from pages: the file's text is pasted
 * into the form (file uploads are not taken: there is no multipart parser), with a dry run to check
 * it first; the answer is a page of what was imported and each refused row. Exports download.
 */
export async function csvExchangePages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { csvExchange } = opts.services;
  const page = { access: ADMIN_ONLY, page: true } as const;

  const form = (
    reply: FastifyReply,
    organisations: CsvOrganisationChoice[],
    values: Record<string, string | boolean>,
    errors: FieldError[],
  ) =>
    renderWithErrors(
      reply,
      'csv-exchange',
      { pageTitle: 'Import and export CSV files', kinds, organisations, values },
      errors,
    );

  app.get('/admin/csv', { config: page, schema: { hide: true } }, async (request, reply) => {
    const organisations = await csvExchange.organisations(requireActor(request));
    return form(reply, organisations, { dryRun: true }, []);
  });

  app.post(
    '/admin/csv',
    { config: page, schema: { hide: true, body: FormBodySchema } },
    async (request, reply) => {
      const actor = requireActor(request);
      const organisations = await csvExchange.organisations(actor);
      const body = request.body as FormBody;
      const values = {
        kind: text(body, 'kind'),
        organisationId: text(body, 'organisationId'),
        teamId: text(body, 'teamId'),
        csv: text(body, 'csv'),
        dryRun: checked(body, 'dryRun'),
      };
      const errors: FieldError[] = [];
      if (!isCsvKind(values.kind)) errors.push({ field: 'kind', message: 'Choose what the file holds' });
      if (!values.organisationId)
        errors.push({ field: 'organisationId', message: 'Choose the organisation' });
      if (!values.csv) errors.push({ field: 'csv', message: 'Paste the CSV file, its header row first' });
      if (errors.length) return form(reply, organisations, values, errors);
      try {
        const report = await csvExchange.importCsv(
          actor,
          values.kind as CsvKind,
          { organisationId: values.organisationId, teamId: values.teamId || null },
          values.csv,
          { dryRun: values.dryRun },
        );
        const organisation = organisations.find((o) => o.organisationId === values.organisationId);
        return reply.page('csv-exchange-result', {
          pageTitle: values.dryRun ? 'Dry run: what the import would do' : 'What was imported',
          report,
          kindLabel: CSV_KIND_LABELS[report.kind],
          organisationName: organisation?.name ?? '',
          // After a dry run, the same file can be imported from the results.
          values,
        });
      } catch (error) {
        return form(reply, organisations, values, csvFormErrors(error));
      }
    },
  );

  app.get(
    '/admin/csv/export',
    { config: page, schema: { hide: true, querystring: ExportQuery } },
    async (request, reply) => {
      const { kind, organisationId } = request.query;
      const done = await csvExchange.exportCsv(requireActor(request), kind, { organisationId });
      return reply
        .type(CSV_CONTENT_TYPE)
        .header('content-disposition', csvContentDisposition(`${done.organisationName} ${kind}`))
        .send(done.csv);
    },
  );
}

/** A refusal as errors on the form's fields; anything else is rethrown (a 403 is the error page). */
function csvFormErrors(error: unknown): FieldError[] {
  if (error instanceof CsvFileError)
    return [{ field: 'csv', message: `The file cannot be imported: ${error.message}` }];
  if (error instanceof ContractError) {
    return error.fields.map((f) =>
      f.field === 'teamId'
        ? { field: 'teamId', message: 'Choose a team from the list, or no team' }
        : { field: 'organisationId', message: 'Choose an organisation from the list' },
    );
  }
  if (error instanceof ServiceError && error.status !== 403 && error.status < 500 && error.field) {
    return [{ field: error.field, message: error.message }];
  }
  throw error;
}
