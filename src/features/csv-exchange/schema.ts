import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { ActionSchema, PlanGoalSchema } from '../../domain/care-plan.js';
import { VIEWPOINTS } from '../../domain/ratings.js';
import { contract } from '../../services/contract.js';
import { ImportedFeedbackRow } from '../feedback/schema.js';
import { AddOutcome, RateOutcome } from '../outcomes/schema.js';
import { RegisterPerson } from '../people/schema.js';

/**
 * The CSV exchange's contracts: one row contract per kind of file (docs/CSV.md), each made from the
 * use case the row stands for, so a row is checked by the same rules as a registration, an outcome
 * and its rating, a plan's action or an imported story. columns.ts names each field as a column.
 */

/** The kinds of file exchanged. */
export const CSV_KINDS = ['people', 'outcomes', 'plan-actions', 'feedback'] as const;
export type CsvKind = (typeof CSV_KINDS)[number];

export const CSV_KIND_LABELS: Record<CsvKind, string> = {
  people: 'People',
  outcomes: 'Personal outcomes and their ratings',
  'plan-actions': 'Plans’ actions',
  feedback: 'Feedback',
};

export const isCsvKind = (value: string): value is CsvKind =>
  (CSV_KINDS as readonly string[]).includes(value);

/** The most rows one file may hold (feedback files have their own limit, FEEDBACK_LIMITS.importRows). */
export const MAX_CSV_ROWS = 10_000;

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** The NHS number names a person across files: required here, checked with Modulus 11 by the service. */
const NhsNumber = Type.String({ minLength: 1, maxLength: 20, description: '10 digits, spaces allowed' });

// RegisterPerson without its NHS number (required here) and the confirmation of a likely duplicate.
const { nhsNumber: _nhsNumber, notADuplicate, ...registration } = RegisterPerson.properties;

/** A person to register: a registration (RegisterPerson), with the NHS number required. */
export const PersonCsvRow = Type.Object(
  { nhsNumber: NhsNumber, ...registration, notADuplicate },
  { additionalProperties: false },
);
export type PersonCsvInput = Static<typeof PersonCsvRow>;
export const PersonCsvContract = contract(PersonCsvRow);

/**
 * A personal outcome of a person, with (optionally) one rating of it: adding what matters
 * (AddOutcome) and rating it (RateOutcome). Rows with the same person and statement are one outcome,
 * each row adding a rating, so a spreadsheet can hold an outcome's ratings over time.
 */
export const OutcomeCsvRow = Type.Object(
  {
    nhsNumber: NhsNumber,
    statement: AddOutcome.properties.statement,
    whyItMatters: AddOutcome.properties.whyItMatters,
    importance: AddOutcome.properties.importance,
    /** Whose view the rating (and an outcome first added by this row) is. */
    viewpoint: Type.Optional(Type.Union(VIEWPOINTS.map((v) => Type.Literal(v)))),
    rating: Type.Optional(nullable(RateOutcome.properties.score)),
    ratingNote: RateOutcome.properties.note,
    ratedOn: Type.Optional(nullable(Type.String({ format: 'date' }))),
  },
  { additionalProperties: false },
);
export type OutcomeCsvInput = Static<typeof OutcomeCsvRow>;
export const OutcomeCsvContract = contract(OutcomeCsvRow);

const who = ActionSchema.properties.who.properties;

/**
 * One action of a person's plan, under one of its goals: the plan content's goal and action
 * (domain/care-plan.ts). A goal is found by its description or added; `outcome` links a new goal to
 * the person's outcome with that statement.
 */
export const PlanActionCsvRow = Type.Object(
  {
    nhsNumber: NhsNumber,
    goal: PlanGoalSchema.properties.description,
    outcome: Type.Optional(nullable(AddOutcome.properties.statement)),
    what: ActionSchema.properties.what,
    whoKind: who.kind,
    whoName: Type.String({ minLength: 1, maxLength: who.name.maxLength as number }),
    when: ActionSchema.properties.when,
    status: ActionSchema.properties.status,
    confidence: ActionSchema.properties.confidence,
  },
  { additionalProperties: false },
);
export type PlanActionCsvInput = Static<typeof PlanActionCsvRow>;
export const PlanActionCsvContract = contract(PlanActionCsvRow);

/** Feedback rows are the feedback import's own (features/feedback/csv.ts). */
export { ImportedFeedbackRow as FeedbackCsvRow };

/** One refused row: its number as a spreadsheet counts rows (the header is row 1), the column, why. */
export interface CsvRowError {
  row: number;
  field: string;
  message: string;
}

/** What an import did (or, in a dry run, would do). */
export interface CsvImportReport {
  kind: CsvKind;
  dryRun: boolean;
  rows: number;
  imported: number;
  /** Rows not imported: refused (each in `errors`) or already held. */
  skipped: number;
  errors: CsvRowError[];
}

/** Where an import or export runs: the organisation (and team) whose records they are. */
export const CsvScope = Type.Object(
  {
    organisationId: Type.String({ format: 'uuid' }),
    teamId: Type.Optional(nullable(Type.String({ format: 'uuid' }))),
  },
  { additionalProperties: false },
);
export type CsvScopeInput = Static<typeof CsvScope>;
export const CsvScopeContract = contract(CsvScope);
