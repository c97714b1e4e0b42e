import { describe, expect, it } from 'vitest';
import { ContractError } from '../../services/contract.js';
import { fieldIdFor, formValuesOf, resourceFormErrors, resourceFormFrom } from './form.js';
import { CommunityResourceContract } from './schema.js';

const body = {
  organisationId: 'org',
  name: ' Knit and Natter ',
  kind: 'arts-culture',
  summary: 'Knitting and a chat',
  needs: ['loneliness-isolation', 'learning'],
  address: 'Library\r\n\r\n High Street ',
  postcode: 'rv1 1aa',
  'session-0-day': '',
  'session-0-start': '',
  'session-0-end': '',
  'session-1-day': 'thu',
  'session-1-start': '14:00',
  'session-1-end': '16:00',
  costKind: 'donation',
  selfReferral: 'yes',
  acceptingReferrals: 'no',
  capacity: '12',
  minAge: '',
};

describe('the staff form', () => {
  it('maps onto the contract: blank session rows left out, yes/no as booleans, numbers as numbers', () => {
    const mapped = resourceFormFrom(body);
    expect(mapped.organisationId).toBe('org');
    expect(mapped.input).toMatchObject({
      name: 'Knit and Natter',
      address: 'Library\nHigh Street',
      sessions: [{ day: 'thu', start: '14:00', end: '16:00' }],
      selfReferral: true,
      acceptingReferrals: false,
      capacity: 12,
      minAge: null,
      online: false,
      phone: null,
    });
    expect(mapped.sessionRows).toEqual([1]);
    expect(CommunityResourceContract.problems(mapped.input)).toEqual([]);
  });

  it('sends what is not a number as typed, so the contract names the field', () => {
    const mapped = resourceFormFrom({ ...body, capacity: 'a dozen', selfReferral: '' });
    const fields = CommunityResourceContract.problems(mapped.input).map((p) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['capacity', 'selfReferral']));
  });

  it('puts each error on the form field that holds it, sessions on the row they came from', () => {
    expect(fieldIdFor('sessions.0.end', [1])).toBe('session-1-end');
    expect(fieldIdFor('needs.1')).toBe('needs');
    expect(fieldIdFor('version')).toBe('version-warning');
    const errors = resourceFormErrors(
      new ContractError([
        { field: 'sessions.0.end', message: 'must be later than the start time' },
        { field: 'email', message: 'Enter an email address like name@example.org' },
      ]),
      [1],
    );
    expect(errors).toEqual([
      { field: 'session-1-end', message: 'Session 1: the end time must be later than the start time.' },
      { field: 'email', message: 'Enter an email address like name@example.org.' },
    ]);
  });

  it('shows a saved entry back as it was typed', () => {
    const mapped = resourceFormFrom(body);
    const values = formValuesOf({
      ...mapped.input,
      resourceId: 'r',
      organisationId: 'org',
      organisationName: 'Org',
      maintainerUserId: null,
      maintainerName: null,
      reviewDue: '2027-01-01',
      lastReviewedAt: null,
      status: 'active',
      version: 4,
      createdAt: '',
      updatedAt: '',
    });
    expect(
      resourceFormFrom({
        ...values.text,
        ...values.ticked,
        'session-0-day': 'thu',
        'session-0-start': '14:00',
        'session-0-end': '16:00',
      }).input,
    ).toEqual(mapped.input);
    expect(values.version).toBe('4');
  });
});
