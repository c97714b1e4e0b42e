import type { TSchema } from '@sinclair/typebox';
import { type Kysely, sql } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import { dateOfBirthProblem } from '../../domain/demographics.js';
import { isValidNhsNumber, normaliseNhsNumber } from '../../domain/nhs-number.js';
import { frameworkKeyForRecord } from '../../domain/outcome-frameworks.js';
import type { Contract, FieldProblem } from '../../services/contract.js';
import { forbidden, invalid, ServiceError } from '../../services/errors.js';
import { organisationsWithTeams } from '../../store/organisations-with-teams.js';
import { personIdWithNhsNumber } from '../../store/person-nhs-number.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import {
  COMMAND_LINE_ACTOR,
  COMMAND_LINE_CLIENT,
  clientAccountId,
  ensureClientAccount,
} from '../auth/client-account.js';
import { columnOfField, FeedbackCsvError, readFeedbackCsv } from '../feedback/csv.js';
import type { FeedbackCollectionService, FeedbackImportReport } from '../feedback/service.js';
import type { Framework, FrameworkService } from '../frameworks/service.js';
import { addOutcomeWithRating, type CurrentFrameworks, RECORD_KINDS } from '../outcomes/bulk-writes.js';
import type { OutcomeService } from '../outcomes/service.js';
import { likelyDuplicateOf, personDetailsWithin, registerForOrganisation } from '../people/bulk-writes.js';
import { addPlanAction } from '../plans/bulk-writes.js';
import type { PlanService } from '../plans/service.js';
import { type RecordScope, systemScope } from '../record-access/person-access.js';
import type { SharingService } from '../sharing/service.js';
import { CsvFileError, type CsvRow, columnOf, readCsv, writeCsv } from './columns.js';
import {
  type CsvImportReport,
  type CsvKind,
  CsvScopeContract,
  type CsvScopeInput,
  OutcomeCsvContract,
  type OutcomeCsvInput,
  PersonCsvContract,
  type PersonCsvInput,
  PlanActionCsvContract,
  type PlanActionCsvInput,
} from './schema.js';
import * as store from './store.js';

export { CsvFileError } from './columns.js';

/** The command line's account id (made sure of with `ensureClientAccount` before it is used). */
export const COMMAND_LINE_USER_ID = clientAccountId(COMMAND_LINE_CLIENT);

/** Why an import reads and writes records on the organisation's behalf, for the record scopes. */
const WHY = 'a CSV import or export for an organisation that holds the record';

/** A row refused while it was being written: its transaction is rolled back and the row reported. */
class RowRefused extends Error {
  constructor(
    readonly field: string,
    override readonly message: string,
    /** A record the refusal tells the importer exists: the finding is audited on it. */
    readonly foundPersonId: string | null = null,
  ) {
    super(message);
  }
}

/** What writing a row did: stored it, or found it already held (skipped, without an error). */
type RowWritten =
  | { outcome: 'imported'; personId: string | null; resourceType: string; resourceId: string }
  | { outcome: 'held' };

/** Thrown at the end of a dry run, so its transaction rolls back, carrying what it found. */
class DryRun extends Error {
  constructor(readonly written: RowWritten | FeedbackImportReport) {
    super('dry run');
  }
}

/** A scope of an organisation that was checked: it exists, and so does its team (in it). */
interface CheckedScope {
  organisationId: string;
  organisationName: string;
  teamId: string | null;
}

/** Organisations (with their teams) an administrator may import into and export from. */
export interface CsvOrganisationChoice {
  organisationId: string;
  name: string;
  teams: { teamId: string; name: string }[];
}

/**
 * Importing and exporting people, their personal outcomes with ratings, their plans' actions, and
 * feedback as CSV files (docs/CSV.md), for one organisation (and team). An administrator does it
 * from pages (an administrator of an organisation for theirs only; one of no organisation for any);
 * the command line (actor null) is the operator at the server.
 *
 * Exports hold only the people whose record the organisation holds (a current care-team membership
 * with a sharing basis in force), and list each of them on the audit trail. Imports check each row
 * against its kind's row contract, then write it in a transaction of its own, so a refused row is
 * reported (row, column, why) and never half-written, and the good rows are imported. A dry run
 * does every check, including those that need the database, in one transaction (each row in a
 * savepoint, so each row sees the rows before it) that is rolled back.
 */
export class CsvExchangeService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditService,
    private readonly sharing: Pick<SharingService, 'recordRegistrationBasis'>,
    private readonly frameworks: Pick<FrameworkService, 'current'>,
    private readonly outcomes: Pick<OutcomeService, 'ofRecord'>,
    private readonly plans: Pick<PlanService, 'planOf'>,
    private readonly feedback: Pick<FeedbackCollectionService, 'serviceByKeyOrId' | 'importRows'>,
    /** The feedback service on a transaction, for a dry run rolled back whole. */
    private readonly feedbackOn: (
      trx: Kysely<DB>,
    ) => Pick<FeedbackCollectionService, 'serviceByKeyOrId' | 'importRows'>,
  ) {}

  /** The organisations the administrator may import into and export from. */
  async organisations(actor: Actor): Promise<CsvOrganisationChoice[]> {
    const all = await organisationsWithTeams(this.db);
    return all.filter((o) => mayExchangeFor(actor, o.organisationId));
  }

  /** Exports a kind of record held by the organisation as CSV text. */
  async exportCsv(
    actor: Actor | null,
    kind: CsvKind,
    scopeInput: CsvScopeInput,
  ): Promise<{ csv: string; rows: number; organisationName: string }> {
    const scope = await this.checkScope(actor, 'csv-export', scopeInput);
    const { rows, personIds } = await this.exportRows(kind, scope);
    await this.audit.record(actor, {
      action: 'csv-export',
      resourceType: 'organisation',
      resourceId: scope.organisationId,
      purpose: `${kind}: ${rows.length} rows`,
      ...(kind === 'feedback' ? {} : { listedPersonIds: personIds }),
    });
    return { csv: writeCsv(kind, rows), rows: rows.length, organisationName: scope.organisationName };
  }

  /**
   * Imports a file of one kind into the organisation (and team). A file that cannot be read as
   * that kind (not CSV, unknown or missing columns, too many rows) throws CsvFileError and nothing
   * is imported; otherwise each row is imported or reported.
   */
  async importCsv(
    actor: Actor | null,
    kind: CsvKind,
    scopeInput: CsvScopeInput,
    content: string,
    options: { dryRun: boolean },
  ): Promise<CsvImportReport> {
    const scope = await this.checkScope(actor, 'csv-import', scopeInput);
    const report =
      kind === 'feedback'
        ? await this.importFeedback(scope, content, options.dryRun)
        : await this.importRecords(actor, kind, scope, readCsv(kind, content), options.dryRun);
    await this.audit.record(actor, {
      action: 'csv-import',
      resourceType: 'organisation',
      resourceId: scope.organisationId,
      purpose: `${options.dryRun ? 'dry run, ' : ''}${kind}: ${report.imported} of ${report.rows} rows${options.dryRun ? ' would be' : ''} imported, ${report.errors.length} refused`,
      outcome: report.errors.length ? 'failure' : 'success',
    });
    return report;
  }

  /** Checks the scope, and that the actor may act for its organisation (refusals audited). */
  private async checkScope(actor: Actor | null, action: string, input: CsvScopeInput): Promise<CheckedScope> {
    const { organisationId, teamId } = CsvScopeContract.check(input);
    if (actor && !mayExchangeFor(actor, organisationId)) {
      await this.audit.record(actor, {
        action,
        resourceType: 'organisation',
        resourceId: organisationId,
        purpose: 'not an administrator of this organisation',
        outcome: 'denied',
      });
      throw forbidden('import or export the records of this organisation');
    }
    const organisationName = await store.organisationName(this.db, organisationId);
    if (!organisationName) throw invalid('No organisation has this id.', 'organisationId');
    if (teamId && !(await store.teamInOrganisation(this.db, organisationId, teamId))) {
      throw invalid('The team is not one of the organisation’s teams.', 'teamId');
    }
    return { organisationId, organisationName, teamId: teamId ?? null };
  }

  // ---------------------------------------------------------------------------------------------
  // Export

  private async exportRows(
    kind: CsvKind,
    scope: CheckedScope,
  ): Promise<{ rows: Record<string, unknown>[]; personIds: string[] }> {
    if (kind === 'feedback') {
      return { rows: await store.feedbackOf(this.db, scope.organisationId, scope.teamId), personIds: [] };
    }
    const held = await store.heldPeopleOf(this.db, scope.organisationId);
    const rows: Record<string, unknown>[] = [];
    const personIds: string[] = [];
    for (const person of held) {
      // Outcomes and plans are named by the person's NHS number: without one they cannot be.
      if (kind !== 'people' && !person.nhsNumber) continue;
      const recordScope = systemScope(person.personId, WHY);
      const before = rows.length;
      if (kind === 'people') {
        const details = await personDetailsWithin(this.db, recordScope);
        if (details) rows.push({ ...details, supportKind: person.supportKind });
      } else if (kind === 'outcomes') {
        for (const o of await this.outcomes.ofRecord(recordScope)) {
          const outcome = {
            nhsNumber: person.nhsNumber,
            statement: o.statement,
            whyItMatters: o.whyItMatters,
          };
          const base = { ...outcome, importance: o.importance };
          if (!o.ratings.length) rows.push({ ...base, viewpoint: o.addedBy });
          for (const r of o.ratings) {
            rows.push({
              ...base,
              viewpoint: r.viewpoint,
              rating: r.score,
              ratingNote: r.note,
              ratedOn: r.ratedAt.slice(0, 10),
            });
          }
        }
      } else {
        const plan = await this.plans.planOf(recordScope);
        const statements = new Map(
          (await this.outcomes.ofRecord(recordScope)).map((o) => [o.outcomeId, o.statement]),
        );
        for (const goal of plan.current?.content.goals ?? []) {
          for (const action of goal.actions) {
            rows.push({
              nhsNumber: person.nhsNumber,
              goal: goal.description,
              outcome: goal.outcomeId ? statements.get(goal.outcomeId) : null,
              what: action.what,
              whoKind: action.who.kind,
              whoName: action.who.name,
              when: action.when,
              status: action.status,
              confidence: action.confidence,
            });
          }
        }
      }
      if (rows.length > before) personIds.push(person.personId);
    }
    return { rows, personIds };
  }

  // ---------------------------------------------------------------------------------------------
  // Import

  private async importFeedback(
    scope: CheckedScope,
    content: string,
    dryRun: boolean,
  ): Promise<CsvImportReport> {
    let rows: ReturnType<typeof readFeedbackCsv>;
    try {
      rows = readFeedbackCsv(content);
    } catch (error) {
      if (error instanceof FeedbackCsvError) throw new CsvFileError(error.message);
      throw error;
    }
    const run = async (feedback: Pick<FeedbackCollectionService, 'serviceByKeyOrId' | 'importRows'>) => {
      const service = await feedback.serviceByKeyOrId(scope.teamId ?? scope.organisationId);
      if (!service) throw invalid('No organisation has this id.', 'organisationId');
      return feedback.importRows(service.serviceKey, rows, columnOfField);
    };
    // The feedback import stores each row in a transaction of its own; a dry run runs it whole
    // in one transaction that is rolled back.
    const done = dryRun
      ? await this.db
          .transaction()
          .execute(async (trx) => {
            throw new DryRun(await run(this.feedbackOn(trx)));
          })
          .catch((error: unknown) => {
            if (error instanceof DryRun) return error.written as FeedbackImportReport;
            throw error;
          })
      : await run(this.feedback);
    return {
      kind: 'feedback',
      dryRun,
      rows: done.rows,
      imported: done.imported,
      skipped: done.rows - done.imported,
      errors: done.rejected.map((r) => ({ row: r.row, field: r.column, message: r.message })),
    };
  }

  private async importRecords(
    actor: Actor | null,
    kind: Exclude<CsvKind, 'feedback'>,
    scope: CheckedScope,
    rows: CsvRow[],
    dryRun: boolean,
  ): Promise<CsvImportReport> {
    const report: CsvImportReport = { kind, dryRun, rows: rows.length, imported: 0, skipped: 0, errors: [] };
    // Records a refusal tells the importer exist: audited on each, once the rows are done.
    const findings: { personId: string; message: string }[] = [];
    // Read before any row's transaction: on the embedded database, a read outside an open
    // transaction waits for it to end.
    const frameworks: Frameworks = kind === 'outcomes' ? await this.currentFrameworks() : new Map();
    // The operator at the server's console has no account: what the command line writes is
    // recorded as written by the command line's own system account (client-account.ts). Made sure
    // of here, before any transaction, for the same reason.
    if (!actor) await ensureClientAccount(this.db, COMMAND_LINE_CLIENT);
    const recorder = actor ?? COMMAND_LINE_ACTOR;
    const importRows = (inRow: <T>(write: (trx: Kysely<DB>) => Promise<T>) => Promise<T>) =>
      this.eachRow(actor, recorder, kind, scope, rows, { dryRun, report, findings, frameworks, inRow });
    if (dryRun) {
      // One transaction, rolled back at the end, with each row in a savepoint of its own: each row
      // is checked against the rows before it, as an import would, and nothing is kept.
      await this.db
        .transaction()
        .execute(async (trx) => {
          await importRows(async (write) => {
            await sql`savepoint csv_row`.execute(trx);
            try {
              const done = await write(trx);
              await sql`release savepoint csv_row`.execute(trx);
              return done;
            } catch (error) {
              await sql`rollback to savepoint csv_row`.execute(trx);
              throw error;
            }
          });
          throw new DryRun({ outcome: 'held' });
        })
        .catch((error: unknown) => {
          if (!(error instanceof DryRun)) throw error;
        });
    } else {
      // Each row in a transaction of its own: a refused row leaves nothing behind.
      await importRows((write) => this.db.transaction().execute(write));
    }
    for (const finding of findings) {
      await this.audit.record(actor, {
        action: `csv-import-${kind}`,
        resourceType: 'person',
        resourceId: finding.personId,
        personId: finding.personId,
        purpose: `importing a CSV file for ${scope.organisationName}: ${finding.message}`,
        outcome: 'denied',
      });
    }
    return report;
  }

  private async eachRow(
    actor: Actor | null,
    recorder: Actor,
    kind: Exclude<CsvKind, 'feedback'>,
    scope: CheckedScope,
    rows: CsvRow[],
    run: {
      dryRun: boolean;
      report: CsvImportReport;
      findings: { personId: string; message: string }[];
      frameworks: Frameworks;
      inRow: <T>(write: (trx: Kysely<DB>) => Promise<T>) => Promise<T>;
    },
  ): Promise<void> {
    const { report } = run;
    const refuse = (row: number, problems: readonly { column: string; message: string }[]) => {
      for (const p of problems) report.errors.push({ row, field: p.column, message: p.message });
      report.skipped++;
    };
    const byField = (problems: readonly FieldProblem[]) =>
      problems.map((p) => ({ column: columnOf(kind, p.field), message: p.message }));
    const contract = CONTRACTS[kind] as unknown as Contract<TSchema>;
    // A person's NHS number given on two rows of a people file: the second is refused.
    const firstRowOf = new Map<string, number>();
    const recordedBy = recorder.userId;
    for (const { row, input, problems } of rows) {
      const found = [...problems, ...byField(contract.problems(input)), ...byField(rowProblems(kind, input))];
      if (found.length) {
        refuse(row, found);
        continue;
      }
      const nhsNumber = normaliseNhsNumber(input.nhsNumber as string) as string;
      if (kind === 'people') {
        const first = firstRowOf.get(nhsNumber);
        if (first) {
          refuse(row, [{ column: 'nhs_number', message: `is the same as on row ${first}` }]);
          continue;
        }
        firstRowOf.set(nhsNumber, row);
      }
      try {
        const written = await run.inRow(async (trx) => {
          const done = await this.writeRow(
            trx,
            kind,
            scope,
            nhsNumber,
            input,
            recordedBy,
            recorder,
            run.frameworks,
          );
          if (done.outcome === 'imported' && !run.dryRun) {
            await this.audit.record(
              actor,
              {
                action: `csv-import-${kind}`,
                resourceType: done.resourceType,
                resourceId: done.resourceId,
                personId: done.personId,
                purpose: `imported from a CSV file for ${scope.organisationName}`,
              },
              trx,
            );
          }
          return done;
        });
        if (written.outcome === 'imported') report.imported++;
        else report.skipped++;
      } catch (error) {
        if (error instanceof RowRefused) {
          if (error.foundPersonId)
            run.findings.push({ personId: error.foundPersonId, message: error.message });
          refuse(row, [{ column: columnOf(kind, error.field), message: error.message }]);
        } else if (error instanceof ServiceError && error.status < 500) {
          refuse(row, [{ column: columnOf(kind, error.field ?? ''), message: error.message }]);
        } else {
          throw error;
        }
      }
    }
  }

  private writeRow(
    trx: Kysely<DB>,
    kind: Exclude<CsvKind, 'feedback'>,
    scope: CheckedScope,
    nhsNumber: string,
    input: Record<string, unknown>,
    recordedBy: string,
    recorder: Actor,
    frameworks: Frameworks,
  ): Promise<RowWritten> {
    switch (kind) {
      case 'people':
        return this.writePerson(trx, scope, nhsNumber, input as PersonCsvInput, recorder);
      case 'outcomes':
        return this.writeOutcome(trx, scope, nhsNumber, input as OutcomeCsvInput, recordedBy, frameworks);
      case 'plan-actions':
        return this.writePlanAction(trx, scope, nhsNumber, input as PlanActionCsvInput, recordedBy);
    }
  }

  /**
   * Registers a person into the organisation (and team) as registering does (features/people). A
   * person the organisation already holds is skipped; one registered elsewhere is refused.
   */
  private async writePerson(
    trx: Kysely<DB>,
    scope: CheckedScope,
    nhsNumber: string,
    input: PersonCsvInput,
    recorder: Actor,
  ): Promise<RowWritten> {
    const existing = await personIdWithNhsNumber(trx, nhsNumber);
    if (existing) {
      if (await store.heldPersonWithNhsNumber(trx, scope.organisationId, nhsNumber))
        return { outcome: 'held' };
      throw new RowRefused(
        'nhsNumber',
        'A person with this NHS number is already registered elsewhere: ask their care team to add this organisation, with a basis for sharing.',
        existing,
      );
    }
    const same = input.notADuplicate ? null : await likelyDuplicateOf(trx, input, nhsNumber);
    if (same) {
      throw new RowRefused(
        'notADuplicate',
        'Someone with the same name and date of birth is already registered. Check it is not the same person; if it is a different person, put yes in this column.',
        same,
      );
    }
    const { personId } = await registerForOrganisation(
      trx,
      this.sharing,
      { organisationId: scope.organisationId, teamId: scope.teamId, why: WHY },
      { ...input, nhsNumber },
      recorder,
    );
    return { outcome: 'imported', personId, resourceType: 'person', resourceId: personId };
  }

  /**
   * Adds the outcome (as adding what matters does, features/outcomes) unless the person has one
   * with the same words, then the row's rating of it; a rating already held is skipped.
   */
  private async writeOutcome(
    trx: Kysely<DB>,
    scope: CheckedScope,
    nhsNumber: string,
    input: OutcomeCsvInput,
    recordedBy: string,
    frameworks: CurrentFrameworks,
  ): Promise<RowWritten> {
    const recordScope = await this.heldRecord(trx, scope, nhsNumber);
    const done = await addOutcomeWithRating(
      trx,
      recordScope,
      frameworks,
      {
        statement: input.statement,
        whyItMatters: input.whyItMatters,
        importance: input.importance,
        viewpoint: input.viewpoint ?? 'practitioner',
        rating: input.rating ?? null,
        note: input.ratingNote,
        ratedOn: input.ratedOn,
      },
      recordedBy,
    );
    if (done === 'held') return { outcome: 'held' };
    return {
      outcome: 'imported',
      personId: recordScope.personId,
      resourceType: 'personal_outcome',
      resourceId: done.outcomeId,
    };
  }

  /**
   * Adds an action to the person's plan by saving a new version of it (as saving a plan does,
   * features/plans), under the goal with the row's words or a new goal; an action the goal has
   * already is skipped.
   */
  private async writePlanAction(
    trx: Kysely<DB>,
    scope: CheckedScope,
    nhsNumber: string,
    input: PlanActionCsvInput,
    recordedBy: string,
  ): Promise<RowWritten> {
    const recordScope = await this.heldRecord(trx, scope, nhsNumber);
    const done = await addPlanAction(
      trx,
      recordScope,
      {
        goal: input.goal,
        outcome: input.outcome,
        action: {
          what: input.what.trim(),
          who: { kind: input.whoKind, name: input.whoName.trim() },
          ...(input.when?.trim() ? { when: input.when.trim() } : {}),
          status: input.status,
          ...(input.confidence !== undefined ? { confidence: input.confidence } : {}),
        },
        changeSummary: 'Action imported from a CSV file',
      },
      recordedBy,
    );
    if (done === 'held') return { outcome: 'held' };
    return {
      outcome: 'imported',
      personId: recordScope.personId,
      resourceType: 'care_plan_version',
      resourceId: `${recordScope.personId}/${done.version}`,
    };
  }

  /** The current framework of each kind of record (a person's, a carer's own), by framework key. */
  private async currentFrameworks(): Promise<Frameworks> {
    const found: Frameworks = new Map();
    for (const key of new Set(RECORD_KINDS.map(frameworkKeyForRecord))) {
      const framework = await this.frameworks.current(key).catch((error: unknown) => {
        if (error instanceof ServiceError && error.status < 500) return null;
        throw error;
      });
      if (framework) found.set(key, framework);
    }
    return found;
  }

  /** The record of the person with this NHS number, when the organisation holds it. */
  private async heldRecord(trx: Kysely<DB>, scope: CheckedScope, nhsNumber: string): Promise<RecordScope> {
    const personId = await store.heldPersonWithNhsNumber(trx, scope.organisationId, nhsNumber);
    if (!personId) {
      throw new RowRefused(
        'nhsNumber',
        `${scope.organisationName} holds no record with this NHS number: import the person first (a people file).`,
      );
    }
    return systemScope(personId, WHY);
  }
}

type Frameworks = Map<string | undefined, Framework>;

const CONTRACTS = {
  people: PersonCsvContract,
  outcomes: OutcomeCsvContract,
  'plan-actions': PlanActionCsvContract,
} as const;

/** What a row's contract cannot say: a real NHS number, a date of birth in the past, a rating for a date. */
export function rowProblems(
  kind: Exclude<CsvKind, 'feedback'>,
  input: Record<string, unknown>,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const nhs = typeof input.nhsNumber === 'string' ? normaliseNhsNumber(input.nhsNumber) : null;
  if (typeof input.nhsNumber === 'string' && (!nhs || !isValidNhsNumber(nhs))) {
    problems.push({
      field: 'nhsNumber',
      message: 'must be a valid 10-digit NHS number (it fails the Modulus 11 check)',
    });
  }
  const today = todayIso();
  const isDate = (value: unknown): value is string =>
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
  if (kind === 'people' && isDate(input.dateOfBirth)) {
    const problem = dateOfBirthProblem(input.dateOfBirth, today);
    if (problem) problems.push({ field: 'dateOfBirth', message: problem });
  }
  if (kind === 'outcomes') {
    if (isDate(input.ratedOn) && input.ratedOn > today) {
      problems.push({ field: 'ratedOn', message: 'must be today or in the past' });
    }
    if (input.rating === undefined && (input.ratedOn !== undefined || input.ratingNote !== undefined)) {
      problems.push({ field: 'rating', message: 'is required when rated_on or rating_note is given' });
    }
  }
  return problems;
}

/** An administrator of this organisation, or of no organisation in particular (of the whole service). */
export function mayExchangeFor(actor: Actor, organisationId: string): boolean {
  return actor.roles.some(
    (r) => r.role === 'admin' && (r.organisationId === null || r.organisationId === organisationId),
  );
}

export type { CsvImportReport, CsvKind } from './schema.js';
