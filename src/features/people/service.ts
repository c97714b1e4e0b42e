import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import type { CareTeamSupportKind } from '../../domain/care-team.js';
import { isValidNhsNumber, normaliseNhsNumber } from '../../domain/nhs-number.js';
import { type ReviewStatus, reviewStatus } from '../../domain/review-status.js';
import type { SharingBasisKind } from '../../domain/sharing.js';
import { forbidden, invalid, ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import { isCareStaff, type PersonAccess, type Relation, teamIdsOf } from '../record-access/person-access.js';
import type { SharingService } from '../sharing/service.js';

export interface CaseloadFilters {
  search?: string;
  overdueOnly?: boolean;
  noPlanOnly?: boolean;
  page?: number;
  today: string;
}

export interface CaseloadEntry {
  personId: string;
  name: string;
  nhsNumber: string | null;
  dateOfBirth: string | null;
  nextReviewDate: string | null;
  reviewStatus: ReviewStatus;
  hasPlan: boolean;
  lastConversationOn: string | null;
}

export interface Caseload {
  entries: CaseloadEntry[];
  total: number;
  page: number;
  pageSize: number;
}

export interface PersonDetails {
  personId: string;
  givenName: string;
  familyName: string;
  preferredName: string | null;
  name: string;
  nhsNumber: string | null;
  dateOfBirth: string | null;
  sex: string;
  gender: string | null;
  ethnicCategory: string | null;
  postcode: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
  preferredContactMethod: string | null;
  communicationNeeds: string | null;
}

export interface NewPersonInput {
  givenName: string;
  familyName: string;
  preferredName?: string | null;
  dateOfBirth?: string | null;
  nhsNumber?: string | null;
  sex: 'female' | 'male' | 'other' | 'unknown';
  gender?: string | null;
  ethnicCategory?: string | null;
  postcode?: string | null;
  phone?: string | null;
  email?: string | null;
  preferredContactMethod?: string | null;
  communicationNeeds?: string | null;
  /** The kind of support the registering practitioner gives. */
  supportKind?: CareTeamSupportKind;
}

export interface CareTeamMember {
  memberId: string;
  organisationId: string;
  organisationName: string;
  organisationKind: string;
  teamId: string | null;
  teamName: string | null;
  userId: string | null;
  userName: string | null;
  supportKind: string;
  roleDescription: string;
  isKeyWorker: boolean;
  startDate: string;
}

export interface RelationshipEntry {
  relationshipId: string;
  name: string;
  relationshipType: string;
  isCarer: boolean;
  contact: string | null;
  hasAccount: boolean;
  mayView: boolean;
  mayContribute: boolean;
}

export interface PersonCaredFor {
  personId: string;
  name: string;
  relationshipType: string;
  mayContribute: boolean;
}

export const PAGE_SIZE = 25;

export const displayName = (p: { given_name: string; family_name: string; preferred_name?: string | null }) =>
  `${p.preferred_name || p.given_name} ${p.family_name}`;

/** Escapes LIKE wildcards so a search for "100%" means that text. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

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
  ) {}

  /** The people whose care team includes the actor or one of their teams, with review flags. */
  async caseload(actor: Actor, filters: CaseloadFilters): Promise<Caseload> {
    if (!isCareStaff(actor)) throw forbidden('see a caseload');
    const teams = teamIdsOf(actor);
    const page = Math.max(1, Math.floor(filters.page ?? 1));
    let query = this.db
      .selectFrom('person as p')
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('care_team_member as m')
            .select('m.member_id')
            .whereRef('m.person_id', '=', 'p.person_id')
            .where('m.end_date', 'is', null)
            // The same rule as opening the record: only while a basis names the member's organisation.
            .where((inner) =>
              inner.exists(
                inner
                  .selectFrom('sharing_basis as b')
                  .select('b.basis_id')
                  .whereRef('b.person_id', '=', 'm.person_id')
                  .whereRef('b.organisation_id', '=', 'm.organisation_id')
                  .where('b.withdrawn_at', 'is', null),
              ),
            )
            .where((inner) =>
              inner.or([
                inner('m.user_id', '=', actor.userId),
                ...(teams.length ? [inner('m.team_id', 'in', teams)] : []),
              ]),
            ),
        ),
      )
      .leftJoinLateral(
        (eb) =>
          eb
            .selectFrom('conversation as c')
            .select(['c.held_on', 'c.next_review_date'])
            .whereRef('c.person_id', '=', 'p.person_id')
            .orderBy('c.held_on', 'desc')
            .orderBy('c.recorded_at', 'desc')
            .limit(1)
            .as('last'),
        (join) => join.onTrue(),
      )
      .leftJoinLateral(
        (eb) =>
          eb
            .selectFrom('care_plan_version as v')
            .select(['v.version', 'v.planned_review_date'])
            .whereRef('v.person_id', '=', 'p.person_id')
            .orderBy('v.version', 'desc')
            .limit(1)
            .as('plan'),
        (join) => join.onTrue(),
      );

    const search = filters.search?.trim();
    if (search) {
      const digits = normaliseNhsNumber(search);
      query = query.where((eb) =>
        eb.or([
          eb(
            sql<string>`lower(p.given_name || ' ' || p.family_name)`,
            'like',
            likePattern(search.toLowerCase()),
          ),
          eb(sql<string>`lower(coalesce(p.preferred_name, ''))`, 'like', likePattern(search.toLowerCase())),
          ...(digits ? [eb('p.nhs_number', '=', digits)] : []),
        ]),
      );
    }
    // The next review is the one set at the last conversation, else the plan's planned date.
    const nextReview = sql<string | null>`coalesce(last.next_review_date, plan.planned_review_date)`;
    if (filters.overdueOnly) query = query.where(nextReview, '<', filters.today);
    if (filters.noPlanOnly) query = query.where('plan.version', 'is', null);

    const totalRow = await query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirst();
    const rows = await query
      .select([
        'p.person_id',
        'p.given_name',
        'p.family_name',
        'p.preferred_name',
        'p.nhs_number',
        'p.date_of_birth',
        'last.held_on as last_held_on',
        'plan.version as plan_version',
        nextReview.as('next_review_date'),
      ])
      .orderBy(sql`${nextReview} asc nulls last`)
      .orderBy('p.family_name')
      .orderBy('p.given_name')
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE)
      .execute();
    await this.audit.record(actor, {
      action: 'list-caseload',
      resourceType: 'caseload',
      purpose: 'direct care',
    });
    return {
      page,
      pageSize: PAGE_SIZE,
      total: Number(totalRow?.n ?? 0),
      entries: rows.map((r) => ({
        personId: r.person_id,
        name: displayName(r),
        nhsNumber: r.nhs_number,
        dateOfBirth: r.date_of_birth,
        nextReviewDate: r.next_review_date,
        reviewStatus: reviewStatus(r.next_review_date, filters.today),
        hasPlan: r.plan_version !== null,
        lastConversationOn: r.last_held_on,
      })),
    };
  }

  /**
   * Registers a person (for example at referral) and puts the registering practitioner and their
   * team in the person's care team, so the new record is in their caseload and no one else's.
   */
  async register(actor: Actor, input: NewPersonInput): Promise<string> {
    const role = actor.roles.find(
      (r) => (r.role === 'practitioner' || r.role === 'team-manager') && r.organisationId,
    );
    if (!role?.organisationId) throw forbidden('register people');
    const nhsNumber = input.nhsNumber?.trim() ? normaliseNhsNumber(input.nhsNumber) : null;
    if (input.nhsNumber?.trim() && (!nhsNumber || !isValidNhsNumber(nhsNumber))) {
      throw invalid('Enter a valid 10-digit NHS number (it fails the Modulus 11 check).', 'nhsNumber');
    }
    if (input.dateOfBirth && input.dateOfBirth > new Date().toISOString().slice(0, 10)) {
      throw invalid('The date of birth must be in the past.', 'dateOfBirth');
    }
    const personId = randomUUID();
    const postcode = input.postcode?.trim().toUpperCase().replace(/\s+/g, ' ') || null;
    await this.db.transaction().execute(async (trx) => {
      if (nhsNumber) {
        const taken = await trx
          .selectFrom('person_nhs_number')
          .select('person_id')
          .where('nhs_number', '=', nhsNumber)
          .executeTakeFirst();
        if (taken)
          throw new ServiceError(
            409,
            'Already registered',
            'A person with that NHS number is already registered.',
            'nhsNumber',
          );
        await trx
          .insertInto('person_nhs_number')
          .values({ nhs_number: nhsNumber, person_id: personId })
          .execute();
      }
      const sector = postcode?.slice(0, -2).trim();
      const area = sector
        ? await trx
            .selectFrom('area_deprivation')
            .select('deprivation_decile')
            .where('postcode_sector', '=', sector)
            .executeTakeFirst()
        : undefined;
      await trx
        .insertInto('person')
        .values({
          person_id: personId,
          nhs_number: nhsNumber,
          given_name: input.givenName.trim(),
          family_name: input.familyName.trim(),
          preferred_name: input.preferredName?.trim() || null,
          date_of_birth: input.dateOfBirth || null,
          sex: input.sex,
          gender: input.gender?.trim() || null,
          ethnic_category: input.ethnicCategory || null,
          postcode,
          deprivation_decile: area?.deprivation_decile ?? null,
          phone: input.phone?.trim() || null,
          email: input.email?.trim() || null,
          preferred_contact_method: input.preferredContactMethod?.trim() || null,
          communication_needs: input.communicationNeeds?.trim() || null,
        })
        .execute();
      await trx
        .insertInto('care_team_member')
        .values({
          person_id: personId,
          member_id: randomUUID(),
          organisation_id: role.organisationId as string,
          team_id: role.teamId,
          user_id: actor.userId,
          support_kind: input.supportKind ?? 'social-care',
          role_description: actor.jobTitle ?? '',
          is_key_worker: true,
        })
        .execute();
      await trx
        .insertInto('sharing_basis')
        .values({
          person_id: personId,
          basis_id: randomUUID(),
          organisation_id: role.organisationId as string,
          basis: 'direct-care',
          purpose: 'Direct care by the team that registered the person',
          recorded_by_user_id: actor.userId,
        })
        .execute();
      await this.audit.record(
        actor,
        { action: 'register-person', resourceType: 'person', resourceId: personId, personId },
        trx,
      );
    });
    return personId;
  }

  async details(actor: Actor, personId: string): Promise<{ person: PersonDetails; relation: Relation }> {
    const { relation } = await this.access.require(actor, personId, 'view', 'read-person');
    const row = await this.db
      .selectFrom('person')
      .selectAll()
      .where('person_id', '=', personId)
      .executeTakeFirst();
    if (!row) throw new ServiceError(404, 'Not found', 'No person with that id.');
    return {
      relation,
      person: {
        personId: row.person_id,
        givenName: row.given_name,
        familyName: row.family_name,
        preferredName: row.preferred_name,
        name: displayName(row),
        nhsNumber: row.nhs_number,
        dateOfBirth: row.date_of_birth,
        sex: row.sex,
        gender: row.gender,
        ethnicCategory: row.ethnic_category,
        postcode: row.postcode,
        address: row.address,
        phone: row.phone,
        email: row.email,
        preferredContactMethod: row.preferred_contact_method,
        communicationNeeds: row.communication_needs,
      },
    };
  }

  /** Updates contact preferences and communication needs. The person may change their own. */
  async updateContact(
    actor: Actor,
    personId: string,
    changes: Partial<
      Pick<
        PersonDetails,
        'preferredName' | 'phone' | 'email' | 'preferredContactMethod' | 'communicationNeeds' | 'address'
      >
    >,
  ): Promise<void> {
    await this.access.require(actor, personId, 'update-details', 'update-person');
    const blankToNull = (v: string | null | undefined) => (v === undefined ? undefined : v?.trim() || null);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('person')
        .set({
          preferred_name: blankToNull(changes.preferredName),
          phone: blankToNull(changes.phone),
          email: blankToNull(changes.email),
          preferred_contact_method: blankToNull(changes.preferredContactMethod),
          communication_needs: blankToNull(changes.communicationNeeds),
          address: blankToNull(changes.address),
          updated_at: new Date(),
        })
        .where('person_id', '=', personId)
        .execute();
      await this.audit.record(
        actor,
        { action: 'update-person', resourceType: 'person', resourceId: personId, personId },
        trx,
      );
    });
  }

  async careTeam(actor: Actor, personId: string): Promise<CareTeamMember[]> {
    await this.access.require(actor, personId, 'view', 'read-care-team');
    return this.loadCareTeam(personId);
  }

  /** Reads without an access check or audit: for callers that already checked and audited. */
  async loadCareTeam(personId: string): Promise<CareTeamMember[]> {
    const rows = await this.db
      .selectFrom('care_team_member as m')
      .innerJoin('organisation as o', 'o.organisation_id', 'm.organisation_id')
      .leftJoin('team as t', 't.team_id', 'm.team_id')
      .leftJoin('user_account as u', 'u.user_id', 'm.user_id')
      .select([
        'm.member_id',
        'm.organisation_id',
        'o.name as organisation_name',
        'o.kind as organisation_kind',
        'm.team_id',
        't.name as team_name',
        'm.user_id',
        'u.display_name as user_name',
        'm.support_kind',
        'm.role_description',
        'm.is_key_worker',
        'm.start_date',
      ])
      .where('m.person_id', '=', personId)
      .where('m.end_date', 'is', null)
      .orderBy('m.is_key_worker', 'desc')
      .orderBy('o.name')
      .execute();
    return rows.map((r) => ({
      memberId: r.member_id,
      organisationId: r.organisation_id,
      organisationName: r.organisation_name,
      organisationKind: r.organisation_kind,
      teamId: r.team_id,
      teamName: r.team_name,
      userId: r.user_id,
      userName: r.user_name,
      supportKind: r.support_kind,
      roleDescription: r.role_description,
      isKeyWorker: r.is_key_worker,
      startDate: r.start_date,
    }));
  }

  /** Adds an organisation, team or named practitioner from any agency to the person's care team. */
  async addCareTeamMember(
    actor: Actor,
    personId: string,
    input: {
      organisationId: string;
      teamId?: string | null;
      userId?: string | null;
      supportKind: CareTeamSupportKind;
      roleDescription?: string;
      isKeyWorker?: boolean;
      /** The basis for sharing with this organisation, when none is recorded yet. */
      sharing?: { basis: SharingBasisKind; purpose: string } | null;
    },
  ): Promise<string> {
    await this.access.require(actor, personId, 'manage', 'add-care-team-member');
    const organisation = await this.db
      .selectFrom('organisation')
      .select('organisation_id')
      .where('organisation_id', '=', input.organisationId)
      .executeTakeFirst();
    if (!organisation) throw invalid('No organisation with that id.', 'organisationId');
    if (input.teamId) {
      const team = await this.db
        .selectFrom('team')
        .select('team_id')
        .where('team_id', '=', input.teamId)
        .where('organisation_id', '=', input.organisationId)
        .executeTakeFirst();
      if (!team) throw invalid('That team is not part of that organisation.', 'teamId');
    }
    if (input.userId) {
      const user = await this.db
        .selectFrom('user_role')
        .select('user_id')
        .where('user_id', '=', input.userId)
        .where('organisation_id', '=', input.organisationId)
        .executeTakeFirst();
      if (!user) throw invalid('That practitioner does not work for that organisation.', 'userId');
    }
    const memberId = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      if (!(await this.sharing.hasActiveBasis(trx, personId, input.organisationId))) {
        if (!input.sharing) {
          throw invalid(
            'Record the person’s consent, or another basis, for sharing their record with this organisation.',
            'sharing',
          );
        }
        await this.sharing.insert(trx, actor, personId, {
          organisationId: input.organisationId,
          ...input.sharing,
        });
      }
      await trx
        .insertInto('care_team_member')
        .values({
          person_id: personId,
          member_id: memberId,
          organisation_id: input.organisationId,
          team_id: input.teamId ?? null,
          user_id: input.userId ?? null,
          support_kind: input.supportKind,
          role_description: input.roleDescription?.trim() ?? '',
          is_key_worker: input.isKeyWorker ?? false,
        })
        .execute();
      await this.audit.record(
        actor,
        { action: 'add-care-team-member', resourceType: 'care_team_member', resourceId: memberId, personId },
        trx,
      );
    });
    return memberId;
  }

  async relationships(actor: Actor, personId: string): Promise<RelationshipEntry[]> {
    await this.access.require(actor, personId, 'view', 'read-relationships');
    return this.loadRelationships(personId);
  }

  /** Reads without an access check or audit: for callers that already checked and audited. */
  async loadRelationships(personId: string): Promise<RelationshipEntry[]> {
    const rows = await this.db
      .selectFrom('relationship')
      .selectAll()
      .where('person_id', '=', personId)
      .orderBy('is_carer', 'desc')
      .orderBy('name')
      .execute();
    return rows.map((r) => ({
      relationshipId: r.relationship_id,
      name: r.name,
      relationshipType: r.relationship_type,
      isCarer: r.is_carer,
      contact: r.contact,
      hasAccount: r.carer_user_id !== null,
      mayView: r.may_view,
      mayContribute: r.may_contribute,
    }));
  }

  async addRelationship(
    actor: Actor,
    personId: string,
    input: {
      name: string;
      relationshipType: string;
      isCarer: boolean;
      contact?: string | null;
      /** A carer's WhatMatters account, linked so the person can later let them see the record. */
      carerUsername?: string | null;
    },
  ): Promise<string> {
    await this.access.require(actor, personId, 'manage-circle', 'add-relationship');
    let carerUserId: string | null = null;
    if (input.carerUsername?.trim()) {
      const carer = await this.db
        .selectFrom('user_account as u')
        .innerJoin('user_role as r', 'r.user_id', 'u.user_id')
        .select('u.user_id')
        .where('u.username', '=', input.carerUsername.trim().toLowerCase())
        .where('r.role', '=', 'carer')
        .executeTakeFirst();
      if (!carer) throw invalid('There is no carer account with that username.', 'carerUsername');
      carerUserId = carer.user_id;
    }
    const relationshipId = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('relationship')
        .values({
          person_id: personId,
          relationship_id: relationshipId,
          name: input.name.trim(),
          relationship_type: input.relationshipType.trim(),
          is_carer: input.isCarer || carerUserId !== null,
          contact: input.contact?.trim() || null,
          // Linked, but with no access until the person says so.
          carer_user_id: carerUserId,
        })
        .execute();
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
    authorisation: { mayView: boolean; mayContribute: boolean },
  ): Promise<void> {
    await this.access.require(actor, personId, 'authorise-carers', 'authorise-carer');
    await this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('relationship')
        .set({
          may_view: authorisation.mayView,
          may_contribute: authorisation.mayView && authorisation.mayContribute,
        })
        .where('person_id', '=', personId)
        .where('relationship_id', '=', relationshipId)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0)
        throw invalid('No such person in the circle.', 'relationshipId');
      await this.audit.record(
        actor,
        { action: 'authorise-carer', resourceType: 'relationship', resourceId: relationshipId, personId },
        trx,
      );
    });
  }
  /** The people who have let this carer see their record (the carer's own circle links). */
  async peopleCaredFor(actor: Actor): Promise<PersonCaredFor[]> {
    if (!actor.roles.some((r) => r.role === 'carer')) return [];
    const rows = await this.db
      .selectFrom('relationship as r')
      .innerJoin('person as p', 'p.person_id', 'r.person_id')
      .select([
        'r.person_id',
        'r.relationship_type',
        'r.may_contribute',
        'p.given_name',
        'p.family_name',
        'p.preferred_name',
      ])
      .where('r.carer_user_id', '=', actor.userId)
      .where('r.may_view', '=', true)
      .orderBy('p.family_name')
      .orderBy('p.given_name')
      .execute();
    await this.audit.record(actor, {
      action: 'list-people-cared-for',
      resourceType: 'relationship',
      purpose: 'carer',
    });
    return rows.map((r) => ({
      personId: r.person_id,
      name: displayName(r),
      relationshipType: r.relationship_type,
      mayContribute: r.may_contribute,
    }));
  }
}
