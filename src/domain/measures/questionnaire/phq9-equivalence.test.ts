import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { questionnaireFixture } from '../../../../test/support/questionnaire-fixtures.js';
import { INSTRUMENTS } from '../instruments/index.js';
import { analyseQuestionnaire } from './analyse.js';
import { fieldIdFor, responseFromForm } from './form.js';
import { scoreQuestionnaire } from './score.js';

/**
 * Issue 11's acceptance: an imported external PHQ-9 (LOINC 44249-1 as LHC-Forms publishes it,
 * scored by its own calculatedExpression with the fhirpath library) scores identically to the
 * built-in PHQ-9 on 1,000 random answer sets.
 */
describe('the imported LOINC PHQ-9 and the built-in PHQ-9', () => {
  const json = questionnaireFixture('loinc-phq9');
  const { questionnaire, problems } = analyseQuestionnaire(json);

  it('score every answer set the same', () => {
    expect(problems).toEqual([]);
    if (!questionnaire) return;
    const scored = (questionnaire.item ?? []).filter((i) => i.type === 'choice').slice(0, 9);
    expect(scored).toHaveLength(9);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 9, maxLength: 9 }),
        fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
        (answers, difficulty) => {
          // Answered through the form as a person would: each option by its position, which is
          // the one whose LOINC answer has that ordinal value.
          const fields: Record<string, string> = {};
          scored.forEach((item, i) => {
            const index = item.answerOption?.findIndex((o) => o.extension?.[0]?.valueDecimal === answers[i]);
            fields[fieldIdFor(item.linkId)] = String(index);
          });
          if (difficulty !== undefined) fields[fieldIdFor('/69722-7')] = String(difficulty);
          const { response, errors } = responseFromForm(questionnaire, fields);
          expect(errors).toEqual([]);
          const imported = scoreQuestionnaire(questionnaire, response);
          const builtIn = INSTRUMENTS.phq9.score(
            difficulty === undefined ? answers : [...answers, difficulty],
          );
          expect(imported).toHaveLength(1);
          expect(imported[0]?.value).toBe(builtIn.find((s) => s.key === 'total')?.value);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
