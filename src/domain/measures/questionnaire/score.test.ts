import { describe, expect, it } from 'vitest';
import { importedFixture } from '../../../../test/support/questionnaire-fixtures.js';
import type { Questionnaire, QuestionnaireResponse } from '../types.js';
import { fieldIdFor, responseFromForm } from './form.js';
import { scoreQuestionnaire, scoringOf } from './score.js';

const PHQ9_LINK_IDS = [
  '/44250-9',
  '/44255-8',
  '/44259-0',
  '/44254-1',
  '/44251-7',
  '/44258-2',
  '/44252-5',
  '/44253-3',
  '/44260-8',
];
const LOINC_ANSWERS = ['LA6568-5', 'LA6569-3', 'LA6570-1', 'LA6571-9'];

/** A response written as another system would send it: codes only, no displays or scores. */
function phq9Response(values: number[]): QuestionnaireResponse {
  return {
    resourceType: 'QuestionnaireResponse',
    status: 'completed',
    item: values.map((v, i) => ({
      linkId: PHQ9_LINK_IDS[i] as string,
      answer: [{ valueCoding: { system: 'http://loinc.org', code: LOINC_ANSWERS[v] as string } }],
    })),
  };
}

describe('scoreQuestionnaire', () => {
  const phq9 = importedFixture('loinc-phq9');

  it('scores the LOINC PHQ-9 by its calculatedExpression, keyed by the total item’s linkId', () => {
    expect(scoringOf(phq9)).toBe('calculated');
    expect(scoreQuestionnaire(phq9, phq9Response([3, 3, 3, 3, 3, 3, 3, 3, 3]))).toEqual([
      { key: '/44261-6', label: 'Patient health questionnaire 9 item total score', value: 27, band: null },
    ]);
    expect(scoreQuestionnaire(phq9, phq9Response([0, 1, 2, 3, 0, 1, 2, 3, 1]))[0]?.value).toBe(13);
  });

  it('gives no total when nothing is answered (the expression answers empty), and sums what is', () => {
    expect(scoreQuestionnaire(phq9, phq9Response([]))).toEqual([]);
    expect(scoreQuestionnaire(phq9, phq9Response([2, 3]))[0]?.value).toBe(5);
  });

  it('works the total out again rather than trust one sent in the response', () => {
    const response = phq9Response([1, 1, 1, 1, 1, 1, 1, 1, 1]);
    response.item?.push({ linkId: '/44261-6', answer: [{ valueDecimal: 99 }] });
    expect(scoreQuestionnaire(phq9, response)[0]?.value).toBe(9);
  });

  it('uses variables declared on a group (ordinal() over itemWeight and ordinalValue)', () => {
    const wellbeing = importedFixture('wellbeing-check');
    const { response } = responseFromForm(wellbeing, {
      [fieldIdFor('low')]: '2',
      [fieldIdFor('worried')]: '2',
      [fieldIdFor('has-support')]: 'no',
    });
    expect(scoreQuestionnaire(wellbeing, response)).toEqual([
      { key: 'mood-score', label: 'Mood score', value: 4, band: null },
    ]);
  });

  it('sums the chosen options’ ordinal values when there is no calculated item', () => {
    const withoutTotal: Questionnaire = {
      ...phq9,
      extension: [],
      item: phq9.item?.filter((i) => i.linkId !== '/44261-6'),
    };
    expect(scoringOf(withoutTotal)).toBe('ordinal-sum');
    expect(scoreQuestionnaire(withoutTotal, phq9Response([1, 2, 3, 0, 0, 0, 0, 0, 2]))).toEqual([
      { key: 'total', label: 'Total score', value: 8, band: null },
    ]);
    expect(scoreQuestionnaire(withoutTotal, phq9Response([]))).toEqual([]);
  });

  it('does not score a questionnaire with neither', () => {
    const plain: Questionnaire = {
      resourceType: 'Questionnaire',
      status: 'active',
      item: [{ linkId: 'a', type: 'string', text: 'A' }],
    };
    expect(scoringOf(plain)).toBe('none');
    expect(scoreQuestionnaire(plain, { resourceType: 'QuestionnaireResponse', status: 'completed' })).toEqual(
      [],
    );
  });
});
