import type { GasLevel } from '../gas.js';

/**
 * HL7 Person-Centered Outcomes (PCO) IG STU1 1.0.0 and the LOINC codes it uses for Goal
 * Attainment Scaling, in one place (docs/research/issue-13-fhir.md §3.1). Sources: the STU1
 * pages for the `pco-goal-attainment-scaling` extension and the `goal-attainment-scaling-score`
 * ValueSet; HL7/pco-ig `input/fsh/GASProfiles.fsh`, `GASTerminology.fsh`, `GASExamples.fsh`.
 * The drafts disagree in places; these are STU1's values.
 */
export const LOINC_SYSTEM = 'http://loinc.org';

/** The GAS extension on Goal: five of them, each a `level` (LOINC answer) and its `text`. */
export const PCO_GAS_EXTENSION = 'http://hl7.org/fhir/us/pco/StructureDefinition/pco-goal-attainment-scaling';
export const PCO_GAS_GOAL_PROFILE = 'http://hl7.org/fhir/us/pco/StructureDefinition/pco-gas-goal-profile';
export const PCO_GAS_SCORE_PROFILE =
  'http://hl7.org/fhir/us/pco/StructureDefinition/pco-gas-score-observation';
/** The LOINC answer list the GAS levels come from (binding required). */
export const GAS_ANSWER_LIST = 'http://loinc.org/vs/LL6900-6';

export interface LoincCode {
  system: typeof LOINC_SYSTEM;
  code: string;
  display: string;
}

const loinc = (code: string, display: string): LoincCode => ({ system: LOINC_SYSTEM, code, display });

/** Goal.target.measure of a GAS goal (PCO GAS Goal profile). */
export const GAS_GOAL_MEASURE = loinc('107332-9', 'Goal attainment scale - Reported');

/** Observation.code of a GAS score: the rater is in the code. */
export const GAS_SCORE_CODES = {
  baseline: loinc('112296-9', 'Goal attainment scale GAS baseline'),
  practitioner: loinc('107333-7', 'Practitioner follow-up goal attainment scaling score'),
  patient: loinc('107334-5', 'Patient follow-up goal attainment scaling score'),
  caregiver: loinc('107331-1', 'Caregiver follow-up goal attainment scaling score'),
} as const;

/** The LOINC answers (LL6900-6) for each GAS level, +2 to −2 as LOINC lists them. */
export const GAS_LEVEL_ANSWERS: Readonly<Record<GasLevel, LoincCode>> = {
  2: loinc('LA34479-8', 'Much better than expected'),
  1: loinc('LA34480-6', 'Better than expected'),
  0: loinc('LA34481-4', 'Expected outcome'),
  [-1]: loinc('LA34483-0', 'Less than expected'),
  [-2]: loinc('LA34484-8', 'Much less than expected'),
};

/** The LOINC answer for a GAS level. */
export function gasAnswerOf(level: GasLevel): LoincCode {
  return GAS_LEVEL_ANSWERS[level];
}

/** The GAS level a LOINC answer code stands for, or null when it is not one of LL6900-6's. */
export function gasLevelOfAnswer(coding: { system?: string; code?: string } | undefined): GasLevel | null {
  if (!coding || coding.system !== LOINC_SYSTEM) return null;
  for (const [level, answer] of Object.entries(GAS_LEVEL_ANSWERS)) {
    if (answer.code === coding.code) return Number(level) as GasLevel;
  }
  return null;
}
