import { describe, expect, it } from 'vitest';
import { GAS_LEVELS } from '../gas.js';
import {
  GAS_GOAL_MEASURE,
  GAS_LEVEL_ANSWERS,
  GAS_SCORE_CODES,
  gasAnswerOf,
  gasLevelOfAnswer,
  LOINC_SYSTEM,
  PCO_GAS_EXTENSION,
} from './pco.js';

describe('PCO and LOINC codes for GAS', () => {
  it('are the STU1 values in docs/research/issue-13-fhir.md §3.1', () => {
    expect(PCO_GAS_EXTENSION).toBe(
      'http://hl7.org/fhir/us/pco/StructureDefinition/pco-goal-attainment-scaling',
    );
    expect(GAS_GOAL_MEASURE.code).toBe('107332-9');
    expect(GAS_SCORE_CODES.baseline.code).toBe('112296-9');
    expect(GAS_SCORE_CODES.practitioner.code).toBe('107333-7');
    expect(GAS_SCORE_CODES.patient.code).toBe('107334-5');
    expect(GAS_SCORE_CODES.caregiver.code).toBe('107331-1');
  });

  it('give each level its LL6900-6 answer, +2 to −2 as the research table lists them', () => {
    const table: [number, string][] = [
      [2, 'LA34479-8'],
      [1, 'LA34480-6'],
      [0, 'LA34481-4'],
      [-1, 'LA34483-0'],
      [-2, 'LA34484-8'],
    ];
    for (const [level, code] of table) {
      expect(GAS_LEVEL_ANSWERS[level as -2 | -1 | 0 | 1 | 2].code).toBe(code);
    }
    expect(new Set(Object.values(GAS_LEVEL_ANSWERS).map((a) => a.system))).toEqual(new Set([LOINC_SYSTEM]));
  });

  it('map levels to answers and back, for every level', () => {
    for (const level of GAS_LEVELS) expect(gasLevelOfAnswer(gasAnswerOf(level))).toBe(level);
  });

  it('read no level from a code outside the answer list or another system', () => {
    expect(gasLevelOfAnswer({ system: LOINC_SYSTEM, code: 'LA6111-4' })).toBeNull();
    expect(gasLevelOfAnswer({ system: 'http://snomed.info/sct', code: 'LA34481-4' })).toBeNull();
    expect(gasLevelOfAnswer({ code: 'LA34481-4' })).toBeNull();
    expect(gasLevelOfAnswer(undefined)).toBeNull();
  });
});
