import type { Organization, Practitioner, PractitionerRole } from '@medplum/fhirtypes';
import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { derivedUuid, isUuid, parseReference } from '../../domain/interop/fhir-ids.js';
import {
  countInto,
  type FhirResourceLike,
  type ImportReport,
  noteSkip,
} from '../../domain/interop/fhir-import.js';
import type { AuditService } from '../../features/audit/audit-trail.js';
import { restoreStaffAccount, restoreStaffRole } from '../../features/auth/import-writes.js';
import { roleAssignmentProblem } from '../../features/auth/user-accounts.js';
import { ORGANIZATION_TYPE_SYSTEM } from '../../features/directory/fhir-organization.js';
import { ROLE_SYSTEM } from '../../features/directory/fhir-practitioner-role.js';
import { restoreTeam } from '../../features/directory/import-writes.js';
import { ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import { wellFormed } from './handler.js';
import { importedOrganisationId } from './import-consents.js';

/**
 * Bulk import of the staff directory (bulk-import.ts calls `importStaff` after the organisations,
 * before anyone's record): teams, Practitioners and PractitionerRoles, as the directory mappings
 * write them (features/directory/fhir-organization.ts, fhir-practitioner.ts,
 * fhir-practitioner-role.ts).
 *
 * - A team is an Organization of HL7 organization-type `team`, `partOf` its organisation: kept
 *   under its id (ours as it is, another system's derived as an Organization's), in that
 *   organisation, which must be held here or imported with it. One held already is left as it is.
 * - A Practitioner is a user account that cannot sign in: no password and no way in by OpenID
 *   Connect, until an administrator gives it one (a password reset link). Kept under the
 *   Practitioner's id (another system's derived from it), its name as the account's name, `active`
 *   false as disabled. Its username is its email address (`telecom`) when it gives one, else
 *   `practitioner:{id}` (a form no one can choose, as `client:…` accounts are). An account held
 *   already, under the same id or the same username, is left exactly as it is, and what names the
 *   Practitioner names that account.
 * - A PractitionerRole gives an account imported in the same run its role (our `role` code:
 *   practitioner or team manager, checked as giving a role is) in the team or organisation it
 *   names, and its job title (the `code` in words). An account held already keeps its roles.
 *
 * Each write is its own transaction with its audit entry (`user-add` for an account, as adding
 * one from the command line records it). A dry run writes nothing and notes what it would add, so
 * what the records name is checked as if it were written.
 */

/** What the directory import leaves for the people's records to name. */
export interface StaffImport {
  /** A Practitioner's id in the input → the account here (held or imported) it names. */
  accounts: Map<string, string>;
  /** Accounts this run added: the ones the input's PractitionerRoles give roles to. */
  added: Set<string>;
  /** In a dry run: the teams it would add (with their organisation) and accounts, not written. */
  pendingTeams: Map<string, string>;
  pendingAccounts: Set<string>;
}

export const emptyStaffImport = (): StaffImport => ({
  accounts: new Map(),
  added: new Set(),
  pendingTeams: new Map(),
  pendingAccounts: new Set(),
});

interface StaffContext {
  db: Kysely<DB>;
  audit: AuditService;
  importer: Actor;
  report: ImportReport;
  dryRun: boolean;
  /** In a dry run: the input's organisations it would add. */
  organisationsToAdd: ReadonlySet<string>;
  staff: StaffImport;
}

type Read = () => AsyncIterable<{ r: FhirResourceLike; w: string }>;

/** Whether an Organization is a team (HL7 organization-type `team`), not an organisation. */
export function isTeamOrganization(resource: object): boolean {
  const type = (resource as { type?: unknown }).type;
  const types = Array.isArray(type) ? (type as Organization['type']) : [];
  return (types ?? []).some((t) =>
    t?.coding?.some((c) => c?.system === ORGANIZATION_TYPE_SYSTEM && c?.code === 'team'),
  );
}

const invalid = (type: string, message: string, element: string) =>
  new ServiceError(422, `Invalid ${type}`, message, `${type}.${element}`);

/** An instant from `meta.lastUpdated` (our directory's resources are version 1: when they were made). */
function madeAt(type: string, meta: { lastUpdated?: string } | undefined): string | null {
  const value = meta?.lastUpdated;
  if (value === undefined) return null;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw invalid(type, 'meta.lastUpdated is not a date and time.', 'meta.lastUpdated');
  return new Date(time).toISOString();
}

export interface TeamToRestore {
  teamId: string;
  organisationId: string;
  name: string;
  createdAt: string | null;
}

export function teamToRestore(team: Organization): TeamToRestore {
  return wellFormed('Organization', () => {
    const name = team.name?.trim();
    if (!name) throw invalid('Organization', 'Give the team’s name (Organization.name).', 'name');
    if (name.length > 200) throw invalid('Organization', 'A team’s name is 200 characters at most.', 'name');
    const parent = team.partOf?.reference ? parseReference(team.partOf.reference) : null;
    if (parent?.type !== 'Organization')
      throw invalid('Organization', 'A team is part of its organisation (partOf an Organization).', 'partOf');
    const organisationId = importedOrganisationId(parent.id);
    return {
      teamId: importedOrganisationId(team.id ?? `${organisationId}/${name}`),
      organisationId,
      name,
      createdAt: madeAt('Organization', team.meta),
    };
  });
}

export interface AccountToRestore {
  userId: string;
  username: string;
  displayName: string;
  /** Not in use (`active` false): disabled from when it was last changed, else now. */
  disabled: boolean;
  createdAt: string | null;
}

/** Usernames as the accounts service allows them (user-accounts.ts): an email address works. */
const USERNAME = /^[a-z0-9._@+-]{3,254}$/;

/** The account id a Practitioner is kept under: ours as it is, another system's derived from it. */
export const importedAccountId = (practitionerId: string): string =>
  isUuid(practitionerId.toLowerCase())
    ? practitionerId.toLowerCase()
    : derivedUuid('fhir-import', 'Practitioner', practitionerId);

export function accountToRestore(practitioner: Practitioner): AccountToRestore {
  return wellFormed('Practitioner', () => {
    const [name] = practitioner.name ?? [];
    const displayName = (
      name?.text?.trim() || [...(name?.prefix ?? []), ...(name?.given ?? []), name?.family ?? ''].join(' ')
    )
      .replace(/\s+/g, ' ')
      .trim();
    if (!displayName) throw invalid('Practitioner', 'Give the practitioner’s name (name).', 'name');
    if (displayName.length > 200) throw invalid('Practitioner', 'A name is 200 characters at most.', 'name');
    const userId = importedAccountId(practitioner.id ?? displayName);
    const email = (practitioner.telecom ?? [])
      .find((t) => t.system === 'email')
      ?.value?.trim()
      .toLowerCase();
    return {
      userId,
      username: email && USERNAME.test(email) ? email : `practitioner:${userId}`,
      displayName,
      disabled: practitioner.active === false,
      createdAt: madeAt('Practitioner', practitioner.meta),
    };
  });
}

export interface RoleToRestore {
  userRoleId: string;
  /** The Practitioner's id in the input. */
  practitionerId: string;
  role: string;
  /** The Organization it is held in (a team or an organisation), as kept here. */
  organizationId: string;
  jobTitle: string | null;
}

export function roleToRestore(role: PractitionerRole): RoleToRestore {
  return wellFormed('PractitionerRole', () => {
    const practitioner = role.practitioner?.reference ? parseReference(role.practitioner.reference) : null;
    if (practitioner?.type !== 'Practitioner')
      throw invalid('PractitionerRole', 'Name the Practitioner whose role it is.', 'practitioner');
    const organization = role.organization?.reference ? parseReference(role.organization.reference) : null;
    if (organization?.type !== 'Organization')
      throw invalid(
        'PractitionerRole',
        'Name the team or organisation the role is held in (an Organization).',
        'organization',
      );
    const codes = (role.code ?? []).flatMap((c) =>
      (c.coding ?? []).filter((x) => x.system === ROLE_SYSTEM).map((x) => x.code ?? ''),
    );
    if (codes.length !== 1)
      throw invalid('PractitionerRole', `Give the role: one ${ROLE_SYSTEM} code.`, 'code');
    const jobTitle = (role.code ?? []).find((c) => !c.coding?.length && c.text?.trim())?.text?.trim() ?? null;
    if (jobTitle && jobTitle.length > 200)
      throw invalid('PractitionerRole', 'A job title is 200 characters at most.', 'code');
    const organizationId = importedOrganisationId(organization.id);
    return {
      userRoleId:
        role.id && isUuid(role.id)
          ? role.id
          : derivedUuid('fhir-import', 'PractitionerRole', role.id ?? `${practitioner.id}/${organizationId}`),
      practitionerId: practitioner.id,
      role: codes[0] as string,
      organizationId,
      jobTitle,
    };
  });
}

/**
 * Imports the directory's teams, then its Practitioners, then their roles (each pass reads the
 * spooled directory again, so the input's order does not matter). Organisations are imported
 * before (bulk-import.ts).
 */
export async function importStaff(ctx: StaffContext, read: Read): Promise<void> {
  const each = async (
    wanted: (r: FhirResourceLike) => boolean,
    write: (r: FhirResourceLike) => Promise<'imported' | 'unchanged'>,
  ) => {
    for await (const { r, w } of read()) {
      if (!wanted(r)) continue;
      try {
        countInto(
          (await write(r)) === 'imported' ? ctx.report.imported : ctx.report.unchanged,
          r.resourceType,
        );
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        noteSkip(ctx.report, {
          type: r.resourceType,
          id: r.id ?? '',
          where: w,
          reason: `The ${r.resourceType} was not imported: ${error.message}`,
          ...(error.field ? { element: error.field } : {}),
        });
      }
    }
  };
  await each(
    (r) => r.resourceType === 'Organization' && isTeamOrganization(r),
    (r) => writeTeam(ctx, teamToRestore(r as unknown as Organization)),
  );
  await each(
    (r) => r.resourceType === 'Practitioner',
    (r) => writeAccount(ctx, r.id ?? '', accountToRestore(r as unknown as Practitioner)),
  );
  await each(
    (r) => r.resourceType === 'PractitionerRole',
    (r) => writeRole(ctx, roleToRestore(r as unknown as PractitionerRole)),
  );
}

const refused = (type: string, message: string, element: string) =>
  new ServiceError(422, `${type} not imported`, message, `${type}.${element}`);

async function writeTeam(ctx: StaffContext, team: TeamToRestore): Promise<'imported' | 'unchanged'> {
  const held = await ctx.db
    .selectFrom('team')
    .select('team_id')
    .where('team_id', '=', team.teamId)
    .executeTakeFirst();
  if (held) return 'unchanged';
  const organisation = await ctx.db
    .selectFrom('organisation')
    .select('organisation_id')
    .where('organisation_id', '=', team.organisationId)
    .executeTakeFirst();
  if (!organisation && !(ctx.dryRun && ctx.organisationsToAdd.has(team.organisationId)))
    throw refused(
      'Organization',
      `The organisation it is part of (Organization/${team.organisationId}) is neither held here nor imported with it.`,
      'partOf',
    );
  if (ctx.dryRun) {
    ctx.staff.pendingTeams.set(team.teamId, team.organisationId);
    return 'imported';
  }
  const { createdAt, ...row } = team;
  await restoreTeam(ctx.db, { ...row, ...(createdAt ? { createdAt } : {}) });
  return 'imported';
}

async function writeAccount(
  ctx: StaffContext,
  sourceId: string,
  account: AccountToRestore,
): Promise<'imported' | 'unchanged'> {
  const held = await ctx.db
    .selectFrom('user_account')
    .select(['user_id', 'person_id'])
    .where((eb) => eb.or([eb('user_id', '=', account.userId), eb('username', '=', account.username)]))
    .execute();
  // The same id first: that is the account the input's references name.
  const same = held.find((h) => h.user_id === account.userId) ?? held[0];
  if (same) {
    if (same.person_id !== null)
      throw refused(
        'Practitioner',
        'The account held here under this id or username belongs to a person who uses services, not a member of staff.',
        same.user_id === account.userId ? 'id' : 'telecom',
      );
    ctx.staff.accounts.set(sourceId, same.user_id);
    return 'unchanged';
  }
  ctx.staff.accounts.set(sourceId, account.userId);
  ctx.staff.added.add(account.userId);
  if (ctx.dryRun) {
    ctx.staff.pendingAccounts.add(account.userId);
    return 'imported';
  }
  await ctx.db.transaction().execute(async (trx) => {
    const { createdAt, ...row } = account;
    await restoreStaffAccount(trx, { ...row, ...(createdAt ? { createdAt } : {}) });
    await ctx.audit.record(
      ctx.importer,
      {
        action: 'user-add',
        resourceType: 'user_account',
        resourceId: account.userId,
        purpose: 'imported from FHIR (Practitioner), without a password',
      },
      trx,
    );
  });
  return 'imported';
}

async function writeRole(ctx: StaffContext, role: RoleToRestore): Promise<'imported' | 'unchanged'> {
  const heldRole = await ctx.db
    .selectFrom('user_role')
    .select('user_role_id')
    .where('user_role_id', '=', role.userRoleId)
    .executeTakeFirst();
  if (heldRole) return 'unchanged';
  const userId = ctx.staff.accounts.get(role.practitionerId);
  if (!userId)
    throw refused(
      'PractitionerRole',
      `Its Practitioner (Practitioner/${role.practitionerId}) is neither in the input nor held here.`,
      'practitioner',
    );
  if (!ctx.staff.added.has(userId))
    throw refused(
      'PractitionerRole',
      'The account is held here already: its roles are left as they are.',
      'practitioner',
    );
  const team = await ctx.db
    .selectFrom('team')
    .select('organisation_id')
    .where('team_id', '=', role.organizationId)
    .executeTakeFirst();
  const pendingTeamOrganisation = ctx.staff.pendingTeams.get(role.organizationId);
  const organisationHeld =
    !team &&
    !pendingTeamOrganisation &&
    ((await ctx.db
      .selectFrom('organisation')
      .select('organisation_id')
      .where('organisation_id', '=', role.organizationId)
      .executeTakeFirst()) !== undefined ||
      (ctx.dryRun && ctx.organisationsToAdd.has(role.organizationId)));
  const inTeam = team !== undefined || pendingTeamOrganisation !== undefined;
  if (!inTeam && !organisationHeld)
    throw refused(
      'PractitionerRole',
      `The team or organisation it names (Organization/${role.organizationId}) is neither held here nor imported with it.`,
      'organization',
    );
  const assignment = {
    role: role.role,
    organisationId: inTeam ? (team?.organisation_id ?? pendingTeamOrganisation ?? null) : role.organizationId,
    teamId: inTeam ? role.organizationId : null,
  };
  const problem = roleAssignmentProblem(assignment);
  if (problem) throw invalid('PractitionerRole', problem[0], problem[1] === 'role' ? 'code' : 'organization');
  if (ctx.dryRun) return 'imported';
  await ctx.db
    .transaction()
    .execute((trx) =>
      restoreStaffRole(trx, { userRoleId: role.userRoleId, userId, ...assignment, jobTitle: role.jobTitle }),
    );
  return 'imported';
}

/**
 * The account a Practitioner reference of the input names here: one the directory import mapped
 * (held or imported; in a dry run, one it would add: `staff.pendingAccounts`, not written), else
 * one held under that id (a member of staff's, not a person's). Null when there is none.
 */
export async function accountResolver(
  db: Kysely<DB>,
  staff: StaffImport,
  practitionerIds: readonly (string | null)[],
): Promise<(practitionerId: string | null) => string | null> {
  const unknown = [
    ...new Set(
      practitionerIds.filter((id): id is string => id !== null && !staff.accounts.has(id) && isUuid(id)),
    ),
  ];
  const held = unknown.length
    ? await db
        .selectFrom('user_account')
        .select('user_id')
        .where('user_id', 'in', unknown)
        .where('person_id', 'is', null)
        .execute()
    : [];
  const heldIds = new Set(held.map((h) => h.user_id));
  return (practitionerId) => {
    if (practitionerId === null) return null;
    return staff.accounts.get(practitionerId) ?? (heldIds.has(practitionerId) ? practitionerId : null);
  };
}
