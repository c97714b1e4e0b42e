import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { AggregateScope } from '../../domain/aggregate-access.js';
import type { AttendanceOutcome } from '../../domain/community/referrals.js';
import { NO_UNIT as NO_TEAM } from '../../domain/indicators/breakdowns.js';
import { type ConnectionsBehind, WELLBEING_SCORE } from '../../domain/indicators/community-sources.js';
import type { StoriesBehind } from '../../domain/indicators/feedback-sources.js';
import type { DB } from '../../store/schema.js';

/**
 * The drill-down's queries: the free text behind one cell of an indicator (personal outcome
 * statements, what helped and what got in the way, rating comments). Unlike the figures, which
 * come from `indicator_rollup`, text can only come from the records, so these read raw tables. Each
 * is bounded: it starts from at most PEOPLE_READ people of the cell, found through their lead team
 * (person.lead_team_id is indexed, migration 0010), reads their records by person (every
 * person-owned table is keyed by person_id first) and keeps the newest TEXTS_PER_KIND texts.
 */

/** At most this many texts of each kind are read for one cell. */
export const TEXTS_PER_KIND = 60;
/** Texts are read from at most this many people of the cell: those with the latest conversations. */
export const PEOPLE_READ = 400;

/** Which people and records a cell covers. Every list narrows; none widens the actor's scope. */
export interface CellFilter {
  scope: AggregateScope;
  organisationIds?: readonly string[];
  teamIds?: readonly string[];
  /** London calendar dates, both included. */
  fromDate: string;
  toDate: string;
  /** Only outcomes coded to this domain (by code). */
  domainCode?: string;
  /** Only ratings from this viewpoint. */
  viewpoint?: string;
  sex?: string;
  /** Ethnic category codes; `ethnicityNotStated` also takes people with none recorded. */
  ethnicCategories?: readonly string[];
  ethnicityNotStated?: boolean;
  /** Deprivation deciles; `deprivationUnknown` takes people with none. */
  deprivationDeciles?: readonly number[];
  deprivationUnknown?: boolean;
  /** Date of birth after `bornAfter` and on or before `bornOnOrBefore`; `ageUnknown`: no date of birth. */
  bornAfter?: string;
  bornOnOrBefore?: string;
  ageUnknown?: boolean;
}

export interface OutcomeText {
  personId: string;
  outcomeId: string;
  statement: string;
  whyItMatters: string;
  domainCodes: string[];
  createdAt: Date;
}

export interface ConversationText {
  personId: string;
  conversationId: string;
  heldOn: string;
  whatHelped: string;
  whatGotInTheWay: string;
}

export interface RatingComment {
  personId: string;
  outcomeId: string;
  viewpoint: string;
  note: string;
  domainCodes: string[];
}

/** A person's names and their circle's, and their care team's staff: what the de-identifier always masks. */
export interface KnownNames {
  personId: string;
  names: string[];
}

const uuidList = (ids: readonly string[]) => sql.join(ids.map((id) => sql`${id}::uuid`));

/** The conditions on `p` (person) and `t` (their lead team) that put a person in the cell. */
function personConditions(f: CellFilter): RawBuilder<unknown>[] {
  const c: RawBuilder<unknown>[] = [sql`p.registered_as = 'person'`];
  if (f.scope.kind === 'units') {
    const orgs = f.scope.organisationIds;
    const teams = f.scope.teamIds;
    c.push(
      sql`(${orgs.length ? sql`t.organisation_id in (${uuidList(orgs)})` : sql`false`} or ${
        teams.length ? sql`t.team_id in (${uuidList(teams)})` : sql`false`
      })`,
    );
  }
  if (f.organisationIds) {
    c.push(
      f.organisationIds.length ? sql`t.organisation_id in (${uuidList(f.organisationIds)})` : sql`false`,
    );
  }
  if (f.teamIds) c.push(f.teamIds.length ? sql`t.team_id in (${uuidList(f.teamIds)})` : sql`false`);
  c.push(...demographicConditions(f));
  return c;
}

/** The conditions on `p` (person) for the cell's demographic breakdown values. */
function demographicConditions(f: CellFilter): RawBuilder<unknown>[] {
  const c: RawBuilder<unknown>[] = [];
  if (f.sex !== undefined) c.push(sql`p.sex = ${f.sex}`);
  if (f.ethnicCategories !== undefined || f.ethnicityNotStated) {
    const codes = f.ethnicCategories ?? [];
    const inCodes = codes.length
      ? sql`p.ethnic_category in (${sql.join(codes.map((x) => sql`${x}`))})`
      : sql`false`;
    c.push(f.ethnicityNotStated ? sql`(${inCodes} or p.ethnic_category is null)` : inCodes);
  }
  if (f.deprivationDeciles !== undefined || f.deprivationUnknown) {
    const deciles = f.deprivationDeciles ?? [];
    const inDeciles = deciles.length
      ? sql`p.deprivation_decile in (${sql.join(deciles.map((d) => sql`${d}::int`))})`
      : sql`false`;
    c.push(f.deprivationUnknown ? sql`(${inDeciles} or p.deprivation_decile is null)` : inDeciles);
  }
  if (f.ageUnknown) c.push(sql`p.date_of_birth is null`);
  if (f.bornAfter !== undefined) c.push(sql`p.date_of_birth > ${f.bornAfter}::date`);
  if (f.bornOnOrBefore !== undefined) c.push(sql`p.date_of_birth <= ${f.bornOnOrBefore}::date`);
  return c;
}

const and = (conditions: RawBuilder<unknown>[]) => sql.join(conditions, sql` and `);

/**
 * The people of the cell whose texts are read: at most PEOPLE_READ, those seen most recently, found
 * through their lead team (person_lead_team_latest_idx, migration 0017), so a region-wide cell reads a bounded set.
 */
const cellPeople = (f: CellFilter) => sql`(select p.person_id from person p
    join team t on t.team_id = p.lead_team_id
    where ${and(personConditions(f))}
    order by p.latest_held_on desc nulls last, p.person_id
    limit ${PEOPLE_READ}) cp
  join person p on p.person_id = cp.person_id`;

/** The codes of the domains an outcome is coded to, as an array column. */
const domainCodesOf = (outcome: RawBuilder<unknown>, person: RawBuilder<unknown>) =>
  sql<string[]>`array(select d.code from personal_outcome_domain pod
      join outcome_domain d on d.domain_id = pod.domain_id
      where pod.person_id = ${person} and pod.outcome_id = ${outcome} order by d.code)`;

const inDomain = (f: CellFilter, outcome: RawBuilder<unknown>, person: RawBuilder<unknown>) =>
  f.domainCode === undefined
    ? sql`true`
    : sql`exists (select 1 from personal_outcome_domain pod join outcome_domain d on d.domain_id = pod.domain_id
        where pod.person_id = ${person} and pod.outcome_id = ${outcome} and d.code = ${f.domainCode})`;

/** A London date of a timestamp, as the rollups date facts. */
const londonDate = (column: RawBuilder<unknown>) => sql`(${column} at time zone 'Europe/London')::date`;

/**
 * Outcome statements of people in the cell that were recorded or rated in the period (the facts
 * behind the figures are ratings, changes, goals and outcomes of those months), newest first.
 */
export async function outcomeTexts(
  db: Kysely<DB>,
  f: CellFilter,
  limit = TEXTS_PER_KIND,
): Promise<OutcomeText[]> {
  const result = await sql<{
    person_id: string;
    outcome_id: string;
    statement: string;
    why_it_matters: string | null;
    domain_codes: string[];
    created_at: Date;
  }>`select o.person_id, o.outcome_id, o.statement, o.why_it_matters, o.created_at,
      ${domainCodesOf(sql.ref('o.outcome_id'), sql.ref('o.person_id'))} as domain_codes
    from ${cellPeople(f)}
    join personal_outcome o on o.person_id = p.person_id
    where ${inDomain(f, sql.ref('o.outcome_id'), sql.ref('o.person_id'))}
      and (${londonDate(sql.ref('o.created_at'))} between ${f.fromDate}::date and ${f.toDate}::date
        or exists (select 1 from outcome_rating r where r.person_id = o.person_id and r.outcome_id = o.outcome_id
          and ${londonDate(sql.ref('r.rated_at'))} between ${f.fromDate}::date and ${f.toDate}::date
          ${f.viewpoint !== undefined ? sql`and r.viewpoint = ${f.viewpoint}` : sql``}))
    order by o.created_at desc, o.outcome_id
    limit ${limit}`.execute(db);
  return result.rows.map((r) => ({
    personId: r.person_id,
    outcomeId: r.outcome_id,
    statement: r.statement,
    whyItMatters: r.why_it_matters ?? '',
    domainCodes: r.domain_codes ?? [],
    createdAt: r.created_at,
  }));
}

/** "What helped" and "what got in the way" from conversations held in the period, newest first. */
export async function conversationTexts(
  db: Kysely<DB>,
  f: CellFilter,
  limit = TEXTS_PER_KIND,
): Promise<ConversationText[]> {
  // With a domain, only conversations that rated an outcome in it are behind the figure.
  const domain =
    f.domainCode === undefined
      ? sql`true`
      : sql`exists (select 1 from outcome_rating r where r.person_id = c.person_id and r.conversation_id = c.conversation_id
          and ${inDomain(f, sql.ref('r.outcome_id'), sql.ref('r.person_id'))})`;
  const result = await sql<{
    person_id: string;
    conversation_id: string;
    held_on: string | Date;
    what_helped: string | null;
    what_got_in_the_way: string | null;
  }>`select c.person_id, c.conversation_id, c.held_on, c.what_helped, c.what_got_in_the_way
    from ${cellPeople(f)}
    join conversation c on c.person_id = p.person_id
    where c.held_on between ${f.fromDate}::date and ${f.toDate}::date
      and (coalesce(c.what_helped, '') <> '' or coalesce(c.what_got_in_the_way, '') <> '')
      and ${domain}
    order by c.held_on desc, c.conversation_id
    limit ${limit}`.execute(db);
  return result.rows.map((r) => ({
    personId: r.person_id,
    conversationId: r.conversation_id,
    heldOn: typeof r.held_on === 'string' ? r.held_on : r.held_on.toISOString().slice(0, 10),
    whatHelped: r.what_helped ?? '',
    whatGotInTheWay: r.what_got_in_the_way ?? '',
  }));
}

/** Comments given with ratings in the period, newest first. */
export async function ratingComments(
  db: Kysely<DB>,
  f: CellFilter,
  limit = TEXTS_PER_KIND,
): Promise<RatingComment[]> {
  const result = await sql<{
    person_id: string;
    outcome_id: string;
    viewpoint: string;
    note: string;
    domain_codes: string[];
  }>`select r.person_id, r.outcome_id, r.viewpoint, r.note,
      ${domainCodesOf(sql.ref('r.outcome_id'), sql.ref('r.person_id'))} as domain_codes
    from ${cellPeople(f)}
    join outcome_rating r on r.person_id = p.person_id
    where coalesce(r.note, '') <> ''
      and ${londonDate(sql.ref('r.rated_at'))} between ${f.fromDate}::date and ${f.toDate}::date
      ${f.viewpoint !== undefined ? sql`and r.viewpoint = ${f.viewpoint}` : sql``}
      and ${inDomain(f, sql.ref('r.outcome_id'), sql.ref('r.person_id'))}
    order by r.rated_at desc, r.rating_id
    limit ${limit}`.execute(db);
  return result.rows.map((r) => ({
    personId: r.person_id,
    outcomeId: r.outcome_id,
    viewpoint: r.viewpoint,
    note: r.note,
    domainCodes: r.domain_codes ?? [],
  }));
}

/**
 * The names the de-identifier must always mask for these people: their recorded names (given,
 * family, preferred), their circle's (relationship.name), and the names of the staff in their care
 * team and of everyone who took part in their conversations.
 */
export async function knownNamesOf(
  db: Kysely<DB>,
  personIds: readonly string[],
): Promise<Map<string, string[]>> {
  const names = new Map<string, string[]>();
  if (personIds.length === 0) return names;
  const ids = uuidList([...new Set(personIds)]);
  const result = await sql<{ person_id: string; name: string | null }>`
    select person_id, given_name as name from person where person_id in (${ids})
    union all select person_id, family_name from person where person_id in (${ids})
    union all select person_id, preferred_name from person where person_id in (${ids})
    union all select person_id, name from relationship where person_id in (${ids})
    union all select cm.person_id, u.display_name from care_team_member cm
      join user_account u on u.user_id = cm.user_id where cm.person_id in (${ids})
    union all select person_id, name from conversation_participant where person_id in (${ids})`.execute(db);
  for (const row of result.rows) {
    if (!row.name || row.name.trim() === '') continue;
    const list = names.get(row.person_id) ?? [];
    list.push(row.name);
    names.set(row.person_id, list);
  }
  return names;
}

/** People's recorded names, for a team manager's links to the records their team may open. */
export async function personNames(
  db: Kysely<DB>,
  personIds: readonly string[],
): Promise<{ person_id: string; given_name: string; family_name: string; preferred_name: string | null }[]> {
  if (personIds.length === 0) return [];
  return db
    .selectFrom('person')
    .select(['person_id', 'given_name', 'family_name', 'preferred_name'])
    .where('person_id', 'in', [...new Set(personIds)])
    .execute();
}

/** A feedback story behind a number: its masked words only (never the originals), answer, month, codes. */
export interface FeedbackStoryText {
  feedbackId: string;
  fft: string;
  receivedOn: string;
  maskedWhatWasGood: string;
  maskedWhatCouldBeBetter: string;
  /** The codes it counts under (feedback_code_in_use): theme ids or `theme/sub-theme`. */
  codes: string[];
}

/** Which stories of a cell: its units, months and age band, and the source's own condition. */
export interface FeedbackCellFilter {
  scope: AggregateScope;
  organisationIds?: readonly string[];
  teamIds?: readonly string[];
  fromDate: string;
  toDate: string;
  /** A writer's age band; 'unknown' for stories without one. */
  ageBand?: string;
  behind: StoriesBehind;
}

/**
 * The stories of a feedback cell, newest first, placed as the rollup places them (the service's
 * organisation, its team or the nil uuid for a whole organisation, the day received). Reads the
 * masked columns only: the original words never leave the feedback feature.
 */
export async function feedbackStories(
  db: Kysely<DB>,
  f: FeedbackCellFilter,
  limit = TEXTS_PER_KIND,
): Promise<FeedbackStoryText[]> {
  const team = sql`coalesce(s.team_id, ${NO_TEAM}::uuid)`;
  const c: RawBuilder<unknown>[] = [sql`f.received_on between ${f.fromDate}::date and ${f.toDate}::date`];
  if (f.scope.kind === 'units') {
    const orgs = f.scope.organisationIds;
    const teams = f.scope.teamIds;
    c.push(
      sql`(${orgs.length ? sql`s.organisation_id in (${uuidList(orgs)})` : sql`false`} or ${
        teams.length ? sql`${team} in (${uuidList(teams)})` : sql`false`
      })`,
    );
  }
  if (f.organisationIds) {
    c.push(
      f.organisationIds.length ? sql`s.organisation_id in (${uuidList(f.organisationIds)})` : sql`false`,
    );
  }
  if (f.teamIds) c.push(f.teamIds.length ? sql`${team} in (${uuidList(f.teamIds)})` : sql`false`);
  if (f.ageBand !== undefined) {
    c.push(f.ageBand === 'unknown' ? sql`f.age_band is null` : sql`f.age_band = ${f.ageBand}`);
  }
  const b = f.behind;
  if (b.themeId !== undefined) {
    c.push(sql`exists (select 1 from feedback_code_in_use k where k.feedback_id = f.feedback_id
      and (k.code = ${b.themeId} or k.code like ${`${b.themeId}/%`}))`);
  }
  if (b.concernsOnly) c.push(sql`f.is_concern`);
  if (b.withSentiment) c.push(sql`f.sentiment is not null`);
  if (b.replied) c.push(sql`f.seconds_to_first_response is not null`);
  if (b.safeguarding) c.push(sql`f.flagged_at is not null and f.seconds_to_first_action is not null`);
  const result = await sql<{
    feedback_id: string;
    fft: string;
    received_on: string;
    masked_what_was_good: string;
    masked_what_could_be_better: string;
    codes: string[] | null;
  }>`select f.feedback_id, f.fft, f.received_on::text as received_on,
      f.masked_what_was_good, f.masked_what_could_be_better,
      array(select k.code from feedback_code_in_use k where k.feedback_id = f.feedback_id order by k.code) as codes
    from feedback f
    join feedback_service s on s.service_key = f.service_key
    where ${and(c)}
    order by f.received_on desc, f.created_at desc, f.feedback_id
    limit ${limit}`.execute(db);
  return result.rows.map((r) => ({
    feedbackId: r.feedback_id,
    fft: r.fft,
    receivedOn: r.received_on,
    maskedWhatWasGood: r.masked_what_was_good,
    maskedWhatCouldBeBetter: r.masked_what_could_be_better,
    codes: r.codes ?? [],
  }));
}

/** An attendance that connects a person to a resource (migration 0036's rule). */
const ATTENDED: AttendanceOutcome = 'attended';

/**
 * The statements of the outcomes linked to the connections behind a community figure, newest
 * connection first, placed as the rollup places them (migrations 0036, 0038): the organisation that
 * runs the resource and the resource as its unit (units narrow by them), the month of the first attendance, or for a change the month of
 * the latest rating after it from a viewpoint that also rated at or before it.
 */
export async function connectionOutcomeTexts(
  db: Kysely<DB>,
  f: CellFilter,
  cell: ConnectionsBehind,
  limit = TEXTS_PER_KIND,
): Promise<OutcomeText[]> {
  const c: RawBuilder<unknown>[] = [sql`p.registered_as = 'person'`, ...demographicConditions(f)];
  // The resource is the unit inside its organisation, in the rollup's team column (migration 0038).
  const inUnits = (column: string, ids: readonly string[]) =>
    ids.length ? sql`${sql.ref(column)} in (${uuidList(ids)})` : sql`false`;
  if (f.scope.kind === 'units') {
    c.push(
      sql`(${inUnits('rs.organisation_id', f.scope.organisationIds)} or ${inUnits('rs.resource_id', f.scope.teamIds)})`,
    );
  }
  if (f.organisationIds) c.push(inUnits('rs.organisation_id', f.organisationIds));
  if (f.teamIds) c.push(inUnits('rs.resource_id', f.teamIds));
  if (cell.kind !== null) c.push(sql`rs.kind = ${cell.kind}`);
  const viewpoint = f.viewpoint !== undefined ? sql`and r.viewpoint = ${f.viewpoint}` : sql``;
  // A wellbeing change (migration 0037): a score at or before the first attendance, the latest after it in the period.
  const wellbeing = sql`exists (select 1 from indicator_measure_score s
    where s.person_id = c.person_id and s.instrument = ${WELLBEING_SCORE.instrument}
      and s.score_key = ${WELLBEING_SCORE.scoreKey}
    having bool_or(s.observed_on <= c.first_on)
      and max(s.observed_on) filter (where s.observed_on > c.first_on) between ${f.fromDate}::date and ${f.toDate}::date)`;
  c.push(
    cell.fact === 'connected'
      ? sql`c.first_on between ${f.fromDate}::date and ${f.toDate}::date`
      : cell.fact === 'wellbeing-change'
        ? wellbeing
        : sql`exists (select 1 from (
          select max(r.rated_on) filter (where r.rated_on > c.first_on) as last_on,
            bool_or(r.rated_on <= c.first_on) as rated_before
          from indicator_rating r
          where r.person_id = o.person_id and r.outcome_id = o.outcome_id ${viewpoint}
          group by r.viewpoint) x
        where x.rated_before and x.last_on between ${f.fromDate}::date and ${f.toDate}::date)`,
  );
  const result = await sql<{
    person_id: string;
    outcome_id: string;
    statement: string;
    why_it_matters: string | null;
    domain_codes: string[];
    created_at: Date;
  }>`select o.person_id, o.outcome_id, o.statement, o.why_it_matters, o.created_at,
      ${domainCodesOf(sql.ref('o.outcome_id'), sql.ref('o.person_id'))} as domain_codes
    from (select a.person_id, a.referral_id, min(a.attended_on) as first_on
      from community_attendance a where a.outcome = ${ATTENDED}
      group by a.person_id, a.referral_id) c
    join community_referral cr on cr.person_id = c.person_id and cr.referral_id = c.referral_id
    join community_resource rs on rs.resource_id = cr.resource_id
    join personal_outcome o on o.person_id = cr.person_id and o.outcome_id = cr.outcome_id
    join person p on p.person_id = c.person_id
    where ${and(c)}
    order by c.first_on desc, o.outcome_id
    limit ${limit}`.execute(db);
  return result.rows.map((r) => ({
    personId: r.person_id,
    outcomeId: r.outcome_id,
    statement: r.statement,
    whyItMatters: r.why_it_matters ?? '',
    domainCodes: r.domain_codes ?? [],
    createdAt: r.created_at,
  }));
}
