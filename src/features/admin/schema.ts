import { type Static, Type } from '@sinclair/typebox';
import { ORGANISATION_KINDS } from '../../domain/organisation-kinds.js';
import { contract } from '../../services/contract.js';

/**
 * The administration pages' contracts: an organisation and a team as an administrator adds or
 * changes them. User accounts' rules live with the accounts (`auth/user-accounts.ts`), which the
 * command line shares.
 */

export const OrganisationBody = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: 200,
      errorMessage: 'Enter the organisation’s name (up to 200 characters)',
    }),
    kind: Type.Union(
      ORGANISATION_KINDS.map((k) => Type.Literal(k)),
      { errorMessage: 'Choose the kind of organisation' },
    ),
    odsCode: Type.Union([
      Type.Null(),
      Type.String({
        pattern: '^[A-Z0-9]{3,10}$',
        errorMessage: 'An ODS code is 3 to 10 letters and digits, for example RGT or Y02345',
      }),
    ]),
  },
  { additionalProperties: false },
);
export type OrganisationInput = Static<typeof OrganisationBody>;
export const OrganisationContract = contract(OrganisationBody);

export const TeamBody = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: 200,
      errorMessage: 'Enter the team’s name (up to 200 characters)',
    }),
  },
  { additionalProperties: false },
);
export type TeamInput = Static<typeof TeamBody>;
export const TeamContract = contract(TeamBody);
