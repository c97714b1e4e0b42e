import { describe, expect, it } from 'vitest';
import { ContractError } from '../../services/contract.js';
import { invalid, ServiceError } from '../../services/errors.js';
import {
  CARER_ACCESS,
  carerAccessFromForm,
  careTeamForm,
  circleForm,
  contactForm,
  dateFromForm,
  errorsOnForm,
  registerPersonForm,
} from './form.js';
import {
  AddCareTeamMemberContract,
  AddRelationshipContract,
  RegisterPersonContract,
  UpdateContactContract,
} from './schema.js';

/** What the contract says of a form's input, as the page would show it. */
function refusal(check: () => unknown): unknown {
  try {
    check();
  } catch (error) {
    return error;
  }
  throw new Error('expected the contract to refuse the input');
}

describe('the register form', () => {
  it('maps a complete form onto the contract', () => {
    const input = registerPersonForm.input({
      givenName: ' Joan ',
      familyName: 'Whitfield',
      sex: 'female',
      'dateOfBirth[day]': '3',
      'dateOfBirth[month]': '7',
      'dateOfBirth[year]': '1944',
      postcode: 'rv1 2ab',
      nhsNumber: '',
    });
    expect(input).toMatchObject({
      givenName: 'Joan',
      dateOfBirth: '1944-07-03',
      postcode: 'rv1 2ab',
      nhsNumber: null,
    });
    expect(RegisterPersonContract.problems(input)).toEqual([]);
  });

  it('passes on what it cannot read, and every refusal lands on its field in the page’s words', () => {
    const input = registerPersonForm.input({
      givenName: 'Joan',
      'dateOfBirth[day]': '31',
      'dateOfBirth[month]': '2',
      'dateOfBirth[year]': '1950',
      postcode: 'nonsense',
      ethnicCategory: 'Y',
    });
    const errors = errorsOnForm(
      refusal(() => RegisterPersonContract.check(input)),
      registerPersonForm.mapping,
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'familyName', message: 'Enter their last name' },
        { field: 'sex', message: 'Select their sex as registered' },
        { field: 'dateOfBirth-day', message: 'Date of birth must be a real date, for example 27 3 2026' },
        { field: 'postcode', message: 'Enter a real postcode, like RV1 2AB' },
        { field: 'ethnicCategory', message: 'Select an ethnic group from the list' },
      ]),
    );
  });

  it('does not read a two-digit year as a date', () => {
    expect(dateFromForm({ 'd[day]': '1', 'd[month]': '2', 'd[year]': '50' }, 'd')).toBe('50-02-01');
    expect(dateFromForm({}, 'd')).toBeNull();
  });

  it('keeps the service’s own words for its refusals, on the field it names', () => {
    const error = invalid('Enter a valid 10-digit NHS number (it fails the Modulus 11 check).', 'nhsNumber');
    expect(errorsOnForm(error, registerPersonForm.mapping)).toEqual([
      { field: 'nhsNumber', message: error.message },
    ]);
  });

  it('leaves refusals of the reader to the error pages', () => {
    const notAllowed = new ServiceError(403, 'Not allowed', 'No.');
    const notFound = new ServiceError(404, 'Not found', 'No person with that id.');
    expect(() => errorsOnForm(notAllowed, registerPersonForm.mapping)).toThrow(notAllowed);
    expect(() => errorsOnForm(notFound, registerPersonForm.mapping)).toThrow(notFound);
  });
});

describe('the contact form', () => {
  it('sends every field, so one emptied is cleared', () => {
    const input = contactForm.input({ preferredName: 'Jo' });
    expect(input).toEqual({
      preferredName: 'Jo',
      phone: '',
      email: '',
      preferredContactMethod: '',
      address: '',
      communicationNeeds: '',
    });
    expect(UpdateContactContract.problems(input)).toEqual([]);
  });

  it('puts a malformed email on the email field', () => {
    const error = refusal(() => UpdateContactContract.check(contactForm.input({ email: 'not-an-email' })));
    expect(error).toBeInstanceOf(ContractError);
    expect(errorsOnForm(error, contactForm.mapping)).toEqual([
      { field: 'email', message: 'Enter an email address like name@example.com' },
    ]);
  });
});

describe('the care team form', () => {
  const organisationId = '0b6a3c1e-8a39-4c57-9d0f-2d1a7a3c5e11';
  const teamId = '5f0c2b7e-1d3a-4e8b-a6c9-3b2d1e0f4a77';

  it('splits the placement into organisation and team', () => {
    const input = careTeamForm.input({ placement: `${organisationId}:${teamId}`, supportKind: 'housing' });
    expect(input).toMatchObject({ organisationId, teamId, userId: null, sharing: null });
    expect(AddCareTeamMemberContract.problems(input)).toEqual([]);
  });

  it('refuses no placement and an unknown kind of support on their fields', () => {
    const input = careTeamForm.input({ supportKind: 'magic', purpose: 'Adaptations', basis: 'whim' });
    const errors = errorsOnForm(
      refusal(() => AddCareTeamMemberContract.check(input)),
      careTeamForm.mapping,
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'placement', message: 'Choose the organisation or team' },
        { field: 'supportKind', message: 'Choose the kind of support they give' },
        { field: 'basis', message: 'Choose the basis for sharing the record' },
      ]),
    );
  });
});

describe('the circle form', () => {
  it('asks for a name and who they are', () => {
    const errors = errorsOnForm(
      refusal(() => AddRelationshipContract.check(circleForm.input({}))),
      circleForm.mapping,
    );
    expect(errors.map((e) => e.field)).toEqual(['name', 'relationshipType']);
  });
});

describe('what a carer may do', () => {
  it('reads the three choices and nothing else', () => {
    expect(carerAccessFromForm({ access: 'view' })).toEqual(CARER_ACCESS.view);
    expect(carerAccessFromForm({ access: 'contribute' })).toEqual({ mayView: true, mayContribute: true });
    expect(carerAccessFromForm({ access: 'none' })).toEqual({ mayView: false, mayContribute: false });
    expect(carerAccessFromForm({})).toBeNull();
    expect(carerAccessFromForm({ access: 'toString' })).toBeNull();
  });
});
