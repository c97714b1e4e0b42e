import { type Kysely, type Selectable, sql } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { foldForSearch } from '../../domain/search-text.js';
import type { DB, PersonTable } from '../../store/schema.js';
import {
  carerLinks,
  careStaffIds,
  careTeamMemberships,
  isCareStaff,
  organisationMemberships,
} from '../record-access/person-access.js';

/** A date criterion as the FHIR layer parsed it: a prefix and a period in ms (fhir-search.ts). */
export interface DateRange {
  prefix: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'sa' | 'eb';
  start: number;
  end: number;
}

/**
 * What a search of people may filter on: each list of values an "or"; every field, and every
 * group in a list of groups (a parameter given twice, as in birthdate=ge…&birthdate=le…), an "and".
 */
export interface PeopleFilter {
  personIds?: string[];
  nhsNumbers?: string[];
  /** Each text must start a word of the name (folded like `search_name`). */
  names?: string[][];
  sexes?: string[];
  birthDates?: DateRange[][];
  lastUpdated?: DateRange[][];
}

/**
 * The people whose records the actor may list, by the one access rule: a care-team member's
 * caseload, a system client's organisation's records, a person's own record and a carer's people.
 * Break-glass never lists: it opens one record at a time.
 */
function visiblePersonIds(db: Kysely<DB>, actor: Actor) {
  if (actor.client)
    return organisationMemberships(db, actor.client.organisationId).select('m.person_id as person_id');
  // The same selection from each source; typed as the first so they can be put together.
  const parts: ReturnType<typeof ownRecord>[] = [];
  const ownRecord = (personId: string) =>
    db.selectFrom('person').select('person_id').where('person_id', '=', personId);
  if (isCareStaff(actor)) {
    const { ids, teams } = careStaffIds(actor);
    parts.push(
      careTeamMemberships(db, ids, teams).select('m.person_id as person_id') as unknown as ReturnType<
        typeof ownRecord
      >,
    );
  }
  if (actor.personId && actor.roles.some((r) => r.role === 'person' || r.role === 'carer')) {
    parts.push(ownRecord(actor.personId));
  }
  if (actor.roles.some((r) => r.role === 'carer')) {
    parts.push(
      db
        .selectFrom(carerLinks(db, actor.userId).as('c'))
        .select('c.person_id as person_id') as unknown as ReturnType<typeof ownRecord>,
    );
  }
  const [first, ...rest] = parts;
  if (!first) return null;
  let all = first;
  for (const part of rest) all = all.unionAll(part) as typeof first;
  return all;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A date criterion over a column holding a day (`date`) or an instant (`timestamptz`). */
function dateCondition(column: 'date_of_birth' | 'last_updated', r: DateRange) {
  const col = sql.ref(`p.${column}`);
  const at = (ms: number) =>
    column === 'date_of_birth' ? sql`${day(ms)}::date` : sql`${new Date(ms)}::timestamptz`;
  switch (r.prefix) {
    case 'eq':
      return sql<boolean>`(${col} >= ${at(r.start)} and ${col} < ${at(r.end)})`;
    case 'ne':
      return sql<boolean>`not (${col} >= ${at(r.start)} and ${col} < ${at(r.end)})`;
    case 'lt':
    case 'eb':
      return sql<boolean>`${col} < ${at(r.start)}`;
    case 'le':
      return sql<boolean>`${col} < ${at(r.end)}`;
    case 'gt':
    case 'sa':
      return sql<boolean>`${col} >= ${at(r.end)}`;
    case 'ge':
      return sql<boolean>`${col} >= ${at(r.start)}`;
  }
}

const anyOf = (conditions: ReturnType<typeof dateCondition>[]) =>
  sql<boolean>`(${sql.join(conditions, sql` or `)})`;

/**
 * One page of the people the actor may list that match the filter, in id order, with one more
 * row than asked for to tell whether another page follows.
 */
export async function visiblePeoplePage(
  db: Kysely<DB>,
  actor: Actor,
  filter: PeopleFilter,
  page: { offset: number; count: number },
): Promise<Selectable<PersonTable>[]> {
  const visible = visiblePersonIds(db, actor);
  if (!visible) return [];
  let query = db
    .selectFrom('person as p')
    .selectAll('p')
    .where('p.person_id', 'in', db.selectFrom(visible.as('v')).select('v.person_id'));
  if (filter.personIds)
    query = query.where('p.person_id', 'in', filter.personIds.length ? filter.personIds : ['']);
  if (filter.nhsNumbers)
    query = query.where('p.nhs_number', 'in', filter.nhsNumbers.length ? filter.nhsNumbers : ['']);
  if (filter.sexes) query = query.where('p.sex', 'in', filter.sexes.length ? filter.sexes : ['']);
  for (const names of filter.names ?? []) {
    const patterns = names.flatMap((n) => {
      const folded = foldForSearch(n).replace(/[\\%_]/g, (c) => `\\${c}`);
      return [`${folded}%`, `% ${folded}%`];
    });
    query = query.where((eb) => eb.or(patterns.map((p) => eb('p.search_name', 'like', p))));
  }
  for (const ranges of filter.birthDates ?? []) {
    query = query.where(anyOf(ranges.map((r) => dateCondition('date_of_birth', r))));
  }
  for (const ranges of filter.lastUpdated ?? []) {
    query = query.where(anyOf(ranges.map((r) => dateCondition('last_updated', r))));
  }
  return query
    .orderBy('p.person_id')
    .limit(page.count + 1)
    .offset(page.offset)
    .execute();
}
