import type { Viewpoint } from '../../domain/ratings.js';
import { checked, type FormBody, list, text } from '../../web/forms.js';
import { dateFromForm, type MappedForm, numberOrText } from '../outcomes/form.js';
import type {
  CloseReferralInput,
  MakeReferralInput,
  RecordAttendanceInput,
  RespondToReferralInput,
} from './schema.js';

/**
 * The referral forms ↔ their contracts. Nothing is checked here: what cannot be read (a date that is
 * not one, a version that is not a number) is passed on as typed for the contract to name, and each
 * contract path maps back to its form field, so the error summary's links land on the field.
 */

/** The form for referring or signposting to a resource, as the MakeReferral contract. */
export function makeReferralFromForm(body: FormBody, reader: Viewpoint): MappedForm<MakeReferralInput> {
  const outcomeId = text(body, 'outcomeId');
  const kind = text(body, 'kind');
  const input = {
    resourceId: text(body, 'resourceId'),
    kind,
    outcomeId: outcomeId || null,
    needs: list(body, 'needs'),
    reason: text(body, 'reason'),
    shareConsent: checked(body, 'shareConsent'),
  };
  return {
    // Values not in a vocabulary travel as typed; the contract, checked by the service, names them.
    input: input as MakeReferralInput,
    fieldFor: (path) => {
      for (const field of ['outcomeId', 'needs', 'reason', 'shareConsent', 'kind'] as const) {
        if (path.startsWith(field)) return field;
      }
      // The resource is fixed by the page: its problems are told beside the choice of kind.
      return 'kind';
    },
    wordingFor: (path) => {
      if (path === 'kind' && !kind) return 'Choose whether to refer or to give the details';
      if (path === 'shareConsent') {
        return reader === 'person'
          ? 'Tick the box to agree your name and contact details can be shared, or give the details only'
          : 'Tick the box to confirm the person agrees their details can be shared, or give the details only';
      }
      return undefined;
    },
  };
}

/** The organisation's answer, as the RespondToReferral contract. */
export function respondFromForm(body: FormBody): MappedForm<RespondToReferralInput> {
  const response = text(body, 'response');
  const declineReason = text(body, 'declineReason');
  const input = {
    response,
    ...(response === 'decline' && declineReason ? { declineReason } : {}),
    note: text(body, 'note'),
    version: numberOrText(text(body, 'version')),
  };
  return {
    input: input as RespondToReferralInput,
    fieldFor: (path) =>
      path.startsWith('declineReason') ? 'declineReason' : path.startsWith('note') ? 'note' : 'response',
    wordingFor: (path) =>
      path === 'response' && !response ? 'Choose whether to accept or decline' : undefined,
  };
}

/** Whether the person came on a day, as the RecordAttendance contract. */
export function attendanceFromForm(body: FormBody): MappedForm<RecordAttendanceInput> {
  const day = dateFromForm(body, 'attendedOn');
  const outcome = text(body, 'outcome');
  const input = { attendedOn: day.value ?? '', outcome, note: text(body, 'note') };
  return {
    input: input as RecordAttendanceInput,
    // The date input's first box carries the error, as on the other forms with dates.
    fieldFor: (path) =>
      path.startsWith('attendedOn')
        ? 'attendedOn-day'
        : path.startsWith('note')
          ? 'attendanceNote'
          : 'outcome',
    wordingFor: (path) => {
      if (path === 'attendedOn' && !day.value) return 'Enter the day of the session';
      if (path === 'attendedOn' && !day.readable)
        return 'The day must be a real date, for example 14 12 2026';
      if (path === 'outcome' && !outcome) return 'Choose whether they came';
      return undefined;
    },
  };
}

/** Withdrawing or ending, as the CloseReferral contract. */
export function closeFromForm(body: FormBody): MappedForm<CloseReferralInput> {
  return {
    input: { note: text(body, 'note'), version: numberOrText(text(body, 'version')) } as CloseReferralInput,
    fieldFor: () => 'closeNote',
    wordingFor: () => undefined,
  };
}
