import type { Viewpoint } from '../../domain/ratings.js';
import { checked, type FormBody, text } from '../../web/forms.js';
import { dateFromForm, type MappedForm } from '../outcomes/form.js';
import type { RecordStepProgressInput, SetStepInput } from './schema.js';

/**
 * The step forms ↔ the SetStep and RecordStepProgress contracts. Nothing is checked here: what
 * cannot be read (a date that is not one) is passed on as typed for the contract to name, and each
 * contract path maps back to its form field, so the error summary's links land on the field.
 */

/** The form for setting a step, as the SetStep contract. */
export function setStepFromForm(body: FormBody, reader: Viewpoint): MappedForm<SetStepInput> {
  const outcomeId = text(body, 'outcomeId');
  const words = text(body, 'words');
  const target = dateFromForm(body, 'targetDate');
  const input = {
    ...(outcomeId ? { outcomeId } : {}),
    words,
    targetDate: target.value,
  };
  return {
    // A date that is not one travels as typed; the contract, checked by the service, names it.
    input: input as SetStepInput,
    fieldFor: (path) => {
      if (path.startsWith('outcomeId')) return 'outcomeId';
      // The date input's first box carries the error, as on the conversation form.
      if (path.startsWith('targetDate')) return 'targetDate-day';
      return 'words';
    },
    wordingFor: (path) => {
      if (path === 'outcomeId' && !outcomeId) return 'Choose what the step is for';
      if (path === 'words' && !words) {
        return reader === 'person'
          ? 'Write your step, in your own words'
          : 'Write the step, in their own words';
      }
      if (path === 'targetDate' && !target.readable) {
        return 'The date to do it by must be a real date, for example 14 12 2026';
      }
      return undefined;
    },
  };
}

/** The form for ticking a step off, as the RecordStepProgress contract. */
export function stepProgressFromForm(body: FormBody): MappedForm<RecordStepProgressInput> {
  return {
    input: {
      done: checked(body, 'done'),
      whatHelped: text(body, 'whatHelped'),
      whatGotInTheWay: text(body, 'whatGotInTheWay'),
    },
    fieldFor: (path) =>
      path.startsWith('whatGotInTheWay')
        ? 'whatGotInTheWay'
        : path.startsWith('whatHelped')
          ? 'whatHelped'
          : 'done',
    wordingFor: () => undefined,
  };
}
