import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { type Actor, hasRole } from '../../domain/actor.js';
import {
  answersFromResponse,
  INSTRUMENTS,
  type Instrument,
  instrumentByUrl,
  isInstrumentKey,
  sameStructure,
} from '../../domain/measures/instruments/index.js';
import {
  analyseQuestionnaire,
  type ImportProblem,
  type QuestionnaireAnalysis,
  type UnsupportedFeature,
} from '../../domain/measures/questionnaire/analyse.js';
import { scoreQuestionnaire, scoringOf } from '../../domain/measures/questionnaire/score.js';
import { type ChangeDefinition, RELIABLE_CHANGE } from '../../domain/measures/reliable-change.js';
import type {
  InstrumentKey,
  MeasureScore,
  Questionnaire,
  QuestionnaireResponse,
} from '../../domain/measures/types.js';
import { STAFF_ROLES } from '../../domain/roles.js';
import { ContractError } from '../../services/contract.js';
import { forbidden, notFound } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import { ImportQuestionnaireContract, type QuestionnaireSummary } from './schema.js';
import type { QuestionnaireRow } from './store.js';
import * as store from './store.js';

export type { QuestionnaireSummary } from './schema.js';

/** How a library questionnaire is scored: by a built-in instrument's scoring, or by its own content. */
export type Scoring =
  | { kind: 'instrument'; instrumentKey: InstrumentKey }
  | { kind: 'calculated' | 'ordinal-sum' | 'none' };

/**
 * A questionnaire of the library as the measures use it: the Questionnaire as the engine reads it
 * (`questionnaire`: answer options from contained value sets filled in; render it with
 * web/questionnaire-form.ts and map forms with domain/measures/questionnaire/form.ts), the
 * resource as stored, and how it is scored.
 */
export interface LibraryQuestionnaire extends QuestionnaireSummary {
  questionnaire: Questionnaire;
  resource: Questionnaire;
}

/**
 * Who may read the library's pages about each questionnaire (what it measures, its licence, how it
 * is scored, its form): staff. People using services meet a questionnaire only when asked to fill
 * one in; the API's reads stay open to everyone signed in, as the measures they fill in need them.
 */
export const QUESTIONNAIRE_READER_ROLES = STAFF_ROLES;

/** What the actor may do with the library: pages and navigation ask, they never decide. */
export interface QuestionnairePermissions {
  /** Read the page about each questionnaire. */
  readAbout: boolean;
  /** Import, retire and reinstate (the administration pages). */
  manage: boolean;
}

/**
 * A questionnaire as its page describes it: the library's questionnaire, and for a built-in (or
 * licensed wording loaded for one) the instrument — what it measures, who owns its words and on
 * what terms, its scores and bands — and the reliable change it is judged by, where it has one.
 */
export interface QuestionnaireAbout {
  questionnaire: LibraryQuestionnaire;
  instrument: Instrument | null;
  /** Whose wording the form shows. */
  wording: 'shipped' | 'structure-only' | 'licensed-here' | 'imported';
  reliableChange: ChangeDefinition | null;
}

/** A Questionnaire that cannot be imported: 422, each problem named by its path in the Questionnaire. */
export class QuestionnaireProblems extends ContractError {
  override readonly status = 422 as const;
  override readonly title = 'Questionnaire cannot be imported';
}

/** What an import would do, shown to the administrator before they confirm it. */
export interface ImportPreview {
  analysis: QuestionnaireAnalysis;
  /** The built-in whose url it has: its wording is loaded for that built-in when the structure matches. */
  builtIn: { instrumentKey: InstrumentKey; title: string; differences: string[] } | null;
  /** The version it would be stored as, and whether that url is in the library already. */
  nextVersion: number;
  replaces: { questionnaireId: string; title: string; version: number } | null;
}

/** JSON with object keys sorted: jsonb keeps no key order, so stored and shipped compare by this. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const titleOf = (q: Questionnaire) => (q.title ?? q.name ?? 'Untitled questionnaire').trim();

/** A built-in's scoring is the domain's instrument, whatever wording its row holds. */
function scoringFor(row: Pick<QuestionnaireRow, 'instrumentKey'>, questionnaire: Questionnaire): Scoring {
  if (row.instrumentKey) return { kind: 'instrument', instrumentKey: row.instrumentKey };
  return { kind: scoringOf(questionnaire) };
}

/**
 * Scores a response: a built-in by its instrument's scoring over the answers' ordinal values
 * (domain/measures/instruments), anything else by its own calculatedExpression items or the sum
 * of its answers' ordinal values (domain/measures/questionnaire/score.ts). Throws a RangeError
 * naming the item when a built-in's response leaves a scored item unanswered.
 */
export function score(
  library: Pick<LibraryQuestionnaire, 'scoring' | 'questionnaire'>,
  response: QuestionnaireResponse,
): MeasureScore[] {
  if (library.scoring.kind === 'instrument') {
    const instrument = INSTRUMENTS[library.scoring.instrumentKey];
    return instrument.score(answersFromResponse(instrument, response));
  }
  return scoreQuestionnaire(library.questionnaire, response);
}

/**
 * The questionnaire library: the built-in instruments (put in at every start) and the FHIR
 * Questionnaires administrators import. Everyone signed in may read it; only administrators import,
 * retire and reinstate, and every import, change and refusal is audited.
 */
export class QuestionnaireService {
  /** Rows never change but for their status, so their analysis is kept by id. */
  private readonly analysed = new Map<string, Questionnaire>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditService,
  ) {}

  /**
   * Puts each built-in instrument in the library, and a new version when the product ships a
   * changed one, unless an administrator has loaded licensed wording since (that wording stays
   * current: its structure is the built-in's). Safe to run at every start.
   */
  async ensureBuiltIns(): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('whatmatters.questionnaires'))`.execute(trx);
      for (const instrument of Object.values(INSTRUMENTS)) {
        const url = instrument.questionnaire.url as string;
        const latest = await store.latestByUrl(trx, url);
        const shipped = canonicalJson(instrument.questionnaire);
        if (latest && (latest.importedByUserId !== null || canonicalJson(latest.resource) === shipped))
          continue;
        const analysis = analyseQuestionnaire(instrument.questionnaire);
        if (!analysis.questionnaire) {
          throw new Error(
            `The built-in ${instrument.key} Questionnaire does not import: ${analysis.problems.map((p) => `${p.path} ${p.message}`).join('; ')}`,
          );
        }
        await store.insertQuestionnaire(trx, {
          url,
          title: titleOf(instrument.questionnaire),
          instrumentKey: instrument.key,
          resource: instrument.questionnaire,
          unsupported: analysis.unsupported,
          importedByUserId: null,
        });
      }
    });
  }

  private library(row: QuestionnaireRow): LibraryQuestionnaire {
    let questionnaire = this.analysed.get(row.questionnaireId);
    if (!questionnaire) {
      // Stored rows were analysed at import; a built-in's shipped form is trusted as it is.
      questionnaire = analyseQuestionnaire(row.resource).questionnaire ?? row.resource;
      this.analysed.set(row.questionnaireId, questionnaire);
    }
    return {
      questionnaireId: row.questionnaireId,
      url: row.url,
      version: row.version,
      title: row.title,
      instrumentKey: row.instrumentKey,
      status: row.status,
      builtIn: row.importedByUserId === null,
      // The shipped row of a licence-required instrument holds structure only ("Statement 1 of 7"):
      // not something to put in front of a person until the licensed wording is loaded over it.
      wordingNeeded:
        row.instrumentKey !== null &&
        row.importedByUserId === null &&
        INSTRUMENTS[row.instrumentKey].wording === 'licence-required',
      scoring: scoringFor(row, questionnaire),
      unsupported: row.unsupported,
      importedAt: row.importedAt.toISOString(),
      questionnaire,
      resource: row.resource,
    };
  }

  private summary(row: QuestionnaireRow): QuestionnaireSummary {
    const { questionnaire: _q, resource: _r, ...summary } = this.library(row);
    return summary;
  }

  /** What the actor may do with the library. */
  permissions(actor: Actor): QuestionnairePermissions {
    return { readAbout: hasRole(actor, ...QUESTIONNAIRE_READER_ROLES), manage: hasRole(actor, 'admin') };
  }

  /**
   * A questionnaire for its page, by its id or, for a built-in, by the instrument's key (its current
   * version: licensed wording loaded for it wins). Staff only; a refusal is audited. Reading it is
   * not: it is reference data, about no one.
   */
  async about(actor: Actor, idOrKey: string): Promise<QuestionnaireAbout> {
    if (!this.permissions(actor).readAbout) {
      await this.audit.record(actor, {
        action: 'read-questionnaire',
        resourceType: 'questionnaire',
        resourceId: idOrKey,
        purpose: 'not staff',
        outcome: 'denied',
      });
      throw forbidden('read about questionnaires');
    }
    const questionnaire = isInstrumentKey(idOrKey)
      ? await this.currentFor(idOrKey)
      : await this.get(actor, idOrKey);
    const key = questionnaire.instrumentKey;
    const instrument = key ? INSTRUMENTS[key] : null;
    return {
      questionnaire,
      instrument,
      wording: !instrument
        ? 'imported'
        : !questionnaire.builtIn
          ? 'licensed-here'
          : instrument.wording === 'shipped'
            ? 'shipped'
            : 'structure-only',
      reliableChange: key ? (RELIABLE_CHANGE[key] ?? null) : null,
    };
  }

  /** Every questionnaire and version in the library, built-ins first. Anyone signed in. */
  async list(_actor: Actor): Promise<QuestionnaireSummary[]> {
    return (await store.allQuestionnaires(this.db)).map((row) => this.summary(row));
  }

  /** One questionnaire of the library, ready to render and score. Anyone signed in. */
  async get(_actor: Actor, questionnaireId: string): Promise<LibraryQuestionnaire> {
    const row = await store.questionnaireById(this.db, questionnaireId);
    if (!row) throw notFound('The questionnaire');
    return this.library(row);
  }

  /** Every questionnaire and version, each with its resource as stored (for /fhir). Anyone signed in. */
  async listWithResources(_actor: Actor): Promise<LibraryQuestionnaire[]> {
    return (await store.allQuestionnaires(this.db)).map((row) => this.library(row));
  }

  /** The FHIR Questionnaire as imported, with this library's id. */
  async fhir(actor: Actor, questionnaireId: string): Promise<Questionnaire> {
    const { resource } = await this.get(actor, questionnaireId);
    return { ...resource, id: questionnaireId };
  }

  /**
   * The questionnaire new measures are given with: the newest active version of a built-in (by
   * its key: licensed wording loaded for it wins, as the newer version) or of a url.
   */
  async currentFor(keyOrUrl: string): Promise<LibraryQuestionnaire> {
    const row = await store.currentActive(
      this.db,
      isInstrumentKey(keyOrUrl) ? { instrumentKey: keyOrUrl } : { url: keyOrUrl.split('|')[0] as string },
    );
    if (!row) throw notFound('The questionnaire');
    return this.library(row);
  }

  /** Scores a response to a library questionnaire (see `score`). */
  score(
    library: Pick<LibraryQuestionnaire, 'scoring' | 'questionnaire'>,
    response: QuestionnaireResponse,
  ): MeasureScore[] {
    return score(library, response);
  }

  /** What importing this JSON would do: the analysis, and what it means for a built-in. Admins only. */
  async preview(actor: Actor, json: unknown): Promise<ImportPreview> {
    await this.requireAdmin(actor, 'preview-questionnaire', null, 'import questionnaires');
    return this.previewOf(json);
  }

  private async previewOf(json: unknown): Promise<ImportPreview> {
    const analysis = analyseQuestionnaire(json);
    const q = analysis.questionnaire;
    const instrument = q?.url ? instrumentByUrl(q.url) : null;
    const builtIn =
      q && instrument
        ? {
            instrumentKey: instrument.key,
            title: instrument.title,
            differences: sameStructure(instrument.questionnaire, q),
          }
        : null;
    const latest = q?.url ? await store.latestByUrl(this.db, q.url.split('|')[0] as string) : null;
    return {
      analysis,
      builtIn,
      nextVersion: (latest?.version ?? 0) + 1,
      replaces: latest
        ? { questionnaireId: latest.questionnaireId, title: latest.title, version: latest.version }
        : null,
    };
  }

  /**
   * Imports a FHIR Questionnaire as the next version of its url. One with problems is refused (422,
   * each named by its path). One with a built-in's url loads licensed wording for that built-in
   * (scored the same way) when its structure matches, and is refused saying what differs when not.
   * Admins only.
   */
  async import(actor: Actor, json: unknown): Promise<LibraryQuestionnaire> {
    await this.requireAdmin(actor, 'import-questionnaire', null, 'import questionnaires');
    const { questionnaire, builtIn, resource, url, unsupported } = await this.importable(actor, json);
    const questionnaireId = await this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('whatmatters.questionnaires'))`.execute(trx);
      const { questionnaireId: id } = await store.insertQuestionnaire(trx, {
        url,
        title: titleOf(questionnaire),
        instrumentKey: builtIn?.instrumentKey ?? null,
        resource,
        unsupported,
        importedByUserId: actor.userId,
      });
      await this.audit.record(
        actor,
        { action: 'import-questionnaire', resourceType: 'questionnaire', resourceId: id },
        trx,
      );
      return id;
    });
    return this.get(actor, questionnaireId);
  }

  /**
   * What importing this JSON would put in the library, checked exactly as `import` checks it but
   * not stored, under a made-up id: a dry run of a bulk import scores the responses to it against
   * it. Admins only; refused as `import` refuses.
   */
  async wouldImport(actor: Actor, json: unknown): Promise<LibraryQuestionnaire> {
    await this.requireAdmin(actor, 'import-questionnaire', null, 'import questionnaires');
    const { questionnaire, builtIn, resource, url, unsupported, nextVersion } = await this.importable(
      actor,
      json,
    );
    const instrumentKey = builtIn?.instrumentKey ?? null;
    return {
      questionnaireId: randomUUID(),
      url,
      version: nextVersion,
      title: titleOf(questionnaire),
      instrumentKey,
      status: 'active',
      builtIn: false,
      wordingNeeded: false,
      scoring: scoringFor({ instrumentKey }, questionnaire),
      unsupported,
      importedAt: new Date().toISOString(),
      questionnaire,
      resource,
    };
  }

  /** The checks of an import: refused (422 naming each problem by its path, audited) or what to store. */
  private async importable(actor: Actor, json: unknown) {
    ImportQuestionnaireContract.check(json);
    const { analysis, builtIn, nextVersion } = await this.previewOf(json);
    const problems: ImportProblem[] = [...analysis.problems];
    if (builtIn?.differences.length) {
      problems.push(
        ...builtIn.differences.map((difference) => ({
          path: 'item',
          message: `It has the url of the built-in ${builtIn.title}, but its structure differs: ${difference}`,
        })),
      );
    }
    const questionnaire = analysis.questionnaire;
    if (problems.length || !questionnaire) {
      await this.audit.record(actor, {
        action: 'import-questionnaire',
        resourceType: 'questionnaire',
        resourceId: (json as { url?: unknown })?.url
          ? String((json as { url: unknown }).url).slice(0, 200)
          : null,
        purpose: 'not importable',
        outcome: 'failure',
      });
      throw new QuestionnaireProblems(problems.map((p) => ({ field: p.path, message: p.message })));
    }
    return {
      questionnaire,
      builtIn,
      nextVersion,
      resource: json as Questionnaire,
      url: questionnaire.url?.split('|')[0] ?? `urn:uuid:${randomUUID()}`,
      unsupported: analysis.unsupported as UnsupportedFeature[],
    };
  }

  /** Retires a questionnaire version: no longer given for new measures; responses keep it. Admins only. */
  async retire(actor: Actor, questionnaireId: string): Promise<LibraryQuestionnaire> {
    return this.setStatus(actor, questionnaireId, 'retired', 'retire-questionnaire', 'retire questionnaires');
  }

  /** Offers a retired questionnaire version again. Admins only. */
  async reinstate(actor: Actor, questionnaireId: string): Promise<LibraryQuestionnaire> {
    return this.setStatus(
      actor,
      questionnaireId,
      'active',
      'reinstate-questionnaire',
      'bring back questionnaires',
    );
  }

  private async setStatus(
    actor: Actor,
    questionnaireId: string,
    status: 'active' | 'retired',
    action: string,
    what: string,
  ): Promise<LibraryQuestionnaire> {
    await this.requireAdmin(actor, action, questionnaireId, what);
    await this.get(actor, questionnaireId);
    await this.db.transaction().execute(async (trx) => {
      await store.setStatus(trx, questionnaireId, status);
      await this.audit.record(
        actor,
        { action, resourceType: 'questionnaire', resourceId: questionnaireId },
        trx,
      );
    });
    return this.get(actor, questionnaireId);
  }

  /** Refuses, and audits the refusal, unless the actor is an administrator. */
  private async requireAdmin(actor: Actor, action: string, resourceId: string | null, what: string) {
    if (hasRole(actor, 'admin')) return;
    await this.audit.record(actor, {
      action,
      resourceType: 'questionnaire',
      resourceId,
      purpose: 'not an administrator',
      outcome: 'denied',
    });
    throw forbidden(what);
  }
}
