import { ORGANISATION_KINDS, type OrganisationKind } from '../../domain/organisation-kinds.js';
import { ContractError } from '../../services/contract.js';
import { ServiceError } from '../../services/errors.js';
import { type FieldError, type FormBody, text } from '../../web/forms.js';
import type { OrganisationInput } from './schema.js';

/**
 * The administration forms: flat fields mapped onto the services' inputs, nothing checked here
 * (an unknown kind is passed on as typed, so the contract refuses it on its field), and the
 * services' refusals mapped back onto the fields that hold them.
 */

export function organisationFrom(body: FormBody): {
  values: Record<string, string>;
  input: OrganisationInput;
} {
  const values = { name: text(body, 'name'), kind: text(body, 'kind'), odsCode: text(body, 'odsCode') };
  return {
    values,
    input: { name: values.name, kind: values.kind as OrganisationKind, odsCode: values.odsCode || null },
  };
}

export function accountFrom(body: FormBody) {
  const values = {
    username: text(body, 'username'),
    name: text(body, 'name'),
    jobTitle: text(body, 'jobTitle'),
    role: text(body, 'role'),
    organisationId: text(body, 'organisationId'),
    teamId: text(body, 'teamId'),
  };
  return {
    values,
    input: {
      username: values.username,
      displayName: values.name,
      jobTitle: values.jobTitle || null,
      role: values.role,
      organisationId: values.organisationId || null,
      teamId: values.teamId || null,
    },
  };
}

/** The id of the field holding a service's field: the role's radios start at `role`, the rest are their own. */
const FIELD_IDS: Record<string, string> = { displayName: 'name', role: 'role', newPassword: 'newPassword' };

/**
 * A service's refusal as errors on the form's fields, in the service's own words (every field of
 * the administration contracts carries a sentence a person can act on); anything else is rethrown.
 */
export function adminFormErrors(error: unknown, fallbackField: string): FieldError[] {
  if (error instanceof ContractError) {
    return error.fields.map((f) => ({
      field: FIELD_IDS[f.field] ?? (f.field || fallbackField),
      message: sentence(f.message),
    }));
  }
  if (error instanceof ServiceError && error.status < 500) {
    return [
      {
        field: FIELD_IDS[error.field ?? ''] ?? (error.field || fallbackField),
        message: sentence(error.message),
      },
    ];
  }
  throw error;
}

const sentence = (message: string) => {
  const capitalised = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
};

export const ORGANISATION_KIND_CHOICES: readonly OrganisationKind[] = ORGANISATION_KINDS;
