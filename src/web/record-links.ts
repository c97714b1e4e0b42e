import type { RelationKind } from '../domain/record-access.js';

/**
 * Where "back" is for the reader of a person's record: the person's own view, a carer's view of
 * someone they care for, or the person's summary for the care team. Addresses are the web layer's
 * business, so they are built here rather than in a service.
 */
export function homeFor(relationKind: RelationKind, personId: string): string {
  if (relationKind === 'self') return '/my';
  if (relationKind === 'carer') return `/my/people/${personId}`;
  return `/people/${personId}`;
}
