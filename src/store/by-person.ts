/**
 * Reading many people's records at once (bulk export): the people to ask the database for, and
 * the rows it gives back split by person. Each read of many people orders its rows as the read of
 * one person does, so each person's rows come out as that read gives them.
 */

/** The distinct people some record scopes (or grants) are for. */
export const personIdsOf = (scopes: readonly { personId: string }[]): string[] => [
  ...new Set(scopes.map((s) => s.personId)),
];

/** Rows grouped by person, mapped, each person's in the order read; people with no rows are left out. */
export function byPerson<R, T = R>(
  rows: readonly R[],
  personOf: (row: R) => string,
  map: (row: R) => T = (row) => row as unknown as T,
): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const row of rows) {
    const personId = personOf(row);
    const theirs = grouped.get(personId);
    if (theirs) theirs.push(map(row));
    else grouped.set(personId, [map(row)]);
  }
  return grouped;
}
