import { describe, expect, it } from 'vitest';
import { setStepFromForm, stepProgressFromForm } from './form.js';
import { SetStepContract } from './schema.js';

describe('setStepFromForm', () => {
  it('maps the form onto the SetStep contract', () => {
    const outcomeId = '4b1d7c0e-6a4f-4f7e-9d8a-0e2d5a1c3b7f';
    const mapped = setStepFromForm(
      {
        outcomeId,
        words: ' Walk to the shop twice this week ',
        'targetDate[day]': '5',
        'targetDate[month]': '12',
        'targetDate[year]': '2026',
      },
      'person',
    );
    expect(mapped.input).toEqual({
      outcomeId,
      words: 'Walk to the shop twice this week',
      targetDate: '2026-12-05',
    });
    expect(() => SetStepContract.check(mapped.input)).not.toThrow();
  });

  it('leaves a blank date out as null and names each field the contract refuses', () => {
    const mapped = setStepFromForm({ words: '' }, 'person');
    expect(mapped.input).toEqual({ words: '', targetDate: null });
    expect(mapped.fieldFor('outcomeId')).toBe('outcomeId');
    expect(mapped.fieldFor('words')).toBe('words');
    expect(mapped.fieldFor('targetDate')).toBe('targetDate-day');
    expect(mapped.wordingFor('outcomeId')).toBe('Choose what the step is for');
    expect(mapped.wordingFor('words')).toBe('Write your step, in your own words');
    expect(setStepFromForm({}, 'carer').wordingFor('words')).toBe('Write the step, in their own words');
  });

  it('passes a date that is not one on as typed, for the contract to refuse', () => {
    const mapped = setStepFromForm(
      { 'targetDate[day]': '31', 'targetDate[month]': '2', 'targetDate[year]': '2027' },
      'person',
    );
    expect(mapped.input.targetDate).toBe('2027-2-31');
    expect(mapped.wordingFor('targetDate')).toMatch(/real date/);
  });
});

describe('stepProgressFromForm', () => {
  it('reads the tick and both notes', () => {
    expect(stepProgressFromForm({ done: 'yes', whatHelped: 'My neighbour came with me' }).input).toEqual({
      done: true,
      whatHelped: 'My neighbour came with me',
      whatGotInTheWay: '',
    });
    const unticked = stepProgressFromForm({ whatGotInTheWay: 'Rain' });
    expect(unticked.input.done).toBe(false);
    expect(unticked.fieldFor('whatGotInTheWay')).toBe('whatGotInTheWay');
  });
});
