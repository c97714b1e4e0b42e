import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { normalisePostcode, postcodeSector } from '../../domain/postcode.js';
import { insertCareTeamMember } from '../../store/care-team-member.js';
import type { DB } from '../../store/schema.js';
import { type RecordScope, systemScope } from '../record-access/person-access.js';
import type { SharingService } from '../sharing/service.js';
import type { PersonDetails, RegisterPersonInput } from './schema.js';
import { deprivationDecileOf, insertPerson, personOf, sameNameAndBirth } from './store.js';

/**
 * People written and read in bulk on an organisation's behalf (the CSV exchange,
 * features/csv-exchange), inside the caller's transaction, after the caller's own check that the
 * organisation may: registering a person into the organisation as registering does (the record, the
 * organisation's care-team membership, the registration's sharing basis), and a record's details.
 */

/** Blank text is no value: stored as null, never as ''. */
const orNull = (value: string | null | undefined) => value?.trim() || null;

/**
 * Someone registered with the same name and date of birth and no NHS number, or this one (as
 * registering a person checks, without the confirmation `notADuplicate`), or null.
 */
export async function likelyDuplicateOf(
  db: Kysely<DB>,
  input: Pick<RegisterPersonInput, 'givenName' | 'familyName' | 'dateOfBirth'>,
  nhsNumber: string,
): Promise<string | null> {
  if (!input.dateOfBirth) return null;
  const [same] = await sameNameAndBirth(db, {
    givenName: input.givenName.trim(),
    familyName: input.familyName.trim(),
    dateOfBirth: input.dateOfBirth,
    withNhsNumber: nhsNumber,
    limit: 1,
  });
  return same ?? null;
}

/**
 * Registers a person (the caller has checked the input, and that the NHS number is free) into the
 * organisation and team: their care team is the organisation (and the named member, when given),
 * with the basis for sharing that registering records, recorded by `recordedBy`. The one way a
 * record is started: registering one person (PeopleService.register) and imports alike.
 */
export async function registerForOrganisation(
  trx: Kysely<DB>,
  sharing: Pick<SharingService, 'recordRegistrationBasis'>,
  organisation: {
    organisationId: string;
    teamId: string | null;
    why: string;
    /** A named member of the care team (the registering practitioner, as key worker); none by default. */
    member?: { userId: string; roleDescription: string };
    personId?: string;
  },
  input: RegisterPersonInput & { nhsNumber: string | null },
  recordedBy: Actor,
): Promise<RecordScope> {
  const personId = organisation.personId ?? randomUUID();
  const scope = systemScope(personId, organisation.why);
  const postcode = normalisePostcode(input.postcode);
  const sector = postcode ? postcodeSector(postcode) : null;
  await insertPerson(trx, {
    personId,
    nhsNumber: input.nhsNumber,
    givenName: input.givenName.trim(),
    familyName: input.familyName.trim(),
    preferredName: orNull(input.preferredName),
    dateOfBirth: input.dateOfBirth || null,
    sex: input.sex,
    gender: orNull(input.gender),
    ethnicCategory: input.ethnicCategory || null,
    postcode,
    deprivationDecile: sector ? await deprivationDecileOf(trx, sector) : null,
    phone: orNull(input.phone),
    email: orNull(input.email),
    preferredContactMethod: orNull(input.preferredContactMethod),
    communicationNeeds: orNull(input.communicationNeeds),
  });
  await insertCareTeamMember(trx, scope, {
    memberId: randomUUID(),
    organisationId: organisation.organisationId,
    teamId: organisation.teamId,
    userId: organisation.member?.userId ?? null,
    supportKind: input.supportKind ?? 'social-care',
    roleDescription: organisation.member?.roleDescription ?? '',
    isKeyWorker: organisation.member !== undefined,
  });
  await sharing.recordRegistrationBasis(trx, recordedBy, scope, organisation.organisationId);
  return scope;
}

/** The person's details, in a record the caller opened (a system scope after its own check). */
export function personDetailsWithin(db: Kysely<DB>, scope: RecordScope): Promise<PersonDetails | undefined> {
  return personOf(db, scope);
}
