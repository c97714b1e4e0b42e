import { type Static, Type } from '@sinclair/typebox';
import { MAX_DISTANCE_MILES, TIMES_OF_DAY } from '../../domain/community/search.js';
import { DAYS, NEEDS, RESOURCE_KINDS } from '../../domain/community/vocabulary.js';
import { POSTCODE_PATTERN } from '../../domain/postcode.js';
import { contract } from '../../services/contract.js';
import { CommunityResourceSchema } from './schema.js';

/** Results to a page of a search: nearest first, a page at a time. */
export const SEARCH_PAGE_SIZE = 20;

/**
 * The one contract of a search of the community directory: the JSON API's query string, the
 * service's input, and the public page's GET form (each field's name is the form field's name and
 * id). Every value is text, as a query string is; a blank field is left out by the page and the API.
 */

const oneOf = <T extends string>(values: readonly T[], description: string, errorMessage: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    { description, errorMessage },
  );

const yes = (description: string) =>
  Type.Literal('yes', { description: `${description}: yes`, errorMessage: 'Tick the box or leave it blank' });

export const CommunitySearchQuery = Type.Object(
  {
    need: Type.Optional(
      oneOf(NEEDS, 'A need or concern the support helps with', 'Choose a need from the list'),
    ),
    kind: Type.Optional(
      oneOf(RESOURCE_KINDS, 'The kind of support', 'Choose a kind of support from the list'),
    ),
    domain: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 80,
        description: 'An outcome domain code (outcome_domain.code)',
        errorMessage: 'Choose an outcome from the list',
      }),
    ),
    postcode: Type.Optional(
      Type.String({
        maxLength: 12,
        pattern: POSTCODE_PATTERN,
        description: 'Where the person is: distances are measured from its postcode sector',
        errorMessage: 'Enter a real postcode, like RV1 2AB',
      }),
    ),
    within: Type.Optional(
      Type.String({
        pattern: `^([1-9]|[1-9][0-9]|${MAX_DISTANCE_MILES})$`,
        description: `Only support at most this many miles away (whole miles, 1 to ${MAX_DISTANCE_MILES}); online support is always included`,
        errorMessage: `Choose how far you can travel, in whole miles from 1 to ${MAX_DISTANCE_MILES}`,
      }),
    ),
    day: Type.Optional(oneOf(DAYS, 'A day it meets (mon … sun)', 'Choose a day from the list')),
    time: Type.Optional(
      oneOf(
        TIMES_OF_DAY,
        'A part of the day it meets: morning (before 12:00), afternoon (12:00 to 17:00), evening (after 17:00)',
        'Choose morning, afternoon or evening',
      ),
    ),
    words: Type.Optional(
      Type.String({
        maxLength: 200,
        description: 'Words to find in the name, summary or description (all of them)',
        errorMessage: 'Enter up to 200 characters to search for',
      }),
    ),
    free: Type.Optional(yes('Free support only')),
    selfReferral: Type.Optional(yes('Only support people can contact themselves')),
    page: Type.Optional(
      Type.String({
        pattern: '^[1-9][0-9]{0,3}$',
        description: `Which page of the results, ${SEARCH_PAGE_SIZE} to a page (1 to 9999; default 1)`,
        errorMessage: 'Choose a page of the results from the links below them',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CommunitySearchInput = Static<typeof CommunitySearchQuery>;
export const CommunitySearchContract = contract(CommunitySearchQuery);

/** The fields of a search, in the order the form shows them (and the error summary lists them), then the page. */
export const SEARCH_FIELDS = Object.keys(CommunitySearchQuery.properties) as (keyof CommunitySearchInput)[];

/** The fields the search form shows: a refusal of anything else (the page) is shown at the first. */
export const SEARCH_FORM_FIELDS: readonly string[] = SEARCH_FIELDS.filter((f) => f !== 'page');

/**
 * An entry as the public sees it: everything but who on the staff keeps it up to date (a staff
 * member's name is not for the public; the organisation that runs it is).
 */
export const PublicCommunityResourceSchema = Type.Omit(CommunityResourceSchema, [
  'maintainerUserId',
  'maintainerName',
]);
export type PublicCommunityResource = Static<typeof PublicCommunityResourceSchema>;

export const CommunitySearchHitSchema = Type.Object({
  resource: PublicCommunityResourceSchema,
  distanceMiles: Type.Union([Type.Number(), Type.Null()], {
    description:
      'Miles from the postcode searched from to where it meets (sector centres); null if online or no place',
  }),
});

export const CommunitySearchAnswerSchema = Type.Object({
  postcode: Type.Union([Type.String(), Type.Null()], {
    description: 'The postcode distances are measured from',
  }),
  count: Type.Integer({ description: 'How many entries match, on every page' }),
  page: Type.Integer({ minimum: 1, description: 'The page these results are' }),
  pageSize: Type.Integer({ minimum: 1, description: 'Results to a page' }),
  results: Type.Array(CommunitySearchHitSchema),
});
export type CommunitySearchAnswer = Static<typeof CommunitySearchAnswerSchema>;
