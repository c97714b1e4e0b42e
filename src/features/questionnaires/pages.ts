import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { initialForm, responseFromForm } from '../../domain/measures/questionnaire/form.js';
import { requireActor } from '../../http/request-actor.js';
import type { Services } from '../../services/index.js';
import { type FieldError, type FormBody, FormBodySchema, renderWithErrors, text } from '../../web/forms.js';
import { type QuestionnaireNode, questionnaireFormView } from '../../web/questionnaire-form.js';
import { ADMIN_ONLY } from '../admin/access.js';
import { auditRefusedAdminRoutes } from '../admin/refusals.js';
import { QuestionnaireParams, QuestionnaireRefParams } from './schema.js';
import {
  type LibraryQuestionnaire,
  QUESTIONNAIRE_READER_ROLES,
  type QuestionnaireAbout,
  QuestionnaireProblems,
} from './service.js';

/** The longest Questionnaire the import page takes (the form body limit is 100 kB). */
const MAX_JSON_CHARACTERS = 90_000;
const FIELD = 'questionnaire';

/** What a library questionnaire's source and scoring are, in words. */
function describe(q: Pick<LibraryQuestionnaire, 'builtIn' | 'instrumentKey' | 'scoring'>) {
  const source = q.builtIn ? 'Built in' : q.instrumentKey ? 'Licensed wording for a built-in' : 'Imported';
  const scoring =
    q.scoring.kind === 'instrument'
      ? 'By the built-in scoring'
      : q.scoring.kind === 'calculated'
        ? 'By its own calculated items'
        : q.scoring.kind === 'ordinal-sum'
          ? 'Sum of its answers’ values'
          : 'Not scored';
  return { source, scoringText: scoring };
}

/** Whose words the form shows, in a sentence. */
const WORDING_TEXT: Record<QuestionnaireAbout['wording'], string> = {
  shipped: 'The wording ships with WhatMatters, as its owner permits.',
  'structure-only':
    'Its owner does not let us publish the wording: WhatMatters ships the structure (the questions and answers, numbered, scored as published). An organisation that holds a licence loads the wording by importing a Questionnaire with the same url.',
  'licensed-here': 'The wording was loaded here under this organisation’s licence.',
  imported: 'Imported from elsewhere: the wording is as imported.',
};

const points = (n: number) => `${n} ${n === 1 ? 'point' : 'points'}`;

/** How change on this measure is judged (domain/measures/reliable-change.ts), in sentences. */
function reliableChangeText(about: QuestionnaireAbout): string[] {
  const rule = about.reliableChange;
  if (!rule) return [];
  const score = about.instrument?.scores.find((s) => s.key === rule.scoreKey)?.label ?? rule.scoreKey;
  const [better, worse] = rule.direction === 'lower-is-better' ? ['fall', 'rise'] : ['rise', 'fall'];
  const sentences = [
    `A ${better} of ${points(rule.reliableChange)} or more in the ${score.toLowerCase()} between two completions is a reliable improvement; a ${worse} of as much is a reliable deterioration; anything less is no reliable change.`,
  ];
  if (rule.caseness === null) {
    sentences.push('It has no clinical cut-off (caseness), so there is no recovery on it.');
  } else {
    const at = rule.direction === 'lower-is-better' ? 'or more' : 'or less';
    sentences.push(
      `At caseness means a ${score.toLowerCase()} of ${rule.caseness} ${at}. Recovery is being at caseness before and not after; reliable recovery is recovery with a reliable improvement.`,
    );
  }
  return sentences;
}

/** A preview asks nothing, so every question shows: the hint of one that applies only sometimes says when. */
function everyQuestionShown(nodes: readonly QuestionnaireNode[]): QuestionnaireNode[] {
  return nodes.map(({ showWhen: _when, ...node }) =>
    node.kind === 'group' ? { ...node, children: everyQuestionShown(node.children) } : node,
  );
}

/** A questionnaire's page: what it is, whose words, how it is scored, and its form to look at. */
function aboutView(about: QuestionnaireAbout, mayManage: boolean) {
  const q = about.questionnaire;
  const instrument = about.instrument;
  const ownText = (name: string) => {
    const value = q.resource[name];
    return typeof value === 'string' && value.trim() ? value.trim() : null;
  };
  const form = questionnaireFormView(q.questionnaire, initialForm(q.questionnaire));
  return {
    pageTitle: q.title,
    q: { ...q, ...describe(q) },
    measures: instrument?.measures ?? ownText('description') ?? ownText('purpose'),
    wordingText: WORDING_TEXT[about.wording],
    licence: instrument?.licence ?? null,
    copyright: instrument ? null : ownText('copyright'),
    scores: (instrument?.scores ?? []).map((s) => ({
      ...s,
      direction: s.higherIsBetter ? 'Higher is better' : 'Lower is better',
      bands: instrument?.bands[s.key] ?? [],
    })),
    unscoredItems: instrument?.unscoredItems.map((i) => i.label) ?? [],
    reliableChange: reliableChangeText(about),
    calculated: form.calculated,
    form: { ...form, nodes: everyQuestionShown(form.nodes) },
    manageHref: mayManage ? `/admin/questionnaires/${q.questionnaireId}` : null,
  };
}

/** The pasted text as JSON, or the error that says why it is not. */
function parsePasted(body: FormBody): { json?: unknown; raw: string; error?: FieldError } {
  const raw = text(body, FIELD);
  if (!raw) return { raw, error: { field: FIELD, message: 'Paste the Questionnaire’s JSON' } };
  if (raw.length > MAX_JSON_CHARACTERS) {
    return {
      raw: '',
      error: {
        field: FIELD,
        message: `The Questionnaire must be ${MAX_JSON_CHARACTERS.toLocaleString('en-GB')} characters or fewer`,
      },
    };
  }
  try {
    return { json: JSON.parse(raw), raw };
  } catch (error) {
    return { raw, error: { field: FIELD, message: `This is not JSON: ${(error as Error).message}` } };
  }
}

/**
 * The questionnaire library's pages. For staff, each questionnaire's page: what it measures, whose
 * words and on what licence, how it is scored and its form. For administrators: the list,
 * importing (paste, check, see what is not supported and a preview, then confirm), each
 * questionnaire with a preview a person can be tried on, and retiring. The service decides and
 * audits; these pages only adapt.
 */
export async function questionnairePages(parent: FastifyInstance, opts: { services: Services }) {
  // Each questionnaire's page, for staff: the catalogue of measures links its instruments here.
  parent.withTypeProvider<TypeBoxTypeProvider>().get(
    '/questionnaires/:questionnaire',
    {
      config: { access: { roles: QUESTIONNAIRE_READER_ROLES }, page: true },
      schema: { hide: true, params: QuestionnaireRefParams },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { questionnaires } = opts.services;
      const about = await questionnaires.about(actor, request.params.questionnaire);
      return reply.page('questionnaire-about', aboutView(about, questionnaires.permissions(actor).manage));
    },
  );

  await parent.register(async (scope) => {
    auditRefusedAdminRoutes(scope, opts.services);
    const app = scope.withTypeProvider<TypeBoxTypeProvider>();
    const { questionnaires } = opts.services;
    const page = { access: ADMIN_ONLY, page: true } as const;

    app.get(
      '/admin/questionnaires',
      {
        config: page,
        schema: {
          hide: true,
          querystring: Type.Object({
            retired: Type.Optional(Type.String({ format: 'uuid' })),
            reinstated: Type.Optional(Type.String({ format: 'uuid' })),
          }),
        },
      },
      async (request, reply) => {
        const all = await questionnaires.list(requireActor(request));
        const changed = all.find(
          (q) => q.questionnaireId === (request.query.retired ?? request.query.reinstated),
        );
        const banner =
          changed && request.query.retired && changed.status === 'retired'
            ? `${changed.title}, version ${changed.version}, is retired: it is no longer given for new measures.`
            : changed && request.query.reinstated && changed.status === 'active'
              ? `${changed.title}, version ${changed.version}, is given for new measures again.`
              : null;
        return reply.page('questionnaires', {
          pageTitle: 'Questionnaires',
          questionnaires: all.map((q) => ({ ...q, ...describe(q) })),
          banner,
        });
      },
    );

    const importForm = (
      reply: FastifyReply,
      raw: string,
      errors: FieldError[],
      problems: FieldError[] = [],
    ) =>
      renderWithErrors(
        reply,
        'questionnaire-import',
        { pageTitle: 'Import a questionnaire', raw, problems, maxLength: MAX_JSON_CHARACTERS },
        errors,
      );

    app.get(
      '/admin/questionnaires/import',
      { config: page, schema: { hide: true } },
      async (_request, reply) => importForm(reply, '', []),
    );

    // Step 1: check. Problems are shown on the form; an importable Questionnaire is shown with what
    // it does not support and as a person would see it, to confirm.
    app.post(
      '/admin/questionnaires/import',
      { config: page, schema: { hide: true, body: FormBodySchema } },
      async (request, reply) => {
        const { json, raw, error } = parsePasted(request.body);
        if (error) return importForm(reply, raw, [error]);
        const preview = await questionnaires.preview(requireActor(request), json);
        const { analysis, builtIn } = preview;
        const problems = [
          ...analysis.problems.map((p) => ({ field: p.path || '(the questionnaire)', message: p.message })),
          ...(builtIn?.differences ?? []).map((d) => ({
            field: 'item',
            message: `Differs from the built-in: ${d}`,
          })),
        ];
        if (problems.length || !analysis.questionnaire) {
          const count = problems.length;
          return importForm(
            reply,
            raw,
            [
              {
                field: FIELD,
                message: `This Questionnaire cannot be imported: ${count} ${count === 1 ? 'problem' : 'problems'}, listed below`,
              },
            ],
            problems,
          );
        }
        return reply.page('questionnaire-confirm', {
          pageTitle: `Import ${analysis.questionnaire.title ?? analysis.questionnaire.name ?? 'questionnaire'}`,
          raw,
          preview,
          form: questionnaireFormView(analysis.questionnaire, initialForm(analysis.questionnaire)),
        });
      },
    );

    // Step 2: confirm. The service checks everything again.
    app.post(
      '/admin/questionnaires/import/confirm',
      { config: page, schema: { hide: true, body: FormBodySchema } },
      async (request, reply) => {
        const { json, raw, error } = parsePasted(request.body);
        if (error) return importForm(reply, raw, [error]);
        try {
          const imported = await questionnaires.import(requireActor(request), json);
          return reply.redirect(`/admin/questionnaires/${imported.questionnaireId}?imported=1`, 303);
        } catch (failure) {
          if (!(failure instanceof QuestionnaireProblems)) throw failure;
          return importForm(
            reply,
            raw,
            [
              {
                field: FIELD,
                message: 'This Questionnaire cannot be imported: the problems are listed below',
              },
            ],
            failure.fields,
          );
        }
      },
    );

    const detail = async (
      reply: FastifyReply,
      q: LibraryQuestionnaire,
      extra: { fields?: FormBody; errors?: FieldError[]; scores?: unknown; imported?: boolean },
    ) =>
      renderWithErrors(
        reply,
        'questionnaire',
        {
          pageTitle: `${q.title}, version ${q.version}`,
          q: { ...q, ...describe(q) },
          form: questionnaireFormView(
            q.questionnaire,
            extra.fields ?? initialForm(q.questionnaire),
            extra.errors,
          ),
          scores: extra.scores ?? null,
          imported: extra.imported ?? false,
        },
        extra.errors ?? [],
      );

    app.get(
      '/admin/questionnaires/:questionnaireId',
      {
        config: page,
        schema: {
          hide: true,
          params: QuestionnaireParams,
          querystring: Type.Object({ imported: Type.Optional(Type.String({ maxLength: 1 })) }),
        },
      },
      async (request, reply) => {
        const q = await questionnaires.get(requireActor(request), request.params.questionnaireId);
        return detail(reply, q, { imported: request.query.imported === '1' });
      },
    );

    // Trying the form: the answers are checked and scored as a person's would be, and not kept.
    app.post(
      '/admin/questionnaires/:questionnaireId/preview',
      { config: page, schema: { hide: true, params: QuestionnaireParams, body: FormBodySchema } },
      async (request, reply) => {
        const q = await questionnaires.get(requireActor(request), request.params.questionnaireId);
        const { response, errors } = responseFromForm(q.questionnaire, request.body);
        if (errors.length) return detail(reply, q, { fields: request.body, errors });
        let scores: unknown;
        try {
          scores = questionnaires.score(q, response);
        } catch (failure) {
          if (!(failure instanceof RangeError)) throw failure;
          scores = { problem: failure.message };
        }
        return detail(reply, q, { fields: request.body, scores });
      },
    );

    app.post(
      '/admin/questionnaires/:questionnaireId/retire',
      { config: page, schema: { hide: true, params: QuestionnaireParams, body: FormBodySchema } },
      async (request, reply) => {
        const q = await questionnaires.retire(requireActor(request), request.params.questionnaireId);
        return reply.redirect(`/admin/questionnaires?retired=${q.questionnaireId}`, 303);
      },
    );

    app.post(
      '/admin/questionnaires/:questionnaireId/reinstate',
      { config: page, schema: { hide: true, params: QuestionnaireParams, body: FormBodySchema } },
      async (request, reply) => {
        const q = await questionnaires.reinstate(requireActor(request), request.params.questionnaireId);
        return reply.redirect(`/admin/questionnaires?reinstated=${q.questionnaireId}`, 303);
      },
    );
  });
}
