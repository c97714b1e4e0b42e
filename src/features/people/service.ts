import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import { dateOfBirthProblem } from '../../domain/demographics.js';
import { isValidNhsNumber, normaliseNhsNumber } from '../../domain/nhs-number.js';
import { forbidden, invalid, ServiceError } from '../../services/errors.js';
import { insertCareTeamMember } from '../../store/care-team-member.js';
import { personIdWithNhsNumber } from '../../store/person-nhs-number.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import type { SessionCache } from '../auth/session-cache.js';
import {
  type AccessGrant,
  isCareStaff,
  type PersonAccess,
  personNotFound,
  type RecordScope,
  systemScope,
} from '../record-access/person-access.js';
import type { SharingService } from '../sharing/service.js';
import { registerForOrganisation } from './bulk-writes.js';
import { type PeopleFilter, visiblePeoplePage } from './patient-search-store.js';
import {
  AddCareTeamMemberContract,
  type AddCareTeamMemberInput,
  AddRelationshipContract,
  type AddRelationshipInput,
  CarerAuthorisationContract,
  type CarerAuthorisationInput,
  type CareTeamMember,
  type Caseload,
  CaseloadFiltersContract,
  type CaseloadFiltersInput,
  type PersonDetails,
  ReallocateWorkerContract,
  type ReallocateWorkerInput,
  RegisterPersonContract,
  type RegisterPersonInput,
  type RelationshipEntry,
  StartCarerRecordContract,
  type StartCarerRecordInput,
  type TeamCaseload,
  TeamCaseloadFiltersContract,
  type TeamCaseloadFiltersInput,
  UpdateContactContract,
  type UpdateContactInput,
} from './schema.js';
import {
  carerUserIdByUsername,
  careTeamOf,
  caseloadPage,
  endCareTeamMembers,
  insertCarerRecord,
  insertRelationship,
  linkAccountToRecord,
  namesOf,
  peopleCaredForBy,
  personOf,
  placementFacts,
  relationshipsOf,
  rowToVersionedPerson,
  sameNameAndBirth,
  setCarerAuthorisation,
  teamCaseloadPage,
  teamMembershipsOf,
  teamNames,
  teamStaff,
  updateContact,
  type VersionedCareTeam,
  type VersionedPerson,
  type VersionedRelationship,
  versionedCareTeamOf,
  versionedCareTeamsOf,
  versionedPeopleOf,
  versionedPersonOf,
  versionedRelationshipsOf,
  versionedRelationshipsOfEach,
} from './store.js';

export type {
  CareTeamMember,
  Caseload,
  CaseloadEntry,
  PersonDetails,
  RelationshipEntry,
  TeamCaseload,
  TeamCaseloadEntry,
  TeamWorker,
} from './schema.js';
export { displayName, PAGE_SIZE } from './store.js';

/** What a team manager chooses from to give a person a different named worker. */
export interface ReallocationChoices {
  personId: string;
  personName: string;
  team: { teamId: string; name: string };
  /** The team's workers named for the person now. */
  current: { userId: string; name: string }[];
  staff: { userId: string; name: string; jobTitle: string | null }[];
}

export interface PersonCaredFor {
  personId: string;
  name: string;
  relationshipType: string;
  mayContribute: boolean;
}

/** A person's details with the reader's grant: how they are related and what they may do. */
export interface PersonDetailsRead extends Pick<AccessGrant, 'relation' | 'can'> {
  person: PersonDetails;
}

/**
 * The answer to registering an NHS number that is already registered: it says no more than that,
 * and points to the ways of being given access to an existing record.
 */
const alreadyRegistered = () =>
  new PossiblyRegistered(
    'A person with that NHS number is already registered. If they are in your care, ask their care team to add your team to it, with a basis for sharing; in an emergency, use break-glass access.',
    'nhsNumber',
  );

/**
 * A registration refused because the person may already be registered: the NHS number is taken,
 * or (without the confirmation `notADuplicate`) someone has the same name and date of birth.
 * `records` names those of the existing records the registering practitioner may open already,
 * so the page can link to them; the others are only counted in the message.
 */
export class PossiblyRegistered extends ServiceError {
  constructor(
    message: string,
    field: 'nhsNumber' | 'notADuplicate',
    readonly records: { personId: string; name: string }[] = [],
  ) {
    super(409, 'Already registered', message, field);
  }
}

/** How many people with the same name and date of birth are looked at, at most. */
const LIKELY_DUPLICATES_LIMIT = 5;

/** Blank text is no value: stored as null, never as ''. */
const orNull = (value: string | null | undefined) => value?.trim() || null;

/**
 * People: a practitioner's caseload, a person's details, their care team across agencies, and the
 * people important to them (carers among them, with what the person lets each carer see).
 */
export class PeopleService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly access: PersonAccess,
    private readonly audit: AuditService,
    private readonly sharing: SharingService,
    /** Forgets an account's cached sessions when the account is linked to a record of its own. */
    private readonly sessions?: Pick<SessionCache, 'forgetUser'>,
  ) {}

  /** The people whose care team includes the actor or one of their teams, with review flags. */
  async caseload(actor: Actor, filters: CaseloadFiltersInput): Promise<Caseload> {
    if (!isCareStaff(actor)) throw forbidden('see a caseload');
    CaseloadFiltersContract.check(filters);
    const caseload = await caseloadPage(this.db, actor, filters);
    // One entry naming everyone the page showed (names, NHS numbers, dates of birth): an audit
    // search for any of them finds it, at the cost of one row per page rather than one per person.
    await this.audit.record(actor, {
      action: 'list-caseload',
      resourceType: 'caseload',
      purpose: 'direct care',
      listedPersonIds: caseload.entries.map((e) => e.personId),
    });
    return caseload;
  }

  /** The teams the actor manages. */
  private managedTeamIds(actor: Actor): string[] {
    return [
      ...new Set(
        actor.roles.filter((r) => r.role === 'team-manager' && r.teamId).map((r) => r.teamId as string),
      ),
    ];
  }

  /**
   * A team manager's view of the caseload of the teams they manage: everyone in the teams' care,
   * with each person's named worker in the team, filtered by worker and review status, and how many
   * people each worker is named for.
   */
  async teamCaseload(actor: Actor, filters: TeamCaseloadFiltersInput): Promise<TeamCaseload> {
    const teamIds = this.managedTeamIds(actor);
    if (teamIds.length === 0) throw forbidden('see a team’s caseload');
    TeamCaseloadFiltersContract.check(filters);
    const caseload = await teamCaseloadPage(this.db, await teamNames(this.db, teamIds), filters);
    await this.audit.record(actor, {
      action: 'list-team-caseload',
      resourceType: 'caseload',
      purpose: 'managing the team',
      listedPersonIds: caseload.entries.map((e) => e.personId),
    });
    return caseload;
  }

  /**
   * Who a team manager may make the person's named worker: the staff of the managed team the person
   * is in the care of, and who is named now. Refused (and audited) unless the actor manages one of
   * the teams in the person's care team.
   */
  async reallocationChoices(actor: Actor, personId: string): Promise<ReallocationChoices> {
    const grant = await this.access.require(actor, personId, 'manage', 'open-reallocation');
    const { person, team, memberships } = await this.managedMembership(actor, grant, 'open-reallocation');
    const staff = (await teamStaff(this.db, [team.teamId])).map((s) => ({
      userId: s.userId,
      name: s.name,
      jobTitle: s.jobTitle,
    }));
    const current = memberships
      .filter((m) => m.userId)
      .map((m) => ({ userId: m.userId as string, name: m.userName ?? '' }));
    return { personId, personName: person, team, current, staff };
  }

  /**
   * A team manager gives the person a different named worker from the team: the current named
   * memberships in the team end today (kept as history), and a new one names the worker, with the
   * same kind of support and key-worker standing. Only a manager of that team may, decided here.
   */
  async reallocate(actor: Actor, personId: string, input: ReallocateWorkerInput): Promise<string> {
    ReallocateWorkerContract.check(input);
    const grant = await this.access.require(actor, personId, 'manage', 'reallocate-worker');
    const { team, memberships } = await this.managedMembership(actor, grant, 'reallocate-worker');
    const staff = await teamStaff(this.db, [team.teamId]);
    const worker = staff.find((s) => s.userId === input.toUserId);
    if (!worker) throw invalid(`Choose someone who works in ${team.name}.`, 'toUserId');
    const named = memberships.filter((m) => m.userId !== null);
    if (named.length === 1 && named[0]?.userId === input.toUserId) {
      throw invalid(`${worker.name} is already their named worker. Choose someone else.`, 'toUserId');
    }
    const first = named[0] ?? memberships[0];
    if (!first) throw personNotFound();
    const memberId = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await endCareTeamMembers(
        trx,
        grant,
        named.map((m) => m.memberId),
        todayIso(),
      );
      await insertCareTeamMember(trx, grant, {
        memberId,
        organisationId: first.organisationId,
        teamId: team.teamId,
        userId: worker.userId,
        supportKind: first.supportKind,
        roleDescription: worker.jobTitle ?? '',
        isKeyWorker: (named.length > 0 ? named : memberships).some((m) => m.isKeyWorker),
      });
      await this.audit.record(
        actor,
        { action: 'reallocate-worker', resourceType: 'care_team_member', resourceId: memberId, personId },
        trx,
      );
    });
    return memberId;
  }

  /**
   * The person's memberships in a team the actor manages (the first, when they manage several the
   * person is in). A care-team member who manages none of them is refused, and the refusal audited.
   */
  private async managedMembership(actor: Actor, grant: AccessGrant, action: string) {
    const teams = await teamNames(this.db, this.managedTeamIds(actor));
    const memberships = await teamMembershipsOf(
      this.db,
      grant,
      teams.map((t) => t.teamId),
    );
    const team = teams.find((t) => memberships.some((m) => m.teamId === t.teamId));
    if (!team) {
      await this.audit.record(actor, {
        action,
        resourceType: 'person',
        resourceId: grant.personId,
        personId: grant.personId,
        purpose: 'managing the team',
        outcome: 'denied',
      });
      throw new ServiceError(
        403,
        'Not allowed',
        'Only the manager of a team in the person’s care team can change who their named worker is.',
      );
    }
    const person = await personOf(this.db, grant);
    return {
      person: person?.name ?? '',
      team,
      memberships: memberships.filter((m) => m.teamId === team.teamId),
    };
  }

  /**
   * Registers a person (for example at referral) and puts the registering practitioner and their
   * team in the person's care team, so the new record is in their caseload and no one else's.
   */
  async register(actor: Actor, input: RegisterPersonInput): Promise<string> {
    // A system client registers into its organisation's care team; a practitioner into theirs, with their team.
    const role = actor.client
      ? { organisationId: actor.client.organisationId, teamId: null }
      : actor.roles.find((r) => (r.role === 'practitioner' || r.role === 'team-manager') && r.organisationId);
    if (!role?.organisationId) throw forbidden('register people');
    const organisationId = role.organisationId;
    RegisterPersonContract.check(input);
    const nhsNumber = input.nhsNumber?.trim() ? normaliseNhsNumber(input.nhsNumber) : null;
    if (input.nhsNumber?.trim() && (!nhsNumber || !isValidNhsNumber(nhsNumber))) {
      throw invalid('Enter a valid 10-digit NHS number (it fails the Modulus 11 check).', 'nhsNumber');
    }
    const birthProblem = input.dateOfBirth ? dateOfBirthProblem(input.dateOfBirth, todayIso()) : null;
    if (birthProblem) throw invalid(birthProblem, 'dateOfBirth');
    if (input.dateOfBirth && !input.notADuplicate) await this.refuseLikelyDuplicates(actor, input, nhsNumber);
    const personId = randomUUID();
    // The new record has no care team to be checked against until this transaction gives it one.
    let existing: string | null = null;
    await this.db
      .transaction()
      .execute(async (trx) => {
        existing = nhsNumber ? await personIdWithNhsNumber(trx, nhsNumber) : null;
        if (existing) throw alreadyRegistered();
        await registerForOrganisation(
          trx,
          this.sharing,
          {
            organisationId,
            teamId: role.teamId,
            why: 'registering a person',
            personId,
            ...(actor.client
              ? {}
              : { member: { userId: actor.userId, roleDescription: actor.jobTitle ?? '' } }),
          },
          { ...input, nhsNumber },
          actor,
        );
        await this.audit.record(
          actor,
          { action: 'register-person', resourceType: 'person', resourceId: personId, personId },
          trx,
        );
      })
      .catch(async (error: unknown) => {
        // Finding that a number is taken tells the caller the person is known here: that finding is
        // audited on the existing record (outside the rolled-back transaction), so the person and
        // their care team see who asked.
        if (existing && error instanceof PossiblyRegistered) {
          await this.audit.record(actor, {
            action: 'register-person',
            resourceType: 'person',
            resourceId: existing,
            personId: existing,
            purpose: 'registering a person whose NHS number is already registered',
            outcome: 'denied',
          });
          throw new PossiblyRegistered(error.message, 'nhsNumber', await this.openableOf(actor, [existing]));
        }
        throw error;
      });
    return personId;
  }

  /**
   * Refuses a registration when someone with the same name and date of birth is registered and
   * either has no NHS number or the new one has none (two different NHS numbers are two people).
   * The practitioner is told, with links to those they may open, and can confirm a different
   * person (`notADuplicate`). Each record found is audited, as the finding tells the caller the
   * person is known here.
   */
  private async refuseLikelyDuplicates(
    actor: Actor,
    input: RegisterPersonInput,
    nhsNumber: string | null,
  ): Promise<void> {
    const found = await sameNameAndBirth(this.db, {
      givenName: input.givenName.trim(),
      familyName: input.familyName.trim(),
      dateOfBirth: input.dateOfBirth as string,
      withNhsNumber: nhsNumber,
      limit: LIKELY_DUPLICATES_LIMIT,
    });
    if (!found.length) return;
    for (const personId of found) {
      await this.audit.record(actor, {
        action: 'register-person',
        resourceType: 'person',
        resourceId: personId,
        personId,
        purpose: 'registering a person with the same name and date of birth',
        outcome: 'denied',
      });
    }
    const openable = await this.openableOf(actor, found);
    const others = found.length - openable.length;
    throw new PossiblyRegistered(
      (found.length === 1
        ? 'Someone with the same name and date of birth is already registered'
        : `${found.length} people with the same name and date of birth are already registered`) +
        (others > 0 && openable.length > 0 ? ` (${others} of them outside your care)` : '') +
        '. Check it is not the same person. If it is, do not register them again: ask their care team to add your team. If this is a different person, say so and register them.',
      'notADuplicate',
      openable,
    );
  }

  /** Of these records, the ones the actor may open now, by name, for links. */
  private async openableOf(actor: Actor, personIds: string[]): Promise<{ personId: string; name: string }[]> {
    const openable: string[] = [];
    for (const personId of personIds) {
      if (await this.access.relationTo(actor, personId)) openable.push(personId);
    }
    return namesOf(this.db, openable);
  }

  /** The person's details, and how the reader is related to the record and what they may do. */
  async details(actor: Actor, personId: string): Promise<PersonDetailsRead> {
    const grant = await this.access.require(actor, personId, 'view', 'read-person');
    const person = await personOf(this.db, grant);
    if (!person) throw new ServiceError(404, 'Not found', 'No person with that id.');
    return { person, relation: grant.relation, can: grant.can };
  }

  /**
   * A page of the people the actor may list (the access rule's own list: caseload, organisation,
   * own record, people cared for) that match the filter, for FHIR Patient search. One audit entry
   * names everyone the page showed, as the caseload's does.
   */
  async searchPeople(
    actor: Actor,
    filter: PeopleFilter,
    page: { offset: number; count: number },
  ): Promise<{ people: VersionedPerson[]; hasMore: boolean }> {
    const rows = await visiblePeoplePage(this.db, actor, filter, page);
    const shown = rows.slice(0, page.count);
    await this.audit.record(actor, {
      action: 'search-people',
      resourceType: 'person',
      purpose: 'direct care',
      listedPersonIds: shown.map((r) => r.person_id),
    });
    return {
      people: shown.map(rowToVersionedPerson),
      hasMore: rows.length > page.count,
    };
  }

  /** The person's details with the version FHIR shows (migration 0029), access checked and audited. */
  async versionedDetails(actor: Actor, personId: string): Promise<VersionedPerson> {
    const grant = await this.access.require(actor, personId, 'view', 'read-person');
    const person = await versionedPersonOf(this.db, grant);
    if (!person) throw new ServiceError(404, 'Not found', 'No person with that id.');
    return person;
  }

  /**
   * `versionedDetails` of many people at once (bulk export), by person, in one query. No access
   * check or audit here: the grants were checked and audited by the caller,
   * PersonAccess.requireEach. Every reader who may view a record sees the same details (as
   * `versionedDetails` gives them, whatever the relation), so no grant hides any of them.
   */
  versionedDetailsOfEach(grants: readonly AccessGrant[]): Promise<Map<string, VersionedPerson>> {
    return versionedPeopleOf(this.db, grants);
  }

  /** Updates contact preferences and communication needs. The person may change their own. */
  async updateContact(actor: Actor, personId: string, changes: UpdateContactInput): Promise<void> {
    UpdateContactContract.check(changes);
    const grant = await this.access.require(actor, personId, 'update-details', 'update-person');
    const blankToNull = (v: string | undefined) => (v === undefined ? undefined : v.trim() || null);
    await this.db.transaction().execute(async (trx) => {
      await updateContact(trx, grant, {
        preferredName: blankToNull(changes.preferredName),
        phone: blankToNull(changes.phone),
        email: blankToNull(changes.email),
        preferredContactMethod: blankToNull(changes.preferredContactMethod),
        communicationNeeds: blankToNull(changes.communicationNeeds),
        address: blankToNull(changes.address),
      });
      await this.audit.record(
        actor,
        { action: 'update-person', resourceType: 'person', resourceId: personId, personId },
        trx,
      );
    });
  }

  /**
   * The care team and circle of a record already opened: the scope comes from an access check or
   * a named system path, so other features read them without a store of ours or a second audit.
   */
  careTeamWithin(scope: RecordScope): Promise<CareTeamMember[]> {
    return careTeamOf(this.db, scope);
  }

  relationshipsWithin(scope: RecordScope): Promise<RelationshipEntry[]> {
    return relationshipsOf(this.db, scope);
  }

  /** The person's current care team, for a reader who may see the record. */
  async careTeam(actor: Actor, personId: string): Promise<CareTeamMember[]> {
    const grant = await this.access.require(actor, personId, 'view', 'read-care-team');
    return careTeamOf(this.db, grant);
  }

  /** The current care team with the version of the team as a whole (FHIR CareTeam), access checked and audited. */
  async versionedCareTeam(actor: Actor, personId: string): Promise<VersionedCareTeam | null> {
    const grant = await this.access.require(actor, personId, 'view', 'read-care-team');
    return versionedCareTeamOf(this.db, grant);
  }

  /**
   * `versionedCareTeam` of many people at once (bulk export), by person, in three queries; people
   * who never had a care team are left out. No access check or audit here: the grants were checked
   * and audited by the caller, PersonAccess.requireEach. Every reader who may view a record sees
   * the same care team, so no grant hides any of it.
   */
  versionedCareTeamsOfEach(grants: readonly AccessGrant[]): Promise<Map<string, VersionedCareTeam>> {
    return versionedCareTeamsOf(this.db, grants);
  }

  /** The people important to the person with the version FHIR shows (RelatedPerson), access checked and audited. */
  async versionedRelationships(actor: Actor, personId: string): Promise<VersionedRelationship[]> {
    const grant = await this.access.require(actor, personId, 'view', 'read-relationships');
    return versionedRelationshipsOf(this.db, grant);
  }

  /**
   * `versionedRelationships` of many people at once (bulk export), by person, in one query; people
   * with no one recorded are left out. No access check or audit here: the grants were checked and
   * audited by the caller, PersonAccess.requireEach. Every reader who may view a record sees the
   * same circle, so no grant hides any of it.
   */
  versionedRelationshipsOfEach(
    grants: readonly AccessGrant[],
  ): Promise<Map<string, VersionedRelationship[]>> {
    return versionedRelationshipsOfEach(this.db, grants);
  }

  /** Adds an organisation, team or named practitioner from any agency to the person's care team. */
  async addCareTeamMember(actor: Actor, personId: string, input: AddCareTeamMemberInput): Promise<string> {
    AddCareTeamMemberContract.check(input);
    const grant = await this.access.require(actor, personId, 'manage', 'add-care-team-member');
    const facts = await placementFacts(this.db, input);
    if (!facts.organisation) throw invalid('No organisation with that id.', 'organisationId');
    if (input.teamId && !facts.team) throw invalid('That team is not part of that organisation.', 'teamId');
    if (input.userId && !facts.user) {
      throw invalid('That practitioner does not work for that organisation.', 'userId');
    }
    const memberId = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      if (!(await this.sharing.hasActiveBasis(trx, grant, input.organisationId))) {
        if (!input.sharing) {
          throw invalid(
            'Record the person’s consent, or another basis, for sharing their record with this organisation.',
            'sharing',
          );
        }
        await this.sharing.recordWithin(trx, actor, grant, {
          organisationId: input.organisationId,
          ...input.sharing,
        });
      }
      await insertCareTeamMember(trx, grant, {
        memberId,
        organisationId: input.organisationId,
        teamId: input.teamId ?? null,
        userId: input.userId ?? null,
        supportKind: input.supportKind,
        roleDescription: input.roleDescription?.trim() ?? '',
        isKeyWorker: input.isKeyWorker ?? false,
      });
      await this.audit.record(
        actor,
        { action: 'add-care-team-member', resourceType: 'care_team_member', resourceId: memberId, personId },
        trx,
      );
    });
    return memberId;
  }

  /** The people important to the person, for a reader who may see the record. */
  async relationships(actor: Actor, personId: string): Promise<RelationshipEntry[]> {
    const grant = await this.access.require(actor, personId, 'view', 'read-relationships');
    return relationshipsOf(this.db, grant);
  }

  async addRelationship(actor: Actor, personId: string, input: AddRelationshipInput): Promise<string> {
    AddRelationshipContract.check(input);
    const grant = await this.access.require(actor, personId, 'manage-circle', 'add-relationship');
    let carerUserId: string | null = null;
    if (input.carerUsername?.trim()) {
      carerUserId = await carerUserIdByUsername(this.db, input.carerUsername.trim().toLowerCase());
      if (!carerUserId) throw invalid('There is no carer account with that username.', 'carerUsername');
    }
    const relationshipId = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await insertRelationship(trx, grant, {
        relationshipId,
        name: input.name.trim(),
        relationshipType: input.relationshipType.trim(),
        isCarer: input.isCarer || carerUserId !== null,
        contact: orNull(input.contact),
        // Linked, but with no access until the person says so.
        carerUserId,
      });
      await this.audit.record(
        actor,
        { action: 'add-relationship', resourceType: 'relationship', resourceId: relationshipId, personId },
        trx,
      );
    });
    return relationshipId;
  }

  /**
   * What a carer may see and do. Only the person decides (or a practitioner recording the person's
   * decision); withdrawing takes effect on the carer's next request.
   */
  async setCarerAuthorisation(
    actor: Actor,
    personId: string,
    relationshipId: string,
    authorisation: CarerAuthorisationInput,
  ): Promise<void> {
    CarerAuthorisationContract.check(authorisation);
    const grant = await this.access.require(actor, personId, 'authorise-carers', 'authorise-carer');
    await this.db.transaction().execute(async (trx) => {
      const found = await setCarerAuthorisation(trx, grant, relationshipId, {
        mayView: authorisation.mayView,
        // Adding to a record one cannot see makes no sense: contributing needs viewing.
        mayContribute: authorisation.mayView && authorisation.mayContribute,
      });
      if (!found) throw invalid('No such person in the circle.', 'relationshipId');
      await this.audit.record(
        actor,
        { action: 'authorise-carer', resourceType: 'relationship', resourceId: relationshipId, personId },
        trx,
      );
    });
  }

  /**
   * A carer starts a record of their own, about themselves as a carer, with their consent: a person
   * record registered as a carer (so its outcomes are coded with the carers' framework), linked to
   * their account as a person's record is. Only they can see it: it has no care team until they
   * choose to share it. Returns the record's id; a carer who has one already is given that.
   */
  async startCarerRecord(actor: Actor, input: StartCarerRecordInput): Promise<string> {
    if (!actor.roles.some((r) => r.role === 'carer')) throw forbidden('start a carer’s own record');
    if (actor.personId) return actor.personId;
    if (!input.givenName?.trim()) throw invalid('Enter your first name.', 'givenName');
    if (!input.familyName?.trim()) throw invalid('Enter your last name.', 'familyName');
    if (input.consent !== true) {
      throw invalid('Tick the box to say you want WhatMatters to keep this record for you.', 'consent');
    }
    StartCarerRecordContract.check(input);
    const personId = randomUUID();
    const scope = systemScope(personId, 'a carer starting their own record');
    try {
      await this.db.transaction().execute(async (trx) => {
        await insertCarerRecord(trx, scope, {
          givenName: input.givenName.trim(),
          familyName: input.familyName.trim(),
        });
        // Started already (in another tab, say): nothing is kept of this one.
        if (!(await linkAccountToRecord(trx, actor.userId, scope))) {
          throw new ServiceError(409, 'Already started', 'You already have a record of your own.');
        }
        await this.audit.record(
          actor,
          { action: 'start-carer-record', resourceType: 'person', resourceId: personId, personId },
          trx,
        );
      });
    } finally {
      // The account's sessions carry the old link: read them again on the next request.
      this.sessions?.forgetUser(actor.userId);
    }
    return personId;
  }

  /** The people who have let this carer see their record (the carer's own circle links). */
  async peopleCaredFor(actor: Actor): Promise<PersonCaredFor[]> {
    if (!actor.roles.some((r) => r.role === 'carer')) return [];
    const people = await peopleCaredForBy(this.db, actor.userId);
    await this.audit.record(actor, {
      action: 'list-people-cared-for',
      resourceType: 'relationship',
      purpose: 'carer',
    });
    return people;
  }
}
