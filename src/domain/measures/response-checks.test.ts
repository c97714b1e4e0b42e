import { describe, expect, it } from 'vitest';
import { answersFromResponse, INSTRUMENTS } from './instruments/index.js';
import { responseFromAnswers, responseProblem } from './response-checks.js';
import type { QuestionnaireResponse } from './types.js';

const phq9 = INSTRUMENTS.phq9;

describe('answers as numbers ↔ a QuestionnaireResponse', () => {
  it('a built-in’s answers become the options with those ordinal values, and read back the same', () => {
    const answers = [0, 1, 2, 3, 0, 1, 2, 3, 1];
    const built = responseFromAnswers(phq9.questionnaire, answers, '2026-03-01');
    if ('problem' in built) throw new Error(built.problem.message);
    expect(built.response).toMatchObject({
      resourceType: 'QuestionnaireResponse',
      status: 'completed',
      authored: '2026-03-01',
    });
    expect(answersFromResponse(phq9, built.response)).toEqual(answers);
    expect(phq9.score(answersFromResponse(phq9, built.response))[0]?.value).toBe(13);
  });

  it('names the answer that is no option’s value', () => {
    expect(responseFromAnswers(phq9.questionnaire, [0, 0, 7], '2026-03-01')).toEqual({
      problem: { field: 'answers.2', message: 'must be one of 0, 1, 2, 3, got 7' },
    });
  });
});

describe('a response sent whole', () => {
  const built = responseFromAnswers(phq9.questionnaire, [1, 1, 1, 1, 1, 1, 1, 1, 1], '2026-03-01');
  const complete = ('response' in built ? built.response : null) as QuestionnaireResponse;

  it('passes when every required question is answered with one of its options', () => {
    expect(responseProblem(phq9.questionnaire, complete)).toBeNull();
  });

  it('names a required question left unanswered', () => {
    const missing = { ...complete, item: complete.item?.slice(1) };
    expect(responseProblem(phq9.questionnaire, missing)?.message).toMatch(/is not answered$/);
  });

  it('refuses an item the questionnaire does not have, and an answer that is not an option', () => {
    const extra = {
      ...complete,
      item: [...(complete.item ?? []), { linkId: 'nope', answer: [{ valueInteger: 1 }] }],
    };
    expect(responseProblem(phq9.questionnaire, extra)).toEqual({
      field: 'response.item',
      message: 'nope is not a question of this questionnaire',
    });
    const first = complete.item?.[0];
    const wrong = {
      ...complete,
      item: [
        { linkId: first?.linkId ?? '', answer: [{ valueCoding: { code: 'LA-nothing' } }] },
        ...(complete.item ?? []).slice(1),
      ],
    };
    expect(responseProblem(phq9.questionnaire, wrong)?.message).toContain(
      'not one of the question’s options',
    );
  });
});
