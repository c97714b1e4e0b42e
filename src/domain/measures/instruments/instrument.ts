import type {
  AnswerOption,
  Coding,
  InstrumentKey,
  MeasureScore,
  Questionnaire,
  QuestionnaireItem,
  ScoreBand,
} from '../types.js';

/**
 * A built-in instrument: its FHIR R4 Questionnaire (the form, self-describing: every answer option
 * carries its code and its ordinal value), who owns its words and on what terms, and its scoring as
 * a pure function of the answers' ordinal values.
 */

/**
 * One base for the canonical url of every built-in Questionnaire. An organisation that holds a
 * licence loads the wording by importing a Questionnaire with the same url, so the url is the
 * instrument's identity and never changes.
 */
export const INSTRUMENT_BASE_URL = 'https://whatmatters.example/fhir/Questionnaire';

export const LOINC = 'http://loinc.org';
/** The code system of the answer codes we mint for an instrument where no standard code exists. */
export const answerSystem = (key: InstrumentKey) =>
  `https://whatmatters.example/fhir/CodeSystem/${key}-answers`;
/** FHIR R4 core extension giving an answer option its score (used by LHC-Forms and SDC). */
export const ORDINAL_VALUE_URL = 'http://hl7.org/fhir/StructureDefinition/ordinalValue';
/** SDC extension: an item whose value is computed from other answers. */
export const CALCULATED_EXPRESSION_URL =
  'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression';

export type WordingStatus = 'shipped' | 'licence-required';

export interface InstrumentLicence {
  /** Who owns the instrument's words. */
  holder: string;
  /** What the owner allows, in a sentence or two. */
  terms: string;
  /** Where to get the instrument (and the licence, where one is needed). */
  source: string;
  /** The copyright line the owner asks to be shown with the instrument. */
  notice: string;
}

/** One number the instrument yields: what `score()` answers under this key, and its bands. */
export interface ScoreDefinition {
  key: string;
  label: string;
  min: number;
  max: number;
  /** True when a higher score is the better outcome (wellbeing); false for symptom scores. */
  higherIsBetter: boolean;
  /** A standard code for the score, where one exists (LOINC 44261-6 for the PHQ-9 total). */
  code?: Coding;
}

export interface Instrument {
  key: InstrumentKey;
  title: string;
  /** What it measures, in a sentence. */
  measures: string;
  questionnaire: Questionnaire;
  wording: WordingStatus;
  licence: InstrumentLicence;
  /** Answers that count towards the score, in the order `score()` takes them. */
  scoredItemCount: number;
  /** Items recorded after the scored ones but not scored (the PHQ-9's difficulty item). */
  unscoredItems: readonly { label: string }[];
  /** The ordinal values every answer may take, inclusive. */
  itemRange: { min: number; max: number };
  scores: readonly ScoreDefinition[];
  /** Bands of each score, by score key; a score without bands has none listed. */
  bands: Readonly<Record<string, readonly ScoreBand[]>>;
  /** Scores one completed measure; throws a RangeError naming the answer at fault. */
  score(answers: readonly number[]): MeasureScore[];
}

export const instrumentUrl = (key: InstrumentKey) => `${INSTRUMENT_BASE_URL}/${key}`;

/**
 * A built-in instrument with its Questionnaire's identity filled in from the instrument: id and
 * canonical url from its key, its title, version 1, active; the copyright line is the licence's
 * notice unless the form says otherwise.
 */
export function builtInInstrument(
  spec: Omit<Instrument, 'questionnaire'> & {
    /** The Questionnaire's computer-friendly name. */
    name: string;
    form: Pick<Questionnaire, 'code' | 'copyright' | 'item'>;
  },
): Instrument {
  const { key, title, measures, name, form, ...rest } = spec;
  const { code, copyright = rest.licence.notice, item } = form;
  return {
    key,
    title,
    measures,
    questionnaire: {
      resourceType: 'Questionnaire',
      id: key,
      url: instrumentUrl(key),
      version: '1',
      name,
      title,
      status: 'active',
      ...(code ? { code } : {}),
      copyright,
      item,
    },
    ...rest,
  };
}

/** An answer option: a code, what it says, and its ordinal value, so the form scores itself. */
export function option(
  code: string,
  display: string | undefined,
  ordinal: number,
  system: string,
): AnswerOption {
  return {
    valueCoding: { system, code, ...(display === undefined ? {} : { display }) },
    extension: [{ url: ORDINAL_VALUE_URL, valueDecimal: ordinal }],
  };
}

/** The ordinal value an answer option carries, or null when it carries none. */
export function ordinalOf(answerOption: AnswerOption): number | null {
  const extension = answerOption.extension?.find((e) => e.url === ORDINAL_VALUE_URL);
  const value = extension?.valueDecimal ?? extension?.valueInteger;
  return typeof value === 'number' ? value : null;
}

export function choiceItem(fields: {
  linkId: string;
  text: string;
  prefix?: string;
  code?: Coding[];
  required?: boolean;
  answerOption: AnswerOption[];
}): QuestionnaireItem {
  return { type: 'choice', required: fields.required ?? true, ...fields };
}

/** Every item of a Questionnaire (groups and display items too), depth first, with its parent's linkId. */
export function questionItems(
  items: readonly QuestionnaireItem[] | undefined,
  parent: string | null = null,
): { item: QuestionnaireItem; parent: string | null }[] {
  return (items ?? []).flatMap((item) => [{ item, parent }, ...questionItems(item.item, item.linkId)]);
}

const sumOfScoredItems = (codes: readonly string[]) =>
  `%resource.item.where(linkId in (${codes.map((c) => `'${c}'`).join(' | ')})).answer.value.weight().sum()`;

/** The total as a read-only item that computes itself (SDC calculatedExpression), LOINC-coded. */
export function calculatedTotalItem(
  linkId: string,
  text: string,
  scoredCodes: readonly string[],
): QuestionnaireItem {
  return {
    linkId,
    text,
    type: 'integer',
    readOnly: true,
    code: [{ system: LOINC, code: linkId, display: text }],
    extension: [
      {
        url: CALCULATED_EXPRESSION_URL,
        valueExpression: { language: 'text/fhirpath', expression: sumOfScoredItems(scoredCodes) },
      },
    ],
  };
}
