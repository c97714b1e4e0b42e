import type { CareTeam } from '@medplum/fhirtypes';
import type { Kysely } from 'kysely';
import { todayIso } from '../../domain/calendar.js';
import { derivedUuid, isUuid, parseReference } from '../../domain/interop/fhir-ids.js';
import { countInto, type ImportReport } from '../../domain/interop/fhir-import.js';
import {
  CARE_TEAM_MEMBER_TEAM_EXTENSION,
  CARE_TEAM_ROLE_SYSTEM,
  SUPPORT_KIND_SYSTEM,
} from '../../features/people/fhir-care-team.js';
import { type CareTeamMemberRow, restoreCareTeamMembers } from '../../features/people/import-writes.js';
import { AddCareTeamMemberContract } from '../../features/people/schema.js';
import { restoreLeadTeams } from '../../features/sharing/import-writes.js';
import { ServiceError } from '../../services/errors.js';
import { careTeamMemberRow } from '../../store/care-team-member.js';
import type { DB } from '../../store/schema.js';
import { elementRules, wellFormed } from './handler.js';
import { importedOrganisationId } from './import-consents.js';
import { accountResolver, type StaffImport } from './import-practitioners.js';
import type { ImportedRegistration } from './import-store.js';

/**
 * A CareTeam of ours (features/people/fhir-care-team.ts: one per person, each current membership a
 * participant) as the memberships of the person's care team to restore on import (bulk-import.ts),
 * each under its participant id (ours as it is, another system's derived from it):
 *
 * - the member: a Practitioner (the named worker, `onBehalfOf` their organisation, their team in
 *   our `care-team-member-team` extension), a team's Organization or an organisation's;
 * - the kind of support (our `care-team-support-kind` code), the role's words (the role's text, less
 *   the team's name the mapping adds after them), key worker (our `care-team-role|key-worker`), and
 *   the day it began (`period.start`);
 * - `managingOrganization`: the team responsible for the record (the lead team).
 *
 * Each membership is checked as adding one is (the AddCareTeamMember contract). References are to
 * another database's rows: the organisation and team must be held here or imported in the same run
 * (the directory is imported first), else the membership is skipped with the reason; a named worker
 * whose Practitioner is neither held nor imported is left out (the membership is kept without one)
 * and reported. A membership the mapping cannot read is skipped on its own, naming its element;
 * the rest of the care team is imported.
 */
export interface CareTeamMemberToRestore {
  memberId: string;
  /** `participant[i]`, for reports. */
  element: string;
  /** The member's Organization (a team or an organisation), or a practitioner's `onBehalfOf`. */
  organizationId: string;
  /** A named practitioner's team (our extension). */
  teamId: string | null;
  /** The team's name as the resource gives it, to take off the role's words. */
  teamName: string | null;
  /** The Practitioner's id in the input. */
  practitionerId: string | null;
  supportKind: string;
  /** The role's text: its words, then the team's name when a team is named. */
  words: string;
  isKeyWorker: boolean;
  startDate: string | null;
}

export interface CareTeamToRestore {
  members: CareTeamMemberToRestore[];
  /** The team responsible for the record (managingOrganization), as kept here. */
  leadTeamId: string | null;
}

const { bad, keepOnly } = elementRules('CareTeam', [
  'resourceType',
  'id',
  'meta',
  'text',
  'status',
  'name',
  'subject',
  'managingOrganization',
  'participant',
]);
const PARTICIPANT_ELEMENTS = new Set(['id', 'extension', 'role', 'member', 'onBehalfOf', 'period']);

/** A calendar date, from a FHIR date or a dateTime (its day in the UK). */
function dayOf(value: string, element: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const time = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(time))
    throw bad(`${element} is not a date.`, element);
  return todayIso(new Date(time));
}

const organizationRef = (ref: { reference?: string } | undefined) => {
  const parsed = ref?.reference ? parseReference(ref.reference) : null;
  return parsed?.type === 'Organization' ? importedOrganisationId(parsed.id) : null;
};

function memberOf(
  p: NonNullable<CareTeam['participant']>[number],
  i: number,
  personId: string,
): CareTeamMemberToRestore {
  const at = `participant[${i}]`;
  keepOnly(p, PARTICIPANT_ELEMENTS, at);
  if (p.period?.end)
    throw bad(
      'A membership that has ended is not kept: the care team is who supports the person now.',
      `${at}.period.end`,
    );
  let teamId: string | null = null;
  let teamName: string | null = null;
  for (const x of p.extension ?? []) {
    const team = x.url === CARE_TEAM_MEMBER_TEAM_EXTENSION ? organizationRef(x.valueReference) : null;
    if (!team) throw bad(`The extension ${x.url} is not kept by this server.`, `${at}.extension`);
    teamId = team;
    teamName = x.valueReference?.display?.trim() || null;
  }
  const member = p.member?.reference ? parseReference(p.member.reference) : null;
  let practitionerId: string | null = null;
  let organizationId: string | null = null;
  if (member?.type === 'Practitioner') {
    practitionerId = member.id;
    organizationId = organizationRef(p.onBehalfOf);
    if (!organizationId)
      throw bad(
        'A named practitioner is on the care team on behalf of an organisation (onBehalfOf).',
        `${at}.onBehalfOf`,
      );
  } else if (member?.type === 'Organization') {
    if (p.onBehalfOf) throw bad('onBehalfOf is only for a practitioner (ctm-1).', `${at}.onBehalfOf`);
    if (teamId) throw bad('The team extension is only for a practitioner.', `${at}.extension`);
    organizationId = importedOrganisationId(member.id);
    teamName = p.member?.display?.trim() || null;
  } else {
    throw bad(
      'A member of the care team is a Practitioner, a team or an organisation (an Organization).',
      `${at}.member`,
    );
  }
  const kinds = (p.role ?? []).flatMap((r) =>
    (r.coding ?? []).filter((c) => c.system === SUPPORT_KIND_SYSTEM).map((c) => c.code ?? ''),
  );
  if (kinds.length !== 1)
    throw bad(`Give the kind of support: one ${SUPPORT_KIND_SYSTEM} code.`, `${at}.role`);
  const supportRole = (p.role ?? []).find((r) => r.coding?.some((c) => c.system === SUPPORT_KIND_SYSTEM));
  for (const r of p.role ?? [])
    for (const c of r.coding ?? [])
      if (
        c.system !== SUPPORT_KIND_SYSTEM &&
        !(c.system === CARE_TEAM_ROLE_SYSTEM && c.code === 'key-worker')
      )
        throw bad(`The role ${c.system ?? ''}|${c.code ?? ''} is not kept by this server.`, `${at}.role`);
  return {
    memberId:
      p.id && isUuid(p.id)
        ? p.id
        : derivedUuid('fhir-import', 'CareTeam.participant', personId, p.id ?? `${i}`),
    element: at,
    organizationId,
    teamId,
    teamName,
    practitionerId,
    supportKind: kinds[0] as string,
    words: supportRole?.text?.trim() ?? '',
    isKeyWorker: (p.role ?? []).some((r) =>
      r.coding?.some((c) => c.system === CARE_TEAM_ROLE_SYSTEM && c.code === 'key-worker'),
    ),
    startDate: p.period?.start ? dayOf(p.period.start, `${at}.period.start`) : null,
  };
}

/**
 * The CareTeam's memberships and lead team; a membership the mapping cannot read is reported by
 * `skip` (its element and reason) and left out. A CareTeam that is not one of ours as a whole (an
 * element not kept, a status other than active) is refused (a 422 naming the element).
 */
export function careTeamToRestore(
  careTeam: CareTeam,
  personId: string,
  skip: (element: string, reason: string) => void,
): CareTeamToRestore {
  return wellFormed('CareTeam', () => {
    keepOnly(careTeam);
    if (careTeam.status !== undefined && careTeam.status !== 'active')
      throw bad('The care team is who supports the person now: status is active.', 'status');
    const leads = (careTeam.managingOrganization ?? []).map((m) => organizationRef(m));
    if (leads.length > 1 || leads.some((l) => l === null))
      throw bad('The team responsible is one team (an Organization).', 'managingOrganization');
    const members: CareTeamMemberToRestore[] = [];
    (careTeam.participant ?? []).forEach((p, i) => {
      try {
        members.push(wellFormed('CareTeam', () => memberOf(p, i, personId)));
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        skip(
          error.field ?? `CareTeam.participant[${i}]`,
          `The membership was not imported: ${error.message}`,
        );
      }
    });
    return { members, leadTeamId: leads[0] ?? null };
  });
}

/** A person's CareTeams of the input, and where their report goes. */
export interface CareTeamsOfPerson {
  personId: string;
  careTeams: { careTeam: CareTeamToRestore; id: string; where: string }[];
  /** The person's counts and skips, applied when their transaction commits. */
  outcome: {
    imported: Record<string, number>;
    unchanged: Record<string, number>;
    skips: ImportReport['skipped'];
  };
}

type MemberRow = CareTeamMemberRow;

/** The memberships of a batch, resolved against what is held here, ready to write. */
export interface ResolvedCareTeams {
  /**
   * The membership registering the person into `organisationId` writes (as registering does):
   * the input's membership of that organisation (the key worker's first), which is then not
   * written again; undefined when the input has none.
   */
  registrationMember(
    personId: string,
    organisationId: string,
  ): ImportedRegistration['membership'] | undefined;
  /** Writes the memberships not held (nor written with the registration); returns the people changed. */
  write(trx: Kysely<DB>, people: readonly CareTeamsOfPerson[]): Promise<string[]>;
  /**
   * Makes the team the input names responsible for the record of each person registered by this
   * import who has a CareTeam in the input (none named: none), as the database keeps the state:
   * responsible while the team's organisation has a basis for sharing in force.
   */
  setLeadTeams(trx: Kysely<DB>, registered: readonly string[]): Promise<void>;
}

interface ResolveContext {
  staff: StaffImport;
  /** In a dry run: the input's organisations it would add (not written). */
  organisationsToAdd: ReadonlySet<string>;
}

export async function resolveCareTeams(
  trx: Kysely<DB>,
  ctx: ResolveContext,
  people: readonly Omit<CareTeamsOfPerson, 'outcome'>[],
): Promise<ResolvedCareTeams> {
  const withTeams = people.filter((p) => p.careTeams.length);
  const all = withTeams.flatMap((p) => p.careTeams.flatMap((c) => c.careTeam.members));
  const organizationIds = [
    ...new Set([
      ...all.flatMap((m) => [m.organizationId, ...(m.teamId ? [m.teamId] : [])]),
      ...withTeams.flatMap((p) =>
        p.careTeams.flatMap((c) => (c.careTeam.leadTeamId ? [c.careTeam.leadTeamId] : [])),
      ),
    ]),
  ];
  const [teamRows, organisationRows, heldRows, account] = await Promise.all([
    organizationIds.length
      ? trx
          .selectFrom('team')
          .select(['team_id', 'organisation_id', 'name'])
          .where('team_id', 'in', organizationIds)
          .execute()
      : [],
    organizationIds.length
      ? trx
          .selectFrom('organisation')
          .select('organisation_id')
          .where('organisation_id', 'in', organizationIds)
          .execute()
      : [],
    withTeams.length
      ? trx
          .selectFrom('care_team_member')
          .select(['person_id', 'member_id'])
          .where(
            'person_id',
            'in',
            withTeams.map((p) => p.personId),
          )
          .execute()
      : [],
    accountResolver(
      trx,
      ctx.staff,
      all.map((m) => m.practitionerId),
    ),
  ]);
  const teams = new Map(
    teamRows.map((t) => [t.team_id, { organisationId: t.organisation_id, name: t.name }]),
  );
  for (const [teamId, organisationId] of ctx.staff.pendingTeams)
    if (!teams.has(teamId)) teams.set(teamId, { organisationId, name: '' });
  const organisations = new Set([
    ...organisationRows.map((o) => o.organisation_id),
    ...ctx.organisationsToAdd,
  ]);
  const held = new Set(heldRows.map((h) => `${h.person_id}/${h.member_id}`));
  /** What a dry run would write but does not: rows naming it are written without it (rolled back anyway). */
  const written = (id: string | null) =>
    id !== null &&
    !ctx.staff.pendingTeams.has(id) &&
    !ctx.staff.pendingAccounts.has(id) &&
    !ctx.organisationsToAdd.has(id);

  const rowsByPerson = new Map<string, MemberRow[]>();
  /** What was left out, reported with the person's outcome when written. */
  const skipsByPerson = new Map<string, ImportReport['skipped']>();
  const leads = new Map<string, string | null>();
  for (const person of withTeams) {
    const rows: MemberRow[] = [];
    const skips: ImportReport['skipped'] = [];
    skipsByPerson.set(person.personId, skips);
    for (const { careTeam, id, where } of person.careTeams) {
      const skip = (element: string, reason: string) =>
        skips.push({ type: 'CareTeam', id, where, element: `CareTeam.${element}`, reason });
      const lead = careTeam.leadTeamId;
      if (lead && !teams.has(lead))
        skip(
          'managingOrganization',
          `The team responsible (Organization/${lead}) is neither held here nor imported with it: left out.`,
        );
      leads.set(person.personId, lead && teams.has(lead) && written(lead) ? lead : null);
      for (const m of careTeam.members) {
        const asTeam = teams.get(m.organizationId);
        const organisationId = asTeam ? asTeam.organisationId : m.organizationId;
        if (!asTeam && !organisations.has(m.organizationId)) {
          skip(
            m.element,
            `The membership was not imported: the organisation it names (Organization/${m.organizationId}) is neither held here nor imported with it.`,
          );
          continue;
        }
        let teamId = asTeam ? m.organizationId : m.teamId;
        if (m.teamId && !asTeam && teams.get(m.teamId)?.organisationId !== organisationId) {
          skip(
            `${m.element}.extension`,
            `The team (Organization/${m.teamId}) is not a team of the organisation held here: the membership is kept without it.`,
          );
          teamId = null;
        }
        let userId: string | null = null;
        if (m.practitionerId) {
          userId = account(m.practitionerId);
          if (!userId)
            skip(
              `${m.element}.member`,
              `Practitioner/${m.practitionerId} is neither imported nor held here: the membership is kept without a named worker.`,
            );
        }
        const teamName = m.teamName ?? (teamId ? (teams.get(teamId)?.name ?? '') : '');
        const roleDescription =
          teamId && teamName && m.words === teamName
            ? ''
            : teamId && teamName && m.words.endsWith(`, ${teamName}`)
              ? m.words.slice(0, -(teamName.length + 2))
              : m.words;
        const [problem] = AddCareTeamMemberContract.problems({
          organisationId,
          teamId,
          userId,
          supportKind: m.supportKind,
          roleDescription,
          isKeyWorker: m.isKeyWorker,
        });
        if (problem) {
          skip(m.element, `The membership was not imported: ${problem.field} ${problem.message}`);
          continue;
        }
        rows.push({
          personId: person.personId,
          memberId: m.memberId,
          organisationId,
          teamId: written(teamId) ? teamId : null,
          userId: written(userId) ? userId : null,
          supportKind: m.supportKind,
          roleDescription,
          isKeyWorker: m.isKeyWorker,
          ...(m.startDate ? { startDate: m.startDate } : {}),
        });
      }
    }
    rowsByPerson.set(person.personId, rows);
  }
  const takenByRegistration = new Set<string>();

  return {
    registrationMember(personId, organisationId) {
      const rows = (rowsByPerson.get(personId) ?? []).filter(
        (r) => r.organisationId === organisationId && !held.has(`${personId}/${r.memberId}`),
      );
      const chosen = rows.find((r) => r.isKeyWorker) ?? rows[0];
      if (!chosen) return undefined;
      takenByRegistration.add(`${personId}/${chosen.memberId}`);
      return careTeamMemberRow(chosen, chosen);
    },
    async write(db, batch) {
      const toWrite: MemberRow[] = [];
      const changed: string[] = [];
      for (const person of batch) {
        const rows = rowsByPerson.get(person.personId);
        if (!rows) continue;
        const fresh = rows.filter((r) => !held.has(`${person.personId}/${r.memberId}`));
        // What a CareTeam held already leaves out was reported when it was imported.
        if (fresh.length || rows.length === 0)
          person.outcome.skips.push(...(skipsByPerson.get(person.personId) ?? []));
        for (const r of fresh) held.add(`${person.personId}/${r.memberId}`);
        toWrite.push(
          ...fresh.filter(
            (r) =>
              !takenByRegistration.has(`${person.personId}/${r.memberId}`) &&
              // (A dry run does not write the input's organisations: their memberships are counted.)
              written(r.organisationId),
          ),
        );
        // One CareTeam a person: imported when any of its memberships was written.
        countInto(
          fresh.length ? person.outcome.imported : person.outcome.unchanged,
          'CareTeam',
          person.careTeams.length,
        );
        if (fresh.length) changed.push(person.personId);
      }
      await restoreCareTeamMembers(db, toWrite);
      return changed;
    },
    async setLeadTeams(db, registered) {
      await restoreLeadTeams(
        db,
        registered.flatMap((personId) =>
          leads.has(personId) ? [{ personId, teamId: leads.get(personId) ?? null }] : [],
        ),
      );
    },
  };
}
