import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import { INSTRUMENTS } from '../../domain/measures/instruments/index.js';
import {
  type CompletedBy,
  effectiveDueOn,
  type MeasureDueStatus,
  type MeasureOccasion,
  type MeasureRequestStatus,
  matchingRequest,
  measureDueStatus,
  type NewRequest,
  requestAfterCompletion,
  requestAtEnd,
  requestsOnScheduling,
} from '../../domain/measures/measure-requests.js';
import { responseFromAnswers, responseProblem } from '../../domain/measures/response-checks.js';
import type { InstrumentKey, MeasureScore, QuestionnaireResponse } from '../../domain/measures/types.js';
import { invalid, notFound, ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import type {
  LibraryQuestionnaire,
  QuestionnaireService,
  QuestionnaireSummary,
} from '../questionnaires/service.js';
import {
  type AccessGrant,
  careStaffIds,
  isCareStaff,
  type PersonAccess,
  type RecordScope,
} from '../record-access/person-access.js';
import { bandLabelOf, changeOf, type ScoreChange } from './change.js';
import {
  EndOfSupportContract,
  type EndOfSupportInput,
  RecordMeasureContract,
  type RecordMeasureInput,
  RequestMeasureContract,
  type RequestMeasureInput,
  ScheduleMeasureContract,
  type ScheduleMeasureInput,
} from './schema.js';
import type { StoredRequest, StoredScore } from './store.js';

export type { StoredScore } from './store.js';

import * as store from './store.js';

export type { LibraryQuestionnaire } from '../questionnaires/service.js';
export type { RecordMeasureInput, RequestMeasureInput, ScheduleMeasureInput } from './schema.js';

export interface RecordedScore extends MeasureScore {
  bandLabel: string | null;
}

export interface MeasureRecorded {
  responseId: string;
  requestId: string | null;
  scores: RecordedScore[];
}

export interface ScorePoint {
  responseId: string;
  observedOn: string;
  value: number;
  band: string | null;
  bandLabel: string | null;
  completedBy: CompletedBy;
  recordedBy: string;
}

/** One score of a measure over time (PHQ-9: the total; ONS4: each question), with the change. */
export interface ScoreSeries {
  key: string;
  label: string;
  points: ScorePoint[];
  change: ScoreChange | null;
}

export interface PersonMeasure {
  questionnaireId: string;
  title: string;
  instrument: InstrumentKey | null;
  series: ScoreSeries[];
}

export interface MeasureRequestView {
  requestId: string;
  questionnaireId: string;
  title: string;
  instrument: InstrumentKey | null;
  scheduleId: string | null;
  occasion: MeasureOccasion;
  dueOn: string | null;
  effectiveDueOn: string | null;
  dueStatus: MeasureDueStatus;
  sentToPerson: boolean;
  status: MeasureRequestStatus;
  responseId: string | null;
  createdAt: string;
}

export interface MeasureScheduleView {
  scheduleId: string;
  questionnaireId: string;
  title: string;
  instrument: InstrumentKey | null;
  atStart: boolean;
  atReview: boolean;
  atEnd: boolean;
  createdAt: string;
}

export interface PersonMeasures {
  measures: PersonMeasure[];
  requests: MeasureRequestView[];
  schedules: MeasureScheduleView[];
}

/** What the caseload shows of one person's requested measures. */
export interface CaseloadMeasureFlags {
  overdue: number;
  due: number;
}

/** What the forms for administering, sending and scheduling a measure are built from. */
export interface MeasureForm {
  grant: AccessGrant;
  /** What may be filled in, sent or scheduled. */
  questionnaires: QuestionnaireSummary[];
  /** Built-ins that cannot be until their licensed wording is loaded (named on the page, not offered). */
  awaitingWording: QuestionnaireSummary[];
}

/**
 * Standard measures administered to people: a practitioner fills one in with the person, or asks
 * for one (sent to the person to complete in their own view, or scheduled on the plan at the start,
 * each review and the end); each completed measure is stored as a FHIR QuestionnaireResponse and its
 * scores as observations over time. Access is the record's: the care team administers and asks;
 * the person completes what was sent to them; whoever may view the record sees the scores. Every
 * call is checked and audited by PersonAccess (refusals as refused), and every write is audited
 * in its own transaction.
 */
export class MeasureService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly access: PersonAccess,
    private readonly audit: AuditService,
    private readonly questionnaires: QuestionnaireService,
  ) {}

  // ——— the library ———

  /** The measure a use case names: a built-in instrument by key or a questionnaire by id, one of them. */
  private async questionnaireNamed(
    actor: Actor,
    input: { instrument?: InstrumentKey; questionnaireId?: string },
  ): Promise<LibraryQuestionnaire> {
    if (input.instrument && input.questionnaireId) {
      throw invalid('Give the instrument or the questionnaire id, not both.', 'instrument');
    }
    if (!input.instrument && !input.questionnaireId) {
      throw invalid('Choose a measure: give the instrument or the questionnaire id.', 'instrument');
    }
    const field = input.instrument ? 'instrument' : 'questionnaireId';
    let found: LibraryQuestionnaire;
    try {
      found = input.instrument
        ? await this.questionnaires.currentFor(input.instrument)
        : await this.questionnaires.get(actor, input.questionnaireId as string);
    } catch (error) {
      if (error instanceof ServiceError && error.status === 404) {
        throw invalid('No such questionnaire is in the library.', field);
      }
      throw error;
    }
    if (found.status !== 'active')
      throw invalid('That questionnaire is retired: use its current version.', field);
    if (found.wordingNeeded) {
      throw invalid(
        `${found.title} cannot be used until an administrator loads its licensed wording: only its structure is shipped.`,
        field,
      );
    }
    return found;
  }

  /** Scores of a response, with their bands' words (scoring is the questionnaire library's). */
  private scoresOf(questionnaire: LibraryQuestionnaire, response: QuestionnaireResponse): RecordedScore[] {
    return this.questionnaires
      .score(questionnaire, response)
      .map((s) => ({ ...s, bandLabel: bandLabelOf(questionnaire.instrumentKey, s.key, s.band) }));
  }

  /** The response a RecordMeasure input gives, checked against the questionnaire, and its scores. */
  private answered(
    questionnaire: LibraryQuestionnaire,
    input: RecordMeasureInput,
    authoredOn: string,
  ): { response: QuestionnaireResponse; scores: RecordedScore[] } {
    if (input.answers && input.response) {
      throw invalid('Give the answers or the response, not both.', 'answers');
    }
    let response: QuestionnaireResponse;
    if (input.answers) {
      if (!questionnaire.instrumentKey) {
        throw invalid(
          'Answers as numbers are taken only for the built-in instruments: send the QuestionnaireResponse.',
          'answers',
        );
      }
      const built = responseFromAnswers(questionnaire.questionnaire, input.answers, authoredOn);
      if ('problem' in built) throw invalid(built.problem.message, built.problem.field);
      response = built.response;
    } else if (input.response) {
      const problem = responseProblem(questionnaire.questionnaire, input.response as QuestionnaireResponse);
      if (problem) throw invalid(problem.message, problem.field);
      response = { ...(input.response as QuestionnaireResponse), authored: authoredOn };
    } else {
      throw invalid('Give the answers, or the QuestionnaireResponse.', 'answers');
    }
    // The canonical reference to the version answered: url|version in this library.
    response.questionnaire = `${questionnaire.url}|${questionnaire.version}`;
    try {
      return { response, scores: this.scoresOf(questionnaire, response) };
    } catch (error) {
      if (error instanceof RangeError) {
        // The instruments name the answer at fault ("answers.3: …", "item "phq9-4" is not answered").
        const match = /^(answers(?:\.\d+)?): (.*)$/.exec(error.message);
        if (match && input.answers) throw invalid(match[2] as string, match[1]);
        throw invalid(error.message, input.answers ? 'answers' : 'response.item');
      }
      throw error;
    }
  }

  // ——— recording a completed measure ———

  /** To fill in a measure with the person: checked as recording one is. */
  async recordForm(actor: Actor, personId: string): Promise<MeasureForm> {
    const grant = await this.access.require(actor, personId, 'manage', 'open-measure-form');
    const newest = await this.administrable(actor);
    return {
      grant,
      questionnaires: newest.filter((q) => !q.wordingNeeded),
      awaitingWording: newest.filter((q) => q.wordingNeeded),
    };
  }

  /** What may be administered: the newest active version of each questionnaire, built-ins first. */
  private async administrable(actor: Actor): Promise<QuestionnaireSummary[]> {
    const newest = new Map<string, QuestionnaireSummary>();
    for (const q of await this.questionnaires.list(actor)) {
      if (q.status !== 'active') continue;
      const seen = newest.get(q.url);
      if (!seen || q.version > seen.version) newest.set(q.url, q);
    }
    return [...newest.values()];
  }

  /** One questionnaire of the library to fill in, ready to render (reference data: no person's record). */
  async questionnaire(actor: Actor, questionnaireId: string): Promise<LibraryQuestionnaire> {
    return this.questionnaires.get(actor, questionnaireId);
  }

  /**
   * A completed measure. The care team records one filled in with the person; the person records
   * one that was sent to them, in their own view. It completes the request it names, or the open
   * request for the same measure due first; a review request completed opens the next review's.
   */
  async record(actor: Actor, personId: string, input: RecordMeasureInput): Promise<MeasureRecorded> {
    RecordMeasureContract.check(input);
    const self = actor.personId === personId;
    const grant = await this.access.require(
      actor,
      personId,
      self ? 'contribute' : 'manage',
      'record-measure',
    );
    const completedBy: CompletedBy = grant.relation.kind === 'self' ? 'person' : 'practitioner-with-person';
    const questionnaire = await this.questionnaireNamed(actor, input);
    const today = todayIso();
    const authoredOn = input.authoredOn ?? today;
    if (authoredOn > today) throw invalid('The day it was completed cannot be in the future.', 'authoredOn');
    if (completedBy === 'person' && input.authoredOn && input.authoredOn !== today) {
      throw invalid('A measure you fill in yourself is dated today.', 'authoredOn');
    }
    const { response, scores } = this.answered(questionnaire, input, authoredOn);
    if (input.conversationId && !(await store.conversationExists(this.db, grant, input.conversationId))) {
      throw invalid('That conversation is not in this person’s record.', 'conversationId');
    }
    const request = await this.requestCompleted(
      grant,
      questionnaire.questionnaireId,
      input.requestId,
      completedBy,
    );
    const schedule = request?.scheduleId
      ? ((await store.schedulesOf(this.db, grant)).find((s) => s.scheduleId === request.scheduleId) ?? null)
      : null;
    const responseId = randomUUID();
    response.id = responseId;
    await this.db.transaction().execute(async (trx) => {
      await store.insertResponses(trx, [
        {
          personId,
          responseId,
          questionnaireId: questionnaire.questionnaireId,
          resource: response,
          authoredOn,
          recordedByUserId: actor.userId,
          completedBy,
          requestId: request?.requestId ?? null,
          conversationId: input.conversationId ?? null,
        },
      ]);
      await store.insertScores(
        trx,
        scores.map((s) => ({
          personId,
          responseId,
          scoreKey: s.key,
          instrument: questionnaire.instrumentKey,
          questionnaireId: questionnaire.questionnaireId,
          value: s.value,
          band: s.band,
          observedOn: authoredOn,
        })),
      );
      if (request) {
        await store.completeRequest(trx, grant, request.requestId, responseId);
        const next = requestAfterCompletion(request, schedule, authoredOn);
        if (next) {
          await store.insertRequests(trx, [
            this.requestRow(
              personId,
              questionnaire.questionnaireId,
              request.scheduleId,
              next,
              request.sentToPerson,
              actor,
            ),
          ]);
        }
      }
      await this.audit.record(
        actor,
        {
          action: 'record-measure',
          resourceType: 'questionnaire_response',
          resourceId: responseId,
          personId,
        },
        trx,
      );
    });
    return { responseId, requestId: request?.requestId ?? null, scores };
  }

  /** The open request a measure completes; the person may complete only what was sent to them. */
  private async requestCompleted(
    scope: RecordScope,
    questionnaireId: string,
    requestId: string | undefined,
    completedBy: CompletedBy,
  ): Promise<StoredRequest | null> {
    const byPerson = completedBy === 'person';
    if (requestId) {
      const named = await store.requestById(this.db, scope, requestId);
      if (!named || (byPerson && !named.sentToPerson))
        throw invalid('No such request for this person.', 'requestId');
      if (named.status !== 'open') throw invalid('That request is already closed.', 'requestId');
      if (named.questionnaireId !== questionnaireId) {
        throw invalid('That request is for a different measure.', 'requestId');
      }
      return named;
    }
    const open = (await store.openRequestsOf(this.db, scope)).filter((r) => !byPerson || r.sentToPerson);
    const nextReview = await store.nextReviewOf(this.db, scope);
    const matched = matchingRequest(open, questionnaireId, nextReview);
    if (!matched && byPerson) {
      throw invalid(
        'This questionnaire has not been sent to you to fill in.',
        byPerson ? 'questionnaireId' : 'requestId',
      );
    }
    return matched;
  }

  private requestRow(
    personId: string,
    questionnaireId: string,
    scheduleId: string | null,
    request: NewRequest,
    sentToPerson: boolean,
    actor: Actor,
  ): store.NewRequestRow {
    return {
      personId,
      requestId: randomUUID(),
      questionnaireId,
      scheduleId,
      ...request,
      sentToPerson,
      createdByUserId: actor.userId,
    };
  }

  // ——— asking for measures ———

  /** Asks for a measure once: sent to the person to fill in themselves (the default), due on a day. */
  async requestMeasure(actor: Actor, personId: string, input: RequestMeasureInput): Promise<string> {
    RequestMeasureContract.check(input);
    const grant = await this.access.require(actor, personId, 'manage', 'request-measure');
    const questionnaire = await this.questionnaireNamed(actor, input);
    const dueOn = input.dueOn ?? todayIso();
    const row = this.requestRow(
      grant.personId,
      questionnaire.questionnaireId,
      null,
      { occasion: 'one-off', dueOn, notBefore: null },
      input.sendToPerson ?? true,
      actor,
    );
    await this.db.transaction().execute(async (trx) => {
      await store.insertRequests(trx, [row]);
      await this.audit.record(
        actor,
        { action: 'request-measure', resourceType: 'measure_request', resourceId: row.requestId, personId },
        trx,
      );
    });
    return row.requestId;
  }

  /**
   * Measures the plan at the start, each review and/or the end. Scheduling a measure already
   * scheduled replaces that schedule (its open requests are cancelled, the new one's opened).
   */
  async schedule(
    actor: Actor,
    personId: string,
    input: ScheduleMeasureInput,
  ): Promise<{ scheduleId: string; requestIds: string[] }> {
    ScheduleMeasureContract.check(input);
    const grant = await this.access.require(actor, personId, 'manage', 'schedule-measure');
    if (!input.atStart && !input.atReview && !input.atEnd) {
      throw invalid('Choose when to measure: at the start, at each review or at the end.', 'atStart');
    }
    const questionnaire = await this.questionnaireNamed(actor, input);
    const replaced = (await store.schedulesOf(this.db, grant)).find(
      (s) => s.questionnaireId === questionnaire.questionnaireId,
    );
    const scheduleId = randomUUID();
    const rows = requestsOnScheduling(input, todayIso()).map((r) =>
      this.requestRow(
        personId,
        questionnaire.questionnaireId,
        scheduleId,
        r,
        input.sendToPerson ?? false,
        actor,
      ),
    );
    await this.db.transaction().execute(async (trx) => {
      if (replaced) await store.endSchedule(trx, grant, replaced.scheduleId, actor.userId);
      await store.insertSchedules(trx, [
        {
          personId,
          scheduleId,
          questionnaireId: questionnaire.questionnaireId,
          atStart: input.atStart,
          atReview: input.atReview,
          atEnd: input.atEnd,
          createdByUserId: actor.userId,
        },
      ]);
      await store.insertRequests(trx, rows);
      await this.audit.record(
        actor,
        { action: 'schedule-measure', resourceType: 'measure_schedule', resourceId: scheduleId, personId },
        trx,
      );
    });
    return { scheduleId, requestIds: rows.map((r) => r.requestId) };
  }

  /** Stops a schedule: its open requests are cancelled; what was completed stays. */
  async unschedule(actor: Actor, personId: string, scheduleId: string): Promise<void> {
    const grant = await this.access.require(actor, personId, 'manage', 'unschedule-measure');
    await this.db.transaction().execute(async (trx) => {
      if (!(await store.endSchedule(trx, grant, scheduleId, actor.userId))) throw notFound('That schedule');
      await this.audit.record(
        actor,
        { action: 'unschedule-measure', resourceType: 'measure_schedule', resourceId: scheduleId, personId },
        trx,
      );
    });
  }

  /**
   * Support is ending: each schedule that measures at the end opens its end request, due that day
   * (once: a schedule with an end request still open opens no second). The plan itself has no end
   * date in this product, so this is how the end is recorded.
   */
  async endOfSupport(actor: Actor, personId: string, input: EndOfSupportInput): Promise<string[]> {
    EndOfSupportContract.check(input);
    const grant = await this.access.require(actor, personId, 'manage', 'record-end-of-support');
    const endOn = input.endOn ?? todayIso();
    const [schedules, open] = await Promise.all([
      store.schedulesOf(this.db, grant),
      store.openRequestsOf(this.db, grant),
    ]);
    const sentToPerson = new Map(open.map((r) => [r.scheduleId, r.sentToPerson]));
    const rows = schedules.flatMap((s) => {
      const request = requestAtEnd(s, endOn);
      if (!request || open.some((r) => r.scheduleId === s.scheduleId && r.occasion === 'end')) return [];
      return [
        this.requestRow(
          personId,
          s.questionnaireId,
          s.scheduleId,
          request,
          sentToPerson.get(s.scheduleId) ?? false,
          actor,
        ),
      ];
    });
    await this.db.transaction().execute(async (trx) => {
      await store.insertRequests(trx, rows);
      await this.audit.record(
        actor,
        { action: 'record-end-of-support', resourceType: 'measure_request', resourceId: null, personId },
        trx,
      );
    });
    return rows.map((r) => r.requestId);
  }

  // ——— reading ———

  /** Scores over time, open requests and schedules: for whoever may view the record. */
  async overview(actor: Actor, personId: string, today: string): Promise<PersonMeasures> {
    const grant = await this.access.require(actor, personId, 'view', 'read-measures');
    return this.measuresWithin(grant, today);
  }

  /**
   * The measures of a record already opened: the scope is the grant of an access check audited as
   * the read this is part of (the person page), or a named system scope.
   */
  async measuresWithin(scope: RecordScope, today: string): Promise<PersonMeasures> {
    const [scores, open, schedules, nextReview] = await Promise.all([
      store.scoresOf(this.db, scope),
      store.openRequestsOf(this.db, scope),
      store.schedulesOf(this.db, scope),
      store.nextReviewOf(this.db, scope),
    ]);
    const names = await store.questionnaireNames(this.db, [
      ...scores.map((s) => s.questionnaireId),
      ...open.map((r) => r.questionnaireId),
      ...schedules.map((s) => s.questionnaireId),
    ]);
    const nameOf = (id: string) =>
      names.get(id) ?? { title: 'A questionnaire no longer in the library', instrument: null };
    return {
      measures: measuresFrom(scores),
      requests: open.map((r) => requestView(r, nameOf(r.questionnaireId), nextReview, today)).sort(byDue),
      schedules: schedules.map((s) => ({ ...s, ...nameOf(s.questionnaireId) })),
    };
  }

  /** Every completed measure of the person as stored (for /fhir): for whoever may view the record. */
  async responses(actor: Actor, personId: string): Promise<store.StoredResponse[]> {
    const grant = await this.access.require(actor, personId, 'view', 'read-measures');
    return store.responsesOf(this.db, grant);
  }

  /**
   * `responses` of many people at once (FHIR bulk export), in one statement. No check or audit
   * here: the grants were checked and audited by the caller, PersonAccess.requireEach. Only grants
   * that allow viewing are read, as `responses` requires; people with none are left out.
   */
  responsesOfEach(grants: readonly AccessGrant[]): Promise<Map<string, store.StoredResponse[]>> {
    return store.responsesOfEach(
      this.db,
      grants.filter((g) => g.can.view),
    );
  }

  /** Every request of the person, open or closed, as stored (for /fhir Task): for whoever may view the record. */
  async requests(actor: Actor, personId: string): Promise<store.StoredRequest[]> {
    const grant = await this.access.require(actor, personId, 'view', 'read-measure-requests');
    return store.requestsOf(this.db, grant);
  }

  /**
   * `requests` of many people at once (FHIR bulk export), in one statement. No check or audit
   * here: the grants were checked and audited by the caller, PersonAccess.requireEach. Only grants
   * that allow viewing are read, as `requests` requires; people with none are left out.
   */
  requestsOfEach(grants: readonly AccessGrant[]): Promise<Map<string, store.StoredRequest[]>> {
    return store.requestsOfEach(
      this.db,
      grants.filter((g) => g.can.view),
    );
  }

  /** One measure's scores over time, for its page and chart. */
  async history(actor: Actor, personId: string, questionnaireId: string, today: string) {
    const grant = await this.access.require(actor, personId, 'view', 'read-measure-history');
    const questionnaire = await this.questionnaires.get(actor, questionnaireId);
    const scores = await store.scoresOf(
      this.db,
      grant,
      questionnaire.instrumentKey ? { instrument: questionnaire.instrumentKey } : { url: questionnaire.url },
    );
    const measure = measuresFrom(scores)[0] ?? {
      questionnaireId,
      title: questionnaire.title,
      instrument: questionnaire.instrumentKey,
      series: [],
    };
    const sameMeasure = new Set(scores.map((s) => s.questionnaireId).concat(questionnaireId));
    const requests = (await this.measuresWithin(grant, today)).requests.filter(
      (r) =>
        sameMeasure.has(r.questionnaireId) ||
        (r.instrument !== null && r.instrument === questionnaire.instrumentKey),
    );
    return { grant, questionnaire, measure, requests };
  }

  /** The questionnaires sent to the person for them to fill in, in their own view. */
  async toFillIn(actor: Actor, personId: string, today: string): Promise<MeasureRequestView[]> {
    const grant = await this.access.require(actor, personId, 'contribute', 'read-measure-requests');
    const { requests } = await this.measuresWithin(grant, today);
    return requests.filter((r) => r.sentToPerson);
  }

  /** To fill in one questionnaire sent to the person: the request and its questionnaire. */
  async fillInForm(actor: Actor, personId: string, requestId: string) {
    const grant = await this.access.require(actor, personId, 'contribute', 'open-measure-request');
    const request = await store.requestById(this.db, grant, requestId);
    if (!request?.sentToPerson || request.status !== 'open') throw notFound('That questionnaire');
    return { grant, request, questionnaire: await this.questionnaire(actor, request.questionnaireId) };
  }

  /**
   * Overdue and due measures of the people on one page of a caseload, for its tags: only of those
   * the actor's care-team memberships cover, whatever ids are passed. One audit entry lists them.
   */
  async dueInCaseload(
    actor: Actor,
    personIds: readonly string[],
    today: string,
  ): Promise<Map<string, CaseloadMeasureFlags>> {
    const flags = new Map<string, CaseloadMeasureFlags>();
    if (!isCareStaff(actor) || personIds.length === 0) return flags;
    const { ids, teams } = careStaffIds(actor);
    const rows = await store.openRequestsInCaseload(this.db, ids, teams, personIds);
    for (const r of rows) {
      const status = measureDueStatus(effectiveDueOn(r, r.nextReview), today);
      if (status !== 'overdue' && status !== 'due') continue;
      const entry = flags.get(r.personId) ?? { overdue: 0, due: 0 };
      entry[status] += 1;
      flags.set(r.personId, entry);
    }
    await this.audit.record(actor, {
      action: 'list-caseload-measures',
      resourceType: 'caseload',
      purpose: 'direct care',
      listedPersonIds: [...flags.keys()],
    });
    return flags;
  }

  /**
   * Every score of the person, oldest first, as stored (response, score key, instrument, when
   * observed and recorded): for FHIR Observations. Read as the measures overview is.
   */
  async scoresForFhir(actor: Actor, personId: string): Promise<StoredScore[]> {
    const grant = await this.access.require(actor, personId, 'view', 'read-measures');
    return store.scoresOf(this.db, grant);
  }

  /**
   * scoresForFhir for many people at once (bulk export): no check or audit here, as the grants
   * were checked and audited by the caller (PersonAccess.requireEach). Only grants that allow
   * viewing are read, as scoresForFhir requires; the read is the same for every relation that may
   * view. People with no scores are left out of the map.
   */
  scoresForFhirOfEach(grants: readonly AccessGrant[]): Promise<Map<string, StoredScore[]>> {
    return store.scoresOfEach(
      this.db,
      grants.filter((g) => g.can.view),
    );
  }
}

function requestView(
  r: StoredRequest,
  name: { title: string; instrument: InstrumentKey | null },
  nextReview: string | null,
  today: string,
): MeasureRequestView {
  const due = effectiveDueOn(r, nextReview);
  return {
    requestId: r.requestId,
    questionnaireId: r.questionnaireId,
    title: name.title,
    instrument: name.instrument,
    scheduleId: r.scheduleId,
    occasion: r.occasion,
    dueOn: r.dueOn,
    effectiveDueOn: due,
    dueStatus: measureDueStatus(due, today),
    sentToPerson: r.sentToPerson,
    status: r.status,
    responseId: r.responseId,
    createdAt: r.createdAt,
  };
}

/** Earliest due first; those waiting for a review date last. */
function byDue(a: MeasureRequestView, b: MeasureRequestView): number {
  if (a.effectiveDueOn === b.effectiveDueOn) return a.createdAt.localeCompare(b.createdAt);
  if (a.effectiveDueOn === null) return 1;
  if (b.effectiveDueOn === null) return -1;
  return a.effectiveDueOn.localeCompare(b.effectiveDueOn);
}

/**
 * Scores grouped by measure (a built-in in any wording, a questionnaire in any version) then by
 * score key, oldest first, each with its change; a measure is named by its latest version.
 */
function measuresFrom(scores: readonly StoredScore[]): PersonMeasure[] {
  const measures = new Map<string, PersonMeasure>();
  for (const s of scores) {
    let measure = measures.get(s.measureKey);
    if (!measure) {
      measure = { questionnaireId: s.questionnaireId, title: s.title, instrument: s.instrument, series: [] };
      measures.set(s.measureKey, measure);
    }
    measure.questionnaireId = s.questionnaireId;
    measure.title = s.title;
    let series = measure.series.find((x) => x.key === s.scoreKey);
    if (!series) {
      series = { key: s.scoreKey, label: scoreLabelOf(s.instrument, s.scoreKey), points: [], change: null };
      measure.series.push(series);
    }
    series.points.push({
      responseId: s.responseId,
      observedOn: s.observedOn,
      value: s.value,
      band: s.band,
      bandLabel: bandLabelOf(s.instrument, s.scoreKey, s.band),
      completedBy: s.completedBy,
      recordedBy: s.recordedBy,
    });
  }
  for (const measure of measures.values()) {
    for (const series of measure.series) {
      series.change = changeOf(measure.instrument, series.key, series.points);
    }
  }
  return [...measures.values()];
}

function scoreLabelOf(instrument: InstrumentKey | null, key: string): string {
  if (instrument) return INSTRUMENTS[instrument].scores.find((s) => s.key === key)?.label ?? key;
  return key === 'total' ? 'Total score' : key;
}
