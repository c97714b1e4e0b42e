import type { CodeableConcept, ContactPoint, RelatedPerson } from '@medplum/fhirtypes';
import { isUuid, parseReference, personRowId } from '../../domain/interop/fhir-ids.js';
import type { SearchParamDefinition } from '../../domain/interop/fhir-search.js';
import { whatmattersCodeSystem } from '../../domain/interop/uk-core.js';
import { isPhoneNumberOrBlank } from '../../domain/phone.js';
import { elementRules, type FhirContext, wellFormed } from '../../interop/fhir/handler.js';
import { personResources } from '../../interop/fhir/person-resources.js';
import { ServiceError } from '../../services/errors.js';
import type { AccessGrant } from '../record-access/person-access.js';
import type { AddRelationshipInput, RelationshipEntry } from './schema.js';

/**
 * RelatedPerson: someone important to the person (`relationship`: family, friend, carer), id =
 * personRowId(person, relationship).
 *
 * - relationship: the words we keep (`text`), with the HL7 v3 RoleCode where the words name one
 *   (daughter → DAU …); a carer also has our `relationship-role|carer`.
 * - name: `text`, as kept (one field).
 * - telecom: the contact, as `phone` when it is a telephone number, `email` when it is an email
 *   address, otherwise `other` with the words as they are.
 * - Read only: active (always true), whether the carer has an account and what they may see.
 * - Create → PeopleService.addRelationship; there is no update (no use case changes a relationship).
 */
export type VersionedRelationship = RelationshipEntry & { versionId: number; lastUpdated: Date };

const ROLE_CODE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';
export const RELATIONSHIP_ROLE_SYSTEM = whatmattersCodeSystem('relationship-role');

/** Words people use for a relationship → HL7 v3 RoleCode (PersonalRelationshipRoleType). */
const ROLE_CODES: Record<string, { code: string; display: string }> = {
  wife: { code: 'WIFE', display: 'wife' },
  husband: { code: 'HUSB', display: 'husband' },
  spouse: { code: 'SPS', display: 'spouse' },
  partner: { code: 'DOMPART', display: 'domestic partner' },
  daughter: { code: 'DAU', display: 'natural daughter' },
  son: { code: 'SON', display: 'natural son' },
  child: { code: 'CHILD', display: 'child' },
  mother: { code: 'MTH', display: 'mother' },
  father: { code: 'FTH', display: 'father' },
  parent: { code: 'PRN', display: 'parent' },
  sister: { code: 'SIS', display: 'sister' },
  brother: { code: 'BRO', display: 'brother' },
  granddaughter: { code: 'GRNDDAU', display: 'granddaughter' },
  grandson: { code: 'GRNDSON', display: 'grandson' },
  niece: { code: 'NIECE', display: 'niece' },
  nephew: { code: 'NEPHEW', display: 'nephew' },
  friend: { code: 'FRND', display: 'unrelated friend' },
  neighbour: { code: 'NBOR', display: 'neighbor' },
  neighbor: { code: 'NBOR', display: 'neighbor' },
};

const CARER = { system: RELATIONSHIP_ROLE_SYSTEM, code: 'carer', display: 'Carer' };
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function relatedPersonOf(personId: string, r: VersionedRelationship): RelatedPerson {
  const role = ROLE_CODES[r.relationshipType.trim().toLowerCase()];
  const relationship: CodeableConcept[] = [
    { ...(role ? { coding: [{ system: ROLE_CODE_SYSTEM, ...role }] } : {}), text: r.relationshipType },
    ...(r.isCarer ? [{ coding: [CARER], text: 'Carer' }] : []),
  ];
  const contact = r.contact?.trim();
  const telecom: ContactPoint[] = contact
    ? [
        {
          system: EMAIL.test(contact) ? 'email' : isPhoneNumberOrBlank(contact) ? 'phone' : 'other',
          value: contact,
        },
      ]
    : [];
  return {
    resourceType: 'RelatedPerson',
    id: personRowId(personId, r.relationshipId),
    meta: { versionId: String(r.versionId), lastUpdated: r.lastUpdated.toISOString() },
    active: true,
    patient: { reference: `Patient/${personId}` },
    relationship,
    name: [{ text: r.name }],
    ...(telecom.length ? { telecom } : {}),
  };
}

const { bad, keepOnly } = elementRules('RelatedPerson', [
  'resourceType',
  'id',
  'meta',
  'text',
  'active',
  'patient',
  'relationship',
  'name',
  'telecom',
]);

/** The person a RelatedPerson is important to: its `patient`. */
export function patientOfRelatedPerson(r: RelatedPerson): string {
  const patient = r.patient?.reference ? parseReference(r.patient.reference) : null;
  if (patient?.type !== 'Patient' || !isUuid(patient.id))
    throw bad('Give the person: patient = Patient/{id}.', 'patient');
  return patient.id;
}

/** What a RelatedPerson asks to add: the AddRelationship contract's input. */
export function relationshipOf(r: RelatedPerson): AddRelationshipInput {
  keepOnly(r);
  if (r.active === false) throw bad('Someone added to the person’s circle is active.', 'active');
  if ((r.name?.length ?? 0) !== 1) throw bad('Give one name.', 'name');
  const [n] = r.name ?? [];
  const name = (n?.text ?? [...(n?.given ?? []), ...(n?.family ? [n.family] : [])].join(' ')).trim();
  if (!name) throw bad('Give the name (name.text, or given and family).', 'name');
  const isCarer = (r.relationship ?? []).some((c) =>
    c.coding?.some((x) => x.system === CARER.system && x.code === CARER.code),
  );
  const kinds = (r.relationship ?? []).filter((c) => !c.coding?.some((x) => x.system === CARER.system));
  if (kinds.length !== 1)
    throw bad(
      'Give one relationship (besides the carer code): its words in text, or a v3 RoleCode.',
      'relationship',
    );
  const [kind] = kinds;
  const relationshipType = (
    kind?.text ??
    kind?.coding?.find((x) => x.system === ROLE_CODE_SYSTEM)?.display ??
    ''
  ).trim();
  if (!relationshipType)
    throw bad('Give the relationship in words (relationship.text).', 'relationship.text');
  if ((r.telecom?.length ?? 0) > 1) throw bad('Only one way of contacting them is kept.', 'telecom');
  const contact = r.telecom?.[0]?.value?.trim();
  return { name, relationshipType, isCarer, ...(contact ? { contact } : {}) };
}

const params: SearchParamDefinition<RelatedPerson>[] = [
  {
    name: 'relationship',
    type: 'token',
    documentation: `A v3 RoleCode (${ROLE_CODE_SYSTEM}), or ${RELATIONSHIP_ROLE_SYSTEM}|carer`,
    valuesOf: (r) =>
      (r.relationship ?? []).flatMap((c) =>
        (c.coding ?? []).map((x) => ({ system: x.system, code: x.code ?? '' })),
      ),
  },
  {
    name: 'name',
    type: 'string',
    documentation: 'The name, from the start of any word',
    valuesOf: (r) => (r.name ?? []).flatMap((n) => (n.text ? n.text.split(/\s+/) : [])),
  },
];

async function listRelatedPeople(ctx: FhirContext, personId: string): Promise<RelatedPerson[]> {
  const rows = await ctx.services.people.versionedRelationships(ctx.actor, personId);
  return rows.map((r) => relatedPersonOf(personId, r));
}

/** Everyone's RelatedPersons at once (bulk export), after the caller checked and audited each grant. */
async function listRelatedPeopleOfEach(
  ctx: FhirContext,
  grants: readonly AccessGrant[],
): Promise<Map<string, RelatedPerson[]>> {
  const rows = await ctx.services.people.versionedRelationshipsOfEach(grants);
  return new Map([...rows].map(([personId, of]) => [personId, of.map((r) => relatedPersonOf(personId, r))]));
}

export const relatedPersonFhir = personResources<RelatedPerson>({
  type: 'RelatedPerson',
  documentation:
    'The people important to the person: family, friends, carers, with how they are related (v3 RoleCode where the words name one) and how to contact them. Create adds someone; there is no update.',
  searchParams: params,
  listForPerson: listRelatedPeople,
  listForPeople: listRelatedPeopleOfEach,
  async create(ctx, related) {
    const personId = wellFormed('RelatedPerson', () => patientOfRelatedPerson(related));
    const relationshipId = await ctx.services.people.addRelationship(
      ctx.actor,
      personId,
      wellFormed('RelatedPerson', () => relationshipOf(related)),
    );
    const id = personRowId(personId, relationshipId);
    const found = (await listRelatedPeople(ctx, personId)).find((r) => r.id === id);
    if (!found) throw new ServiceError(404, 'Not found', `No RelatedPerson with the id ${id}.`);
    return found;
  },
});
