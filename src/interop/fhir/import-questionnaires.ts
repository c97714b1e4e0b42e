import type { Questionnaire } from '@medplum/fhirtypes';
import type { Actor } from '../../domain/actor.js';
import {
  countInto,
  type FhirResourceLike,
  type ImportReport,
  noteSkip,
} from '../../domain/interop/fhir-import.js';
import type { ResponseContent } from '../../features/measures/fhir-questionnaire-response.js';
import { importOf } from '../../features/questionnaires/fhir-questionnaire.js';
import type { LibraryQuestionnaire, QuestionnaireService } from '../../features/questionnaires/service.js';
import { ServiceError } from '../../services/errors.js';

/**
 * Bulk import of Questionnaires (bulk-import.ts calls `importQuestionnaires` with the input's
 * Questionnaires before anyone's record), so the responses to an administrator's own questionnaire
 * travel with it instead of being skipped as answering an unknown one.
 *
 * A questionnaire keeps its content, not its number: the library numbers each url's versions itself
 * (a QuestionnaireResponse here names `url|version`), so the version the source gave may be taken
 * here already by another content. Each input Questionnaire therefore becomes, in order:
 * - the library's version of the same url with the same content, when there is one (unchanged: a
 *   second import changes nothing);
 * - for the url of a built-in instrument, the library's version with the same number, else its
 *   current one (unchanged: built-ins ship with the product and are never imported over in bulk);
 * - otherwise the url's next version, imported as an administrator imports one (checked, audited).
 * The responses that name the input's `url|version`, or `Questionnaire/{id}`, are then scored
 * against what it became (`QuestionnaireAliases`). One that cannot be imported is skipped with its
 * problems, and so are the responses to it.
 *
 * A dry run checks each as an import would and scores the responses against what it would store,
 * writing nothing.
 */

/** What the input's names for a questionnaire (`id:{id}`, `canonical:{url}|{version}`) are here. */
export type QuestionnaireAliases = Map<string, LibraryQuestionnaire>;

/**
 * What a response's `questionnaire` names, among the input's questionnaires: by id (ours are uuids;
 * another system's `Questionnaire/{id}` reads as an unversioned url), or by `url|version`, or by the
 * url alone (the input's questionnaire of that url).
 */
export function aliasOf(
  aliases: QuestionnaireAliases,
  named: ResponseContent['questionnaire'],
): LibraryQuestionnaire | undefined {
  if ('questionnaireId' in named) return aliases.get(`id:${named.questionnaireId}`);
  const byId = named.version === null ? /(?:^|\/)Questionnaire\/([^/|]+)$/.exec(named.url) : null;
  return (
    aliases.get(`canonical:${named.url}|${named.version ?? ''}`) ??
    (byId ? aliases.get(`id:${byId[1]}`) : undefined)
  );
}

/** The fields that say what a questionnaire asks, not which copy of it this is. */
const IDENTITY = new Set(['id', 'meta', 'version', 'status', 'date', 'text']);

/** JSON with sorted keys and without the identity fields, so equal content compares equal. */
export function contentOf(resource: object): string {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (value && typeof value === 'object')
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
      );
    return value;
  };
  const top = Object.fromEntries(Object.entries(resource).filter(([k]) => !IDENTITY.has(k)));
  return JSON.stringify(sorted(top));
}

interface QuestionnaireImport {
  questionnaires: QuestionnaireService;
  importer: Actor;
  report: ImportReport;
  dryRun: boolean;
  /** The library as read before the import; what is imported is added to it. */
  library: LibraryQuestionnaire[];
  aliases: QuestionnaireAliases;
  /** In a dry run: the ids of what it would import (not stored, so nothing may point at them). */
  pending: Set<string>;
}

export async function importQuestionnaires(
  run: QuestionnaireImport,
  input: readonly { r: FhirResourceLike; w: string }[],
): Promise<void> {
  for (const { r, w } of input) {
    const resource = r as unknown as Questionnaire;
    const url = typeof resource.url === 'string' ? resource.url.split('|')[0] : undefined;
    const names = [
      ...(resource.id ? [`id:${resource.id}`] : []),
      ...(url ? [`canonical:${url}|${resource.version ?? ''}`, `canonical:${url}|`] : []),
    ];
    const known = url ? heldAs(run.library, url, resource) : undefined;
    if (known) {
      for (const name of names) run.aliases.set(name, known);
      countInto(run.report.unchanged, 'Questionnaire');
      continue;
    }
    try {
      const json = importOf(resource);
      const entry = run.dryRun
        ? await run.questionnaires.wouldImport(run.importer, json)
        : await run.questionnaires.import(run.importer, json);
      run.library.push(entry);
      if (run.dryRun) run.pending.add(entry.questionnaireId);
      for (const name of names) run.aliases.set(name, entry);
      countInto(run.report.imported, 'Questionnaire');
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      noteSkip(run.report, {
        type: 'Questionnaire',
        id: resource.id ?? '',
        where: w,
        reason: `The Questionnaire was not imported: ${error.message}`,
        ...(error.field ? { element: `Questionnaire.${error.field}` } : {}),
      });
    }
  }
}

/** The library's version the input's questionnaire already is (see the module's comment), if any. */
function heldAs(
  library: readonly LibraryQuestionnaire[],
  url: string,
  resource: Questionnaire,
): LibraryQuestionnaire | undefined {
  const versions = library.filter((q) => q.url === url).sort((a, b) => b.version - a.version);
  const content = contentOf(importOf(resource));
  const same = versions.find((q) => contentOf(importOf(q.resource as unknown as Questionnaire)) === content);
  if (same) return same;
  if (!versions.some((q) => q.instrumentKey !== null)) return undefined;
  return (
    versions.find((q) => String(q.version) === resource.version) ??
    versions.find((q) => q.status === 'active') ??
    versions[0]
  );
}
