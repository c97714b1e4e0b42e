import type { RelatedPerson } from '@medplum/fhirtypes';
import type { Kysely } from 'kysely';
import { importedRowId } from '../../domain/interop/fhir-import.js';
import { relationshipOf } from '../../features/people/fhir-related-person.js';
import { AddRelationshipContract } from '../../features/people/schema.js';
import { ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import { wellFormed } from './handler.js';

/**
 * A RelatedPerson as someone in the person's circle to restore on import (bulk-import.ts): the
 * name, relationship, carer or not and contact read by the RelatedPerson mapping's
 * `relationshipOf` (the one from-FHIR mapping, checked as adding someone is), kept under its id
 * (ours as it is, another system's derived from it). The resource carries no date of its own:
 * they are kept as added at `meta.lastUpdated` (when it is version 1, that is when they were
 * added; later, no earlier than they were), else now. Whether a carer has an account here and
 * what the person lets them see are not in the resource: a restored relationship has no account
 * and no access until the person links and authorises them on their circle page.
 */
export interface RelationshipToRestore {
  relationshipId: string;
  name: string;
  relationshipType: string;
  isCarer: boolean;
  contact: string | null;
  /** When they were added, or null for now. */
  createdAt: string | null;
}

const invalid = (message: string, element: string) =>
  new ServiceError(422, 'Invalid RelatedPerson', message, `RelatedPerson.${element}`);

/** The RelatedPerson's element each field of the AddRelationship input comes from (relationshipOf). */
const ELEMENT_OF_FIELD: Record<string, string> = {
  name: 'name',
  relationshipType: 'relationship',
  contact: 'telecom',
};

export function relationshipToRestore(related: RelatedPerson, personId: string): RelationshipToRestore {
  return wellFormed('RelatedPerson', () => {
    const input = relationshipOf({ ...related, patient: { reference: `Patient/${personId}` } });
    const [problem] = AddRelationshipContract.problems(input);
    if (problem)
      throw invalid(`${problem.field} ${problem.message}`, ELEMENT_OF_FIELD[problem.field] ?? problem.field);
    const lastUpdated = related.meta?.lastUpdated;
    const time = lastUpdated === undefined ? null : Date.parse(lastUpdated);
    if (time !== null && Number.isNaN(time))
      throw invalid('meta.lastUpdated is not a date and time.', 'meta.lastUpdated');
    return {
      relationshipId: importedRowId(
        personId,
        'RelatedPerson',
        related.id ?? `${input.name}/${input.relationshipType}`,
      ),
      name: input.name.trim(),
      relationshipType: input.relationshipType.trim(),
      isCarer: input.isCarer,
      contact: input.contact?.trim() || null,
      createdAt: time === null ? null : new Date(time).toISOString(),
    };
  });
}

/** The relationships of `personIds` already held (keys person/relationship). */
export async function heldRelationships(db: Kysely<DB>, personIds: string[]): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('relationship')
    .select(['person_id', 'relationship_id'])
    .where('person_id', 'in', personIds)
    .execute();
  return new Set(rows.map((r) => `${r.person_id}/${r.relationship_id}`));
}
