import { describe, expect, it } from 'vitest';
import { attendanceFromForm, closeFromForm, makeReferralFromForm, respondFromForm } from './form.js';
import {
  CloseReferralContract,
  MakeReferralContract,
  RecordAttendanceContract,
  RespondToReferralContract,
} from './schema.js';

const resourceId = '4b1d7c0e-6a4f-4f7e-9d8a-0e2d5a1c3b7f';
const outcomeId = '5c2e8d1f-7b5a-4f8e-8e9b-1f3e6b2d4c8a';

describe('makeReferralFromForm', () => {
  it('maps the form onto the MakeReferral contract', () => {
    const mapped = makeReferralFromForm(
      {
        resourceId,
        kind: 'referral',
        outcomeId,
        needs: ['loneliness-isolation', 'physical-activity'],
        reason: ' Would like to meet people ',
        shareConsent: 'yes',
      },
      'practitioner',
    );
    expect(mapped.input).toEqual({
      resourceId,
      kind: 'referral',
      outcomeId,
      needs: ['loneliness-isolation', 'physical-activity'],
      reason: 'Would like to meet people',
      shareConsent: true,
    });
    expect(() => MakeReferralContract.check(mapped.input)).not.toThrow();
  });

  it('reads a blank outcome as none, an unticked box as no consent, and names each field', () => {
    const mapped = makeReferralFromForm({ resourceId, kind: 'signpost', needs: 'food' }, 'person');
    expect(mapped.input).toMatchObject({ outcomeId: null, needs: ['food'], reason: '', shareConsent: false });
    expect(() => MakeReferralContract.check(mapped.input)).not.toThrow();
    expect(mapped.fieldFor('needs.0')).toBe('needs');
    expect(mapped.fieldFor('shareConsent')).toBe('shareConsent');
    expect(mapped.fieldFor('outcomeId')).toBe('outcomeId');
    expect(mapped.fieldFor('resourceId')).toBe('kind');
    expect(mapped.wordingFor('shareConsent')).toMatch(/your name/);
    expect(makeReferralFromForm({}, 'practitioner').wordingFor('kind')).toBe(
      'Choose whether to refer or to give the details',
    );
  });
});

describe('respondFromForm', () => {
  it('keeps the reason only for a decline, and reads the version as a number', () => {
    const declined = respondFromForm({
      response: 'decline',
      declineReason: 'no-capacity',
      note: 'Full',
      version: '3',
    });
    expect(declined.input).toEqual({
      response: 'decline',
      declineReason: 'no-capacity',
      note: 'Full',
      version: 3,
    });
    expect(() => RespondToReferralContract.check(declined.input)).not.toThrow();
    const accepted = respondFromForm({ response: 'accept', declineReason: 'no-capacity', version: '1' });
    expect(accepted.input).not.toHaveProperty('declineReason');
    expect(respondFromForm({ version: '1' }).wordingFor('response')).toBe(
      'Choose whether to accept or decline',
    );
    expect(declined.fieldFor('declineReason')).toBe('declineReason');
  });
});

describe('attendanceFromForm', () => {
  it('reads the date boxes as a day, and lands a date problem on its first box', () => {
    const mapped = attendanceFromForm({
      'attendedOn[day]': '4',
      'attendedOn[month]': '11',
      'attendedOn[year]': '2026',
      outcome: 'attended',
    });
    expect(mapped.input).toEqual({ attendedOn: '2026-11-04', outcome: 'attended', note: '' });
    expect(() => RecordAttendanceContract.check(mapped.input)).not.toThrow();
    const blank = attendanceFromForm({});
    expect(blank.fieldFor('attendedOn')).toBe('attendedOn-day');
    expect(blank.wordingFor('attendedOn')).toBe('Enter the day of the session');
    expect(blank.wordingFor('outcome')).toBe('Choose whether they came');
    const unreal = attendanceFromForm({
      'attendedOn[day]': '31',
      'attendedOn[month]': '2',
      'attendedOn[year]': '2026',
    });
    expect(unreal.input.attendedOn).toBe('2026-2-31');
    expect(unreal.wordingFor('attendedOn')).toMatch(/real date/);
  });
});

describe('closeFromForm', () => {
  it('maps a note and the version', () => {
    const mapped = closeFromForm({ note: 'Moved away', version: '2' });
    expect(mapped.input).toEqual({ note: 'Moved away', version: 2 });
    expect(() => CloseReferralContract.check(mapped.input)).not.toThrow();
  });
});
