import type { Questionnaire } from '@medplum/fhirtypes';
import { isUuid } from '../../domain/interop/fhir-ids.js';
import type { SearchParamDefinition } from '../../domain/interop/fhir-search.js';
import type { FhirContext, FhirHandler } from '../../interop/fhir/handler.js';
import { matchesSearch } from '../../interop/fhir/person-resources.js';
import { ServiceError } from '../../services/errors.js';
import type { LibraryQuestionnaire } from './service.js';

/**
 * Questionnaire: the library's questionnaires, each version its own resource, as stored (imported
 * or shipped) with the library's identity over it: id, url, version (the library's version of the
 * url, which is what a QuestionnaireResponse here names as `url|version`) and status (active, or
 * retired once no longer given). Create imports one, as the administration page does (admins only);
 * there is no update: a changed questionnaire is imported as the next version.
 */
export function questionnaireOf(q: LibraryQuestionnaire): Questionnaire {
  const { id: _id, meta: _meta, ...stored } = q.resource as unknown as Questionnaire;
  return {
    ...stored,
    resourceType: 'Questionnaire',
    id: q.questionnaireId,
    meta: { versionId: '1', lastUpdated: new Date(q.importedAt).toISOString() },
    url: q.url,
    version: String(q.version),
    title: stored.title ?? q.title,
    status: q.status === 'retired' ? 'retired' : 'active',
  };
}

/** The canonical reference to one version: `url|version`, as responses here name it. */
export const canonicalOf = (q: Pick<LibraryQuestionnaire, 'url' | 'version'>) => `${q.url}|${q.version}`;

const token = (value: string | undefined) => (value ? [{ code: value }] : []);

const params: SearchParamDefinition<Questionnaire>[] = [
  {
    name: 'url',
    type: 'token',
    documentation: 'The canonical url (any version)',
    valuesOf: (q) => token(q.url),
  },
  {
    name: 'version',
    type: 'token',
    documentation: 'The library’s version of the url',
    valuesOf: (q) => token(q.version),
  },
  {
    name: 'name',
    type: 'string',
    documentation: 'The computer-friendly name, from its start',
    valuesOf: (q) => (q.name ? [q.name] : []),
  },
  {
    name: 'title',
    type: 'string',
    documentation: 'The title, from its start',
    valuesOf: (q) => (q.title ? [q.title] : []),
  },
  { name: 'status', type: 'token', documentation: 'active or retired', valuesOf: (q) => token(q.status) },
];

async function readQuestionnaire(ctx: FhirContext, id: string): Promise<Questionnaire | null> {
  if (!isUuid(id)) return null;
  try {
    return questionnaireOf(await ctx.services.questionnaires.get(ctx.actor, id));
  } catch (error) {
    if (error instanceof ServiceError && error.status === 404) return null;
    throw error;
  }
}

async function all(ctx: FhirContext): Promise<Questionnaire[]> {
  return (await ctx.services.questionnaires.listWithResources(ctx.actor)).map(questionnaireOf);
}

/** What an import takes: the resource as sent, without the identity this library gives it. */
export function importOf(resource: Questionnaire): Record<string, unknown> {
  const { id: _id, meta, ...rest } = resource;
  const kept = meta?.profile ? { meta: { profile: meta.profile } } : {};
  return { ...rest, ...kept };
}

export const questionnaireFhir: FhirHandler<Questionnaire> = {
  type: 'Questionnaire',
  documentation:
    'The questionnaire library (built-in measures and imported questionnaires), each version its own resource. Create imports a Questionnaire as the next version of its url (administrators only); no update.',
  searchParams: params,
  searchNeedsPatient: false,
  keepsHistory: false,
  read: readQuestionnaire,
  async history(ctx, id) {
    const current = await readQuestionnaire(ctx, id);
    return current ? [current] : [];
  },
  async search(ctx, search) {
    const matches = (await all(ctx)).filter((q) => matchesSearch(q, search, params));
    return {
      resources: matches.slice(search.offset, search.offset + search.count),
      hasMore: matches.length > search.offset + search.count,
      total: matches.length,
    };
  },
  async create(ctx, resource) {
    const imported = await ctx.services.questionnaires.import(ctx.actor, importOf(resource));
    return questionnaireOf(imported);
  },
  async listPage(ctx, offset, count) {
    return (await all(ctx)).slice(offset, offset + count);
  },
};
