import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Actor } from '../../domain/actor.js';
import { COMMUNITY_STAFF_ROLES } from '../../domain/community/resource-access.js';
import { requireActor } from '../../http/request-actor.js';
import { ServiceError } from '../../services/errors.js';
import type { Services } from '../../services/index.js';
import { checked, type FieldError, FormBodySchema, renderWithErrors, text } from '../../web/forms.js';
import { CommunityFileError } from './csv-columns.js';
import type { CommunityImportReport } from './exchange-service.js';

/** The file name of a download: the directory and the day it was taken. */
const attachment = (extension: string) =>
  `attachment; filename="community-directory-${new Date().toISOString().slice(0, 10)}.${extension}"`;

/**
 * The community directory as files (docs/COMMUNITY.md, "Exchanging the directory"): anyone may
 * download what they may see, as CSV or Open Referral UK JSON; staff import a file for their
 * organisations (administrators, any organisation's) from a page with a dry run and a report of
 * each refused row. The file's text is pasted into the form, as on the CSV exchange page: the
 * service takes no multipart uploads. The exchange service decides who may import, and audits it.
 */
export async function communityExchangePages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { communityExchange } = opts.services;

  for (const [format, extension] of [
    ['csv', 'csv'],
    ['openreferral', 'json'],
  ] as const) {
    app.get(
      `/community/export.${extension}`,
      { config: { access: 'public' }, schema: { hide: true } },
      async (request, reply) => {
        const done = await communityExchange.exportDirectory(request.actor ?? null, format);
        return reply
          .type(done.contentType)
          .header('content-disposition', attachment(extension))
          .header('cache-control', 'no-store')
          .send(done.content);
      },
    );
  }

  const form = async (
    reply: FastifyReply,
    actor: Actor,
    values: { content: string; organisationId: string; dryRun: boolean },
    errors: FieldError[],
    report: CommunityImportReport | null = null,
  ) => {
    const organisations = await communityExchange.organisationChoices(actor);
    return renderWithErrors(
      reply,
      'community-import',
      {
        pageTitle: report
          ? report.dryRun
            ? 'Dry run: what the import would do'
            : 'What was imported'
          : 'Import directory entries',
        values,
        report,
        organisationItems: [
          {
            value: '',
            text: organisations.length === 1 ? 'As the file says' : 'As the file says, or choose',
          },
          ...organisations.map((o) => ({
            value: o.organisationId,
            text: o.name,
            selected: o.organisationId === values.organisationId,
          })),
        ],
      },
      errors,
    );
  };

  app.get(
    '/community/manage/import',
    { config: { access: { roles: COMMUNITY_STAFF_ROLES }, page: true }, schema: { hide: true } },
    async (request, reply) => {
      const actor = requireActor(request);
      // The service refuses staff of no organisation, and audits it, as it would the post.
      await communityExchange.assertMayImport(actor);
      return form(reply, actor, { content: '', organisationId: '', dryRun: true }, []);
    },
  );

  app.post(
    '/community/manage/import',
    { config: { access: 'signed-in', page: true }, schema: { hide: true, body: FormBodySchema } },
    async (request, reply) => {
      const actor = requireActor(request);
      const values = {
        content: text(request.body, 'content'),
        organisationId: text(request.body, 'organisationId'),
        dryRun: checked(request.body, 'dryRun'),
      };
      if (!values.content.trim()) {
        await communityExchange.assertMayImport(actor);
        return form(reply, actor, values, [
          {
            field: 'content',
            message: 'Paste the file: a CSV file with its header row first, or Open Referral UK JSON',
          },
        ]);
      }
      try {
        const report = await communityExchange.importFile(actor, values.content, {
          dryRun: values.dryRun,
          organisationId: values.organisationId || null,
        });
        return form(reply, actor, values, [], report);
      } catch (error) {
        if (error instanceof CommunityFileError) {
          return form(reply, actor, values, [
            { field: 'content', message: `The file cannot be imported: ${error.message}` },
          ]);
        }
        if (error instanceof ServiceError && error.status !== 403 && error.status < 500 && error.field) {
          return form(reply, actor, values, [{ field: 'organisationId', message: error.message }]);
        }
        throw error;
      }
    },
  );
}
