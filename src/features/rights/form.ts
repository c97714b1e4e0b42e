import { ServiceError } from '../../services/errors.js';
import { checked, type FieldError, type FormBody, formErrors, text } from '../../web/forms.js';
import type {
  ErasureConfirmInput,
  ErasureDeclineInput,
  ErasureRequestInput,
  RectificationRequestInput,
  RectificationResolutionInput,
} from './schema.js';

/**
 * The rights forms mapped onto their contracts, and the contracts' field paths back onto the form
 * fields. The forms' field names are the contracts' paths, so the mapping back is the identity
 * except for a refusal that names no field. Nothing is checked here: what the form cannot say
 * (a missing choice, say) is passed through for the service's contract to refuse.
 */

export const rectificationRequestFrom = (body: FormBody): RectificationRequestInput => ({
  whatIsWrong: text(body, 'whatIsWrong'),
  whatItShouldSay: text(body, 'whatItShouldSay'),
});

export const rectificationResolutionFrom = (body: FormBody): RectificationResolutionInput => ({
  // Whatever was (or was not) chosen goes to the contract, which refuses anything but its outcomes.
  outcome: text(body, 'outcome') as RectificationResolutionInput['outcome'],
  response: text(body, 'response'),
});

export const erasureRequestFrom = (body: FormBody): ErasureRequestInput => ({
  grounds: text(body, 'grounds'),
});

export const erasureDeclineFrom = (body: FormBody): ErasureDeclineInput => ({ reason: text(body, 'reason') });

export const erasureConfirmFrom = (body: FormBody): ErasureConfirmInput => ({
  // An unticked box is `false`, which the contract refuses.
  confirm: checked(body, 'confirm') as true,
});

/**
 * What a choice left unmade is called on the page: the design system asks for "Select …" and
 * "Confirm …" on radios and checkboxes, where the contract can only say what value it wants.
 */
const CHOICE_MESSAGES: Record<string, string> = {
  outcome: 'Select whether the record was corrected',
  confirm: 'Confirm that you have read what will be erased and what will be kept',
};

/**
 * A refusal of what was typed (the contract's 400, the service's 422, or a 409 about the input)
 * as errors on the form's fields; `fallbackField` holds a refusal that names no field. Access
 * refusals and faults are rethrown, for the error pages.
 */
export function rightsFormErrors(error: unknown, fallbackField: string): FieldError[] {
  if (!(error instanceof ServiceError) || ![400, 409, 422].includes(error.status)) throw error;
  return formErrors(error, (path) => path || fallbackField).map((e) => ({
    field: e.field,
    message: CHOICE_MESSAGES[e.field] ?? e.message,
  }));
}
