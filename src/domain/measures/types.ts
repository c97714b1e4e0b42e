/**
 * Standard measures (issue 11): the shapes every part of the measures work shares. Instruments are
 * FHIR R4 Questionnaires plus scoring, stored as reference data; a completed measure is a FHIR
 * QuestionnaireResponse; its scores are observations over time (table `measure_score`).
 *
 * Only the subset of FHIR R4 the product reads is typed here; unknown properties are kept as they
 * are (an imported Questionnaire is stored whole) and listed by the import analysis when they
 * change what a form or a score means.
 */

export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}

export interface Extension {
  url: string;
  valueDecimal?: number;
  valueInteger?: number;
  valueString?: string;
  valueCode?: string;
  valueCoding?: Coding;
  valueBoolean?: boolean;
  valueExpression?: { language?: string; expression?: string; name?: string; description?: string };
  extension?: Extension[];
  [key: string]: unknown;
}

export interface AnswerOption {
  valueCoding?: Coding;
  valueInteger?: number;
  valueString?: string;
  valueDate?: string;
  initialSelected?: boolean;
  extension?: Extension[];
}

export interface EnableWhen {
  question: string;
  operator: 'exists' | '=' | '!=' | '>' | '<' | '>=' | '<=';
  answerBoolean?: boolean;
  answerDecimal?: number;
  answerInteger?: number;
  answerDate?: string;
  answerString?: string;
  answerCoding?: Coding;
}

export const QUESTIONNAIRE_ITEM_TYPES = [
  'group',
  'display',
  'boolean',
  'decimal',
  'integer',
  'date',
  'dateTime',
  'time',
  'string',
  'text',
  'url',
  'choice',
  'open-choice',
  'attachment',
  'reference',
  'quantity',
  'question',
] as const;
export type QuestionnaireItemType = (typeof QUESTIONNAIRE_ITEM_TYPES)[number];

export interface QuestionnaireItem {
  linkId: string;
  text?: string;
  prefix?: string;
  type: QuestionnaireItemType;
  code?: Coding[];
  required?: boolean;
  repeats?: boolean;
  readOnly?: boolean;
  maxLength?: number;
  answerOption?: AnswerOption[];
  answerValueSet?: string;
  enableWhen?: EnableWhen[];
  enableBehavior?: 'all' | 'any';
  initial?: unknown[];
  extension?: Extension[];
  item?: QuestionnaireItem[];
  [key: string]: unknown;
}

export interface Questionnaire {
  resourceType: 'Questionnaire';
  id?: string;
  url?: string;
  version?: string;
  name?: string;
  title?: string;
  status: 'draft' | 'active' | 'retired' | 'unknown';
  code?: Coding[];
  copyright?: string;
  extension?: Extension[];
  item?: QuestionnaireItem[];
  [key: string]: unknown;
}

export interface ResponseAnswer {
  valueBoolean?: boolean;
  valueDecimal?: number;
  valueInteger?: number;
  valueDate?: string;
  valueDateTime?: string;
  /** hh:mm:ss, for a time item. */
  valueTime?: string;
  valueString?: string;
  valueCoding?: Coding;
}

export interface ResponseItem {
  linkId: string;
  text?: string;
  answer?: ResponseAnswer[];
  item?: ResponseItem[];
}

export interface QuestionnaireResponse {
  resourceType: 'QuestionnaireResponse';
  id?: string;
  questionnaire?: string;
  status: 'in-progress' | 'completed' | 'amended' | 'entered-in-error' | 'stopped';
  authored?: string;
  item?: ResponseItem[];
}

/** The built-in instruments, by the key `whatmatters calc score` and the store use. */
export const INSTRUMENT_KEYS = ['phq9', 'gad7', 'swemwbs', 'ons4', 'collaborate', 'fft'] as const;
export type InstrumentKey = (typeof INSTRUMENT_KEYS)[number];

/** One number a completed measure yields: a row of `measure_score`. */
export interface MeasureScore {
  /** 'total' for a single-score measure; a question's key for one reported per question (ONS4). */
  key: string;
  label: string;
  value: number;
  /** The band's key ('mild'), or null when the measure has no bands. */
  band: string | null;
}

/** A band of a score: inclusive bounds on the score it is reported on. */
export interface ScoreBand {
  key: string;
  label: string;
  min: number;
  max: number;
}
