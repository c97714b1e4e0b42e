import { ContractError } from '../../services/contract.js';
import { ServiceError } from '../../services/errors.js';
import { checked, dateFields, type FieldError, type FormBody, formErrors, text } from '../../web/forms.js';
import type {
  AddCareTeamMemberInput,
  AddRelationshipInput,
  RegisterPersonInput,
  UpdateContactInput,
} from './schema.js';

/**
 * The people pages' forms, mapped onto their contracts (schema.ts) and back. Going in, form text
 * becomes the contract's shape and nothing more: blank optional text is null, a date's three
 * boxes become YYYY-MM-DD, and what cannot be read is passed on as typed so the contract names
 * it. Coming back, each contract path names the form field that holds it, so every refusal lands
 * on its field and the error summary's links work.
 */
export interface FormMapping {
  /** The form field id for a contract path, where they differ. */
  ids: Record<string, string>;
  /** The field for a refusal that names no field the form has. */
  fallback: string;
  /** What to say when the contract refuses a path, in the words of this form. */
  messages?: Record<string, string>;
}

/**
 * A service's refusal of what was typed, as errors on this form's fields. Anything else is
 * rethrown, refusals of the reader included (not signed in, not allowed, no such person): those
 * are not the form's to show, and the error handler renders them as pages. A 404 that names a
 * field (no one with that NHS number) is about what was typed, and stays on the form.
 */
export function errorsOnForm(error: unknown, mapping: FormMapping): FieldError[] {
  if (error instanceof ServiceError && (error.status === 401 || error.status === 403)) throw error;
  if (error instanceof ServiceError && error.status === 404 && !error.field) throw error;
  const idFor = (path: string) => mapping.ids[path] ?? (path.split('.')[0] || mapping.fallback);
  const errors = formErrors(error, idFor);
  if (!(error instanceof ContractError)) return errors;
  // The contract's own words fit an API; a form may say the same thing as its page asks it.
  return errors.map((e, i) => {
    const path = error.fields[i]?.field ?? '';
    const message = mapping.messages?.[path];
    return message ? { ...e, message } : e;
  });
}

const orNull = (value: string) => value || null;

/** The date-input's three boxes as YYYY-MM-DD (or as typed, for the contract to refuse); null when blank. */
export function dateFromForm(body: FormBody, name: string): string | null {
  const { day, month, year } = dateFields(body, name);
  if (!day && !month && !year) return null;
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

export const registerPersonForm = {
  input(body: FormBody): RegisterPersonInput {
    return {
      givenName: text(body, 'givenName'),
      familyName: text(body, 'familyName'),
      preferredName: orNull(text(body, 'preferredName')),
      dateOfBirth: dateFromForm(body, 'dateOfBirth'),
      nhsNumber: orNull(text(body, 'nhsNumber')),
      // Passed as chosen (or blank): the contract refuses what is not a sex it knows.
      sex: text(body, 'sex') as RegisterPersonInput['sex'],
      ethnicCategory: orNull(text(body, 'ethnicCategory')),
      postcode: orNull(text(body, 'postcode')),
      phone: orNull(text(body, 'phone')),
      communicationNeeds: orNull(text(body, 'communicationNeeds')),
      notADuplicate: checked(body, 'notADuplicate'),
    };
  },
  mapping: {
    ids: { dateOfBirth: 'dateOfBirth-day' },
    fallback: 'givenName',
    messages: {
      givenName: 'Enter their first name',
      familyName: 'Enter their last name',
      sex: 'Select their sex as registered',
      dateOfBirth: 'Date of birth must be a real date, for example 27 3 2026',
      ethnicCategory: 'Select an ethnic group from the list',
      postcode: 'Enter a real postcode, like RV1 2AB',
    },
  } satisfies FormMapping,
};

export const CONTACT_FIELDS = [
  'preferredName',
  'phone',
  'email',
  'preferredContactMethod',
  'address',
  'communicationNeeds',
] as const;

export const contactForm = {
  /** Every field, blank ones too: a field emptied on the form is cleared. */
  input(body: FormBody): UpdateContactInput {
    return Object.fromEntries(CONTACT_FIELDS.map((name) => [name, text(body, name)]));
  },
  mapping: {
    ids: {},
    fallback: 'preferredName',
    messages: { email: 'Enter an email address like name@example.com' },
  } satisfies FormMapping,
};

export const careTeamForm = {
  /** The placement select holds "organisationId:teamId" (the team part blank for the whole organisation). */
  input(body: FormBody): AddCareTeamMemberInput {
    const [organisationId = '', teamId = ''] = text(body, 'placement').split(':');
    const basis = text(body, 'basis');
    const purpose = text(body, 'purpose');
    return {
      organisationId,
      teamId: orNull(teamId),
      userId: orNull(text(body, 'userId')),
      supportKind: text(body, 'supportKind') as AddCareTeamMemberInput['supportKind'],
      roleDescription: text(body, 'roleDescription'),
      isKeyWorker: checked(body, 'isKeyWorker'),
      // The sharing section is filled in when it says what the record is shared for (a browser
      // always sends the pre-chosen basis); the service asks for it if the organisation needs one.
      sharing: purpose
        ? { basis: basis as NonNullable<AddCareTeamMemberInput['sharing']>['basis'], purpose }
        : null,
    };
  },
  mapping: {
    ids: {
      organisationId: 'placement',
      teamId: 'placement',
      sharing: 'basis',
      'sharing.basis': 'basis',
      'sharing.purpose': 'purpose',
    },
    fallback: 'placement',
    messages: {
      organisationId: 'Choose the organisation or team',
      supportKind: 'Choose the kind of support they give',
      'sharing.basis': 'Choose the basis for sharing the record',
      'sharing.purpose': 'Say what the record is shared for',
    },
  } satisfies FormMapping,
};

export const circleForm = {
  input(body: FormBody): AddRelationshipInput {
    return {
      name: text(body, 'name'),
      relationshipType: text(body, 'relationshipType'),
      isCarer: checked(body, 'isCarer'),
      contact: orNull(text(body, 'contact')),
      carerUsername: orNull(text(body, 'carerUsername')),
    };
  },
  mapping: {
    ids: {},
    fallback: 'name',
    messages: {
      name: 'Enter their name',
      relationshipType: 'Say who they are to the person, for example daughter or neighbour',
    },
  } satisfies FormMapping,
};

/** The carer-authorisation radios: nothing, see, or see and add. */
export const CARER_ACCESS = {
  none: { mayView: false, mayContribute: false },
  view: { mayView: true, mayContribute: false },
  contribute: { mayView: true, mayContribute: true },
} as const;

export function carerAccessFromForm(body: FormBody): (typeof CARER_ACCESS)[keyof typeof CARER_ACCESS] | null {
  const access = text(body, 'access');
  return Object.hasOwn(CARER_ACCESS, access) ? CARER_ACCESS[access as keyof typeof CARER_ACCESS] : null;
}
