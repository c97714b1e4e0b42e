import type { CareTeam, CareTeamParticipant, CodeableConcept } from '@medplum/fhirtypes';
import { CARE_TEAM_SUPPORT_LABELS, type CareTeamSupportKind } from '../../domain/care-team.js';
import { isUuid } from '../../domain/interop/fhir-ids.js';
import type { SearchParamDefinition } from '../../domain/interop/fhir-search.js';
import { whatmattersCodeSystem, whatmattersExtension } from '../../domain/interop/uk-core.js';
import type { FhirContext } from '../../interop/fhir/handler.js';
import { personResources } from '../../interop/fhir/person-resources.js';
import type { AccessGrant } from '../record-access/person-access.js';
import type { CareTeamMember } from './schema.js';

/**
 * CareTeam: the person's current care team across every agency, one per person (id = the person's
 * id). Each current membership is a participant (`participant.id` = the membership's id):
 *
 * - member: the named practitioner (`Practitioner/{user id}`) when there is one, otherwise the
 *   team (an Organization, `Organization/{team id}`, part of its organisation) or the organisation
 *   (`Organization/{id}`); onBehalfOf: the organisation, when the member is a practitioner (ctm-1).
 * - role: the kind of support (our code system `care-team-support-kind`), with the role's words as
 *   text; a key worker has a second role, our `care-team-role|key-worker`; the team, when one is
 *   named, is in the first role's text.
 * - period.start: the day the membership began.
 * - The team of a named practitioner: our extension `care-team-member-team` on the participant,
 *   a Reference to the team's Organization (R4 has no element for it: `onBehalfOf` is the
 *   organisation, and `member` the practitioner), so an import puts them back in their team.
 * - managingOrganization: the team responsible for the record (the lead team, migration 0010), the
 *   team's Organization, when it has one. Whether it is still responsible follows from the bases
 *   for sharing (as the database keeps it); a manager's pending decision (escalated) is not shown.
 *
 * The version is the care team's as a whole (every membership's version summed, ended ones too), so
 * adding, changing or ending a membership moves it on. Read and search only: members are added on
 * the person's care team page or with the REST API (they need a basis for sharing recorded first).
 */
export const SUPPORT_KIND_SYSTEM = whatmattersCodeSystem('care-team-support-kind');
export const CARE_TEAM_ROLE_SYSTEM = whatmattersCodeSystem('care-team-role');
/** The team a named practitioner is in on the care team (Reference(Organization)), on `participant`. */
export const CARE_TEAM_MEMBER_TEAM_EXTENSION = whatmattersExtension('care-team-member-team');

export interface VersionedCareTeam {
  members: CareTeamMember[];
  versionId: number;
  lastUpdated: Date;
  /** The team responsible for the record, when there is one. */
  lead?: { teamId: string; teamName: string } | null;
}

function roleOf(m: CareTeamMember): CodeableConcept[] {
  const label = CARE_TEAM_SUPPORT_LABELS[m.supportKind as CareTeamSupportKind];
  const words = [m.roleDescription.trim(), m.teamName ? `${m.teamName}` : ''].filter(Boolean).join(', ');
  return [
    {
      coding: [{ system: SUPPORT_KIND_SYSTEM, code: m.supportKind, ...(label ? { display: label } : {}) }],
      ...(words ? { text: words } : {}),
    },
    ...(m.isKeyWorker
      ? [{ coding: [{ system: CARE_TEAM_ROLE_SYSTEM, code: 'key-worker', display: 'Key worker' }] }]
      : []),
  ];
}

function participantOf(m: CareTeamMember): CareTeamParticipant {
  const organisation = { reference: `Organization/${m.organisationId}`, display: m.organisationName };
  return {
    id: m.memberId,
    ...(m.userId && m.teamId
      ? {
          extension: [
            {
              url: CARE_TEAM_MEMBER_TEAM_EXTENSION,
              valueReference: {
                reference: `Organization/${m.teamId}`,
                ...(m.teamName ? { display: m.teamName } : {}),
              },
            },
          ],
        }
      : {}),
    role: roleOf(m),
    ...(m.userId
      ? {
          member: { reference: `Practitioner/${m.userId}`, ...(m.userName ? { display: m.userName } : {}) },
          onBehalfOf: organisation,
        }
      : m.teamId
        ? {
            member: { reference: `Organization/${m.teamId}`, ...(m.teamName ? { display: m.teamName } : {}) },
          }
        : { member: organisation }),
    period: { start: m.startDate },
  };
}

export function careTeamOf(personId: string, team: VersionedCareTeam): CareTeam {
  return {
    resourceType: 'CareTeam',
    id: personId,
    meta: { versionId: String(team.versionId), lastUpdated: team.lastUpdated.toISOString() },
    status: 'active',
    name: 'Care team',
    subject: { reference: `Patient/${personId}` },
    ...(team.lead
      ? {
          managingOrganization: [
            { reference: `Organization/${team.lead.teamId}`, display: team.lead.teamName },
          ],
        }
      : {}),
    ...(team.members.length ? { participant: team.members.map(participantOf) } : {}),
  };
}

const memberReferences = (t: CareTeam) => [
  ...new Set(
    (t.participant ?? [])
      .flatMap((p) => [p.member?.reference, p.onBehalfOf?.reference])
      .filter((r): r is string => !!r),
  ),
];

const params: SearchParamDefinition<CareTeam>[] = [
  {
    name: 'status',
    type: 'token',
    documentation: 'active',
    valuesOf: (t) => (t.status ? [{ code: t.status }] : []),
  },
  {
    name: 'participant',
    type: 'reference',
    documentation: 'A member: Practitioner/{id} or Organization/{id}',
    valuesOf: memberReferences,
  },
];

async function listCareTeam(ctx: FhirContext, personId: string): Promise<CareTeam[]> {
  const team = await ctx.services.people.versionedCareTeam(ctx.actor, personId);
  return team ? [careTeamOf(personId, team)] : [];
}

/** Everyone's CareTeam at once (bulk export), after the caller checked and audited each grant. */
async function listCareTeamsOfEach(
  ctx: FhirContext,
  grants: readonly AccessGrant[],
): Promise<Map<string, CareTeam[]>> {
  const teams = await ctx.services.people.versionedCareTeamsOfEach(grants);
  return new Map([...teams].map(([personId, team]) => [personId, [careTeamOf(personId, team)]]));
}

export const careTeamFhir = personResources<CareTeam>({
  type: 'CareTeam',
  documentation:
    'The person’s current care team across every agency, one per person (id = the person’s id): practitioners and organisations, with the kind of support each gives. Read and search only.',
  searchParams: params,
  includes: [{ name: 'CareTeam:participant', referencesOf: memberReferences }],
  personOfId: (id) => (isUuid(id) ? id : null),
  listForPerson: listCareTeam,
  listForPeople: listCareTeamsOfEach,
});
