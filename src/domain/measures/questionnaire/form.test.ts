import { describe, expect, it } from 'vitest';
import { importedFixture } from '../../../../test/support/questionnaire-fixtures.js';
import { fieldIdFor, formFromResponse, initialForm, responseFromForm } from './form.js';
import { answersOf } from './response.js';

describe('fieldIdFor', () => {
  it('makes a valid, distinct id of any linkId', () => {
    expect(fieldIdFor('/44250-9')).toBe('q-_2f_44250-9');
    expect(fieldIdFor('has-support')).toBe('q-has-support');
    const ids = ['a_b', 'a.b', 'a b', 'a/b', 'a_2e_b', 'å'].map(fieldIdFor);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z][A-Za-z0-9_-]*$/);
  });
});

describe('responseFromForm', () => {
  const wellbeing = importedFixture('wellbeing-check');
  const id = fieldIdFor;
  const base = { [id('low')]: '1', [id('worried')]: '2', [id('has-support')]: 'no' };

  it('builds the response in the questionnaire’s groups, with the calculated item worked out', () => {
    const { response, errors } = responseFromForm(wellbeing, {
      ...base,
      [id('name')]: '  Sam ',
      [`${id('seen')}[day]`]: '27',
      [`${id('seen')}[month]`]: '3',
      [`${id('seen')}[year]`]: '2026',
      [id('weight')]: '72.5',
      [id('wake')]: '7.30',
      [id('sleep')]: '0',
      [id('helps')]: ['0', '2'],
    });
    expect(errors).toEqual([]);
    const answers = answersOf(response);
    expect(answers.get('name')).toEqual([{ valueString: 'Sam' }]);
    expect(answers.get('seen')).toEqual([{ valueDate: '2026-03-27' }]);
    expect(answers.get('weight')).toEqual([{ valueDecimal: 72.5 }]);
    expect(answers.get('wake')).toEqual([{ valueTime: '07:30:00' }]);
    expect(answers.get('sleep')).toEqual([
      { valueCoding: { system: 'https://example.org/often', code: 'never', display: 'Never' } },
    ]);
    expect(answers.get('helps')).toEqual([{ valueString: 'Walking' }, { valueString: 'Friends' }]);
    expect(answers.get('mood-score')).toEqual([{ valueInteger: 3 }]);
    expect(response.item?.map((i) => i.linkId)).toEqual(['about-you', 'mood', 'support']);
    expect(response.questionnaire).toBe('https://example.org/fhir/Questionnaire/wellbeing-check|2');
  });

  it('says what is wrong with each field, in words that name the question', () => {
    const { errors } = responseFromForm(wellbeing, {
      [id('worried')]: '7',
      [id('has-support')]: 'yes',
      [id('talks')]: '11',
      [id('name')]: 'x'.repeat(41),
      [`${id('seen')}[day]`]: '31',
      [`${id('seen')}[month]`]: '2',
      [`${id('seen')}[year]`]: '2026',
      [id('weight')]: 'heavy',
      [id('wake')]: '25:00',
    });
    expect(errors).toEqual([
      { field: 'q-name', message: '‘What would you like us to call you’ must be 40 characters or fewer' },
      {
        field: 'q-seen-day',
        message: '‘When did you last see your GP’ must be a real date, for example 27 3 2026',
      },
      { field: 'q-weight', message: 'Enter a number between 20 and 300 for ‘Your weight’' },
      {
        field: 'q-wake',
        message: '‘What time do you usually wake up’ must be a time on the 24-hour clock, for example 14:30',
      },
      { field: 'q-low', message: 'Answer ‘Feeling low’' },
      { field: 'q-worried', message: 'Choose one of the answers to ‘Feeling worried’' },
      { field: 'q-support-who', message: 'Answer ‘Who do you talk to’' },
      {
        field: 'q-talks',
        message:
          'Enter a whole number between 0 and 10 for ‘How many times did you talk to someone last week’',
      },
    ]);
  });

  it('requires an item only when it is enabled, and drops answers of disabled items', () => {
    const { response, errors } = responseFromForm(wellbeing, {
      ...base,
      [id('support-who')]: 'My sister',
      [id('talks')]: 'not a number',
    });
    // has-support is "no" and low is not "never": talks is enabled (any), support-who is not.
    expect(errors).toEqual([expect.objectContaining({ field: 'q-talks' })]);
    const ok = responseFromForm(wellbeing, {
      ...base,
      [id('low')]: '0',
      [id('support-who')]: 'My sister',
      [id('talks')]: 'x',
    });
    expect(ok.errors).toEqual([]);
    expect(answersOf(ok.response).has('support-who')).toBe(false);
    expect(answersOf(response).has('support-who')).toBe(false);
  });

  it('round-trips through formFromResponse', () => {
    const fields = {
      ...base,
      [id('has-support')]: 'yes',
      [id('support-who')]: 'My sister',
      [`${id('seen')}[day]`]: '5',
      [`${id('seen')}[month]`]: '11',
      [`${id('seen')}[year]`]: '2025',
      [id('helps')]: ['1'],
      [id('wake')]: '06:45',
    };
    const { response } = responseFromForm(wellbeing, fields);
    expect(formFromResponse(wellbeing, response)).toEqual(fields);
  });

  it('starts from initial values', () => {
    const questionnaire = {
      ...wellbeing,
      item: [
        { linkId: 'n', type: 'integer' as const, text: 'N', initial: [{ valueInteger: 4 }] },
        {
          linkId: 'c',
          type: 'choice' as const,
          text: 'C',
          answerOption: [{ valueString: 'a' }, { valueString: 'b', initialSelected: true }],
        },
      ],
    };
    expect(initialForm(questionnaire)).toEqual({ 'q-n': '4', 'q-c': '1' });
  });
});
