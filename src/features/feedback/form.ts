import { FEEDBACK_LIMITS } from '../../domain/feedback/vocabulary.js';
import { dateInput, type FieldError, type FormBody, text } from '../../web/forms.js';
import { PublicFeedbackContract, StaffFeedbackContract } from './schema.js';

/**
 * The feedback forms' posts mapped onto their contracts (schema.ts), with messages a person can act
 * on, each naming its question and linked to its field's id. The contract is the one the service
 * checks: the page only words its refusals.
 */

/** The name of the hidden field people never see: only programs fill it in. */
export const HONEYPOT_FIELD = 'website';

/** Each contract field's question as the form asks it, for messages that name it. */
const QUESTION: Record<string, string> = {
  fft: 'How was your experience',
  whatWasGood: '‘What was good?’',
  whatCouldBeBetter: '‘What could be better?’',
  writer: 'Who is writing',
  ageBand: 'Age',
  consentToPublish: 'Whether we may publish your feedback',
  channel: 'How it was received',
  receivedOn: 'The date it was received',
};

/** A choice as sent, or null when none was made: the contract refuses anything not offered. */
const choice = (body: FormBody, name: string): string | null => text(body, name) || null;

/** The fields every story has, from the form, as the contract names them. */
function storyFields(body: FormBody): Record<string, unknown> {
  const consent = text(body, 'consentToPublish');
  return {
    fft: choice(body, 'fft') ?? undefined,
    // Not trimmed of inner text: only the edges, as every form field is.
    whatWasGood: text(body, 'whatWasGood'),
    whatCouldBeBetter: text(body, 'whatCouldBeBetter'),
    writer: choice(body, 'writer'),
    ageBand: choice(body, 'ageBand'),
    consentToPublish: consent === 'yes' ? true : consent === 'no' ? false : undefined,
  };
}

/** The field's id on the page, where the error summary's link lands. */
const fieldId = (field: string) => (field === 'receivedOn' ? 'receivedOn-day' : field);

function messagesFor(input: Record<string, unknown>, problems: { field: string; message: string }[]) {
  const errors: FieldError[] = [];
  for (const { field, message } of problems) {
    if (field === 'submissionToken') {
      errors.push({ field: 'fft', message: 'This form has expired: check your answers and send it again' });
      continue;
    }
    const value = input[field];
    const missing = value === undefined || value === null || value === '';
    let sentence: string;
    if (field === 'fft' && missing) sentence = 'Select how your experience of the service was';
    else if (field === 'consentToPublish' && missing)
      sentence = 'Select yes if we may publish your feedback, or no';
    else if (field === 'channel' && missing) sentence = 'Select how the feedback was received';
    else if (typeof value === 'string' && value.length > FEEDBACK_LIMITS.text) {
      sentence = `${QUESTION[field] ?? field} must be ${FEEDBACK_LIMITS.text.toLocaleString('en-GB')} characters or fewer (it has ${value.length.toLocaleString('en-GB')})`;
    } else sentence = `${QUESTION[field] ?? field} ${message}`;
    errors.push({ field: fieldId(field), message: sentence });
  }
  return errors;
}

/** The public form's post as the contract's input, or the errors to show. */
export function publicFeedbackFromForm(body: FormBody): {
  input: Record<string, unknown>;
  errors: FieldError[];
  honeypotFilled: boolean;
} {
  const input = { ...storyFields(body), submissionToken: text(body, 'submissionToken') };
  const errors = messagesFor(input, PublicFeedbackContract.problems(input));
  return { input, errors, honeypotFilled: text(body, HONEYPOT_FIELD) !== '' };
}

/** The staff entry form's post as the contract's input, or the errors to show. */
export function staffFeedbackFromForm(body: FormBody): {
  input: Record<string, unknown>;
  errors: FieldError[];
} {
  const received = dateInput(body, 'receivedOn');
  const input = {
    ...storyFields(body),
    channel: choice(body, 'channel') ?? undefined,
    receivedOn: received.value ?? undefined,
  };
  const errors = received.error
    ? [{ field: fieldId('receivedOn'), message: `The date it was received ${received.error}` }]
    : [];
  const problems = StaffFeedbackContract.problems(input).filter(
    (p) => !(received.error && p.field === 'receivedOn'),
  );
  errors.push(
    ...messagesFor(
      input,
      problems.map((p) =>
        p.field === 'receivedOn' && !input.receivedOn ? { ...p, message: 'is required' } : p,
      ),
    ),
  );
  return { input, errors };
}
