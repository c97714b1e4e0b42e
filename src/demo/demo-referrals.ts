import { type Kysely, sql } from 'kysely';
import {
  type AttendanceOutcome,
  DECLINE_REASONS,
  type DeclineReason,
  type ReferralKind,
  type ReferralStatus,
  type ReferredBy,
} from '../domain/community/referrals.js';
import { reviewState } from '../domain/community/staleness.js';
import { DAYS, type Need, type ResourceKind } from '../domain/community/vocabulary.js';
import { DEFAULT_FRAMEWORKS } from '../domain/outcome-frameworks.js';
import { insertRatings, type RatingRow } from '../features/outcomes/store.js';
import type { DB } from '../store/schema.js';
import { DEMO_CARE_FRAMEWORK_KEY, type DemoCare } from './demo-care.js';
import type { DemoDirectory } from './demo-directory.js';
import type { DemoPopulation } from './demo-population.js';
import { createRandom, type Random, type Weighted } from './random.js';
import { DIRECTORY_ORGANISATIONS, POPULATION_ORGANISATIONS } from './text/directory.js';
import { OUTCOME_TEMPLATES, WANT_OPENERS } from './text/outcomes.js';
import {
  ATTENDANCE_NOTES,
  DECLINE_NOTES,
  DIRECTORY_STAFF,
  END_NOTES,
  FOLLOW_UP_NOTES,
  KINDS_FOR_THEME,
  REFERRAL_REASONS,
  WITHDRAWAL_NOTES,
} from './text/referrals.js';
import type { Theme } from './text/services.js';

/**
 * Demo referrals and signposts to community resources (issue 14, part 5), with attendance and what
 * happened to the outcomes they were for. A link worker's caseload: about one in five people whose
 * outcomes a resource helps with (and always person@demo) are referred or signposted to resources
 * coded to the same outcome domains, nearer home when there is a choice, mostly by a practitioner in
 * their care team (a social prescribing link worker when they have one); a person with their own
 * sign-in refers themselves to a group that takes self-referrals. Referrals are made at or soon after
 * a conversation, before the next, and answered by staff of the resource's organisation: most
 * accepted, some declined with a reason, a few withdrawn, ended, or (when recent) still waiting.
 * Accepted referrals have weekly attendance on the resource's session day, mostly attended. A few
 * weeks after someone first went, the linked outcome is rated again, tending (not always) to be a
 * little better: what the community-support aggregates then show.
 *
 * Self-referrals are made in the person's own view, so only people with a sign-in make them (in the
 * demo, person@demo). Deterministic: each person's referrals come from a stream seeded by the demo's
 * seed and their id, so the same seed and today give the same rows.
 */

/** Share of people with a matching outcome who are on the link-worker caseload (issue: 15–25%). */
const CASELOAD_SHARE = 0.18;
/** People after person@demo who always have a referral waiting at Riverside Good Neighbours. */
const WAITING_PEOPLE = 3;
/** Where groups@demo works: it has referrals waiting, whatever the size of the demo. */
const WAITING_ORGANISATION = POPULATION_ORGANISATIONS['good-neighbours'];
/** At most this many weekly attendance records per referral (a term or two of sessions). */
const MAX_SESSIONS = 24;
const MS_PER_DAY = 86_400_000;

const day = (iso: string) => Math.round(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / MS_PER_DAY);
const isoDay = (n: number) => new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
const at = (n: number, hour: number, minute: number) =>
  `${isoDay(n)}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00.000Z`;
/** Monday 0 … Sunday 6, as DAYS. */
const weekday = (n: number) => (new Date(n * MS_PER_DAY).getUTCDay() + 6) % 7;
const outward = (postcode: string | null) => postcode?.trim().split(/\s+/)[0]?.toUpperCase() ?? null;
const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, n));

/**
 * What an outcome is about (its template's theme), read back from its words: demo-care.ts fills a
 * template's {blanks} and may open "I want to …" another way. Null for words of no template.
 */
const TEMPLATE_PATTERNS: readonly (readonly [RegExp, Theme])[] = OUTCOME_TEMPLATES.map((t) => {
  const quote = (text: string) =>
    text
      .split(/\{\w+\}/)
      .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
      .join('.+');
  const opened = t.statement.startsWith('I want to ');
  const openers = WANT_OPENERS.map(([o]) => quote(o)).join('|');
  const body = quote(opened ? t.statement.slice('I want to '.length) : t.statement);
  return [new RegExp(opened ? `^(?:${openers})${body}$` : `^${body}$`), t.theme] as const;
});
const themes = new Map<string, Theme | null>();
/** The kinds of support that suit an outcome, by what it is about; null when that is not known. */
function kindsFor(statement: string): ReadonlySet<ResourceKind> | null {
  const theme = themeOf(statement);
  return theme ? new Set(KINDS_FOR_THEME[theme]) : null;
}

export function themeOf(statement: string): Theme | null {
  let theme = themes.get(statement);
  if (theme === undefined) {
    theme = TEMPLATE_PATTERNS.find(([pattern]) => pattern.test(statement))?.[1] ?? null;
    themes.set(statement, theme);
  }
  return theme;
}

/** The top of the rating scale of the framework the demo's outcomes are coded with. */
const TOP_SCORE =
  DEFAULT_FRAMEWORKS.find((f) => f.key === DEMO_CARE_FRAMEWORK_KEY)?.ratingScale.labels.length ?? 4;

export interface DemoReferralRow {
  person_id: string;
  referral_id: string;
  resource_id: string;
  outcome_id: string | null;
  kind: ReferralKind;
  made_by: ReferredBy;
  needs: Need[];
  reason: string;
  share_consent: boolean;
  status: ReferralStatus;
  decline_reason: DeclineReason | null;
  status_note: string;
  responded_by_user_id: string | null;
  responded_at: string | null;
  created_by_user_id: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface DemoAttendanceRow {
  person_id: string;
  attendance_id: string;
  referral_id: string;
  attended_on: string;
  outcome: AttendanceOutcome;
  note: string;
  recorded_by_user_id: string;
  recorded_at: string;
}

export interface DemoReferrals {
  referrals: DemoReferralRow[];
  attendance: DemoAttendanceRow[];
  /** Ratings of the linked outcomes a few weeks after the person first went. */
  ratings: RatingRow[];
}

/** A staff member of one of the directory's own organisations (they have no staff in the population). */
export interface DemoDirectoryStaff {
  id: string;
  username: string;
  displayName: string;
  jobTitle: string;
  organisationId: string;
}

/** What the generator needs to know of a resource. */
interface ResourceFacts {
  id: string;
  organisationId: string;
  kind: ResourceKind;
  needs: readonly Need[];
  domains: ReadonlySet<string>;
  selfReferral: boolean;
  /** Open to referrals: active, listed, and accepting them. Signposts go to any listed active one. */
  referrable: boolean;
  district: string | null;
  /** Online or visiting people at home: near everyone. */
  anywhere: boolean;
  sessionDays: readonly number[];
  minAge: number | null;
  maxAge: number | null;
}

/** Everything about the demo that a person's referrals depend on, worked out once per load. */
export interface ReferralSetting {
  today: number;
  resources: readonly ResourceFacts[];
  /** Staff user ids of each organisation that runs resources. */
  staffByOrganisation: ReadonlyMap<string, readonly string[]>;
  people: ReadonlyMap<string, { index: number; district: string | null; dateOfBirth: string }>;
  /** People who sign in to their own record (person@demo): their user id. */
  accounts: ReadonlyMap<string, string>;
  /** Riverside Good Neighbours, where groups@demo works: a few referrals always wait there. */
  groupsOrganisationId: string | null;
}

/** Staff for the directory's own organisations, so someone there can answer referrals. */
export function directoryStaff(directory: DemoDirectory, seed: number | string): DemoDirectoryStaff[] {
  const random = createRandom(`${String(seed)}:directory-staff`);
  return Object.entries(DIRECTORY_STAFF).flatMap(([key, people]) => {
    const name = DIRECTORY_ORGANISATIONS[key as keyof typeof DIRECTORY_ORGANISATIONS];
    const organisation = directory.organisations.find((o) => o.name === name);
    if (!organisation) throw new Error(`Demo referrals: the directory has no organisation "${name}"`);
    return people.map(([displayName, jobTitle]) => ({
      id: random.uuid(),
      username: `${displayName.toLowerCase().replace(/[^a-z]+/g, '.')}@demo`,
      displayName,
      jobTitle,
      organisationId: organisation.id,
    }));
  });
}

export function referralSetting(
  population: DemoPopulation,
  directory: DemoDirectory,
  staff: readonly DemoDirectoryStaff[],
  today: string,
): ReferralSetting {
  const resources = directory.resources.map((r): ResourceFacts => {
    const listed = r.status !== 'closed' && reviewState(r.reviewDue, today) !== 'hidden';
    return {
      id: r.resourceId ?? '',
      organisationId: r.organisationId,
      kind: r.body.kind,
      needs: r.body.needs,
      domains: new Set(r.body.domainCodes),
      selfReferral: r.body.selfReferral,
      referrable: listed && r.body.acceptingReferrals,
      district: outward(r.body.postcode),
      anywhere: r.body.online || !r.body.postcode,
      sessionDays: [...new Set(r.body.sessions.map((s) => DAYS.indexOf(s.day)))],
      minAge: r.body.minAge,
      maxAge: r.body.maxAge,
    };
  });
  const listed = new Set(
    directory.resources
      .filter((r) => r.status !== 'closed' && reviewState(r.reviewDue, today) !== 'hidden')
      .map((r) => r.resourceId),
  );
  const staffByOrganisation = new Map<string, string[]>();
  const addStaff = (organisationId: string, userId: string) =>
    staffByOrganisation.set(organisationId, [...(staffByOrganisation.get(organisationId) ?? []), userId]);
  for (const u of population.users) {
    const orgs = new Set(
      u.roles.filter((r) => r.role !== 'person' && r.role !== 'carer').map((r) => r.organisationId),
    );
    for (const org of orgs) if (org) addStaff(org, u.id);
  }
  for (const s of staff) addStaff(s.organisationId, s.id);
  return {
    today: day(today),
    resources: resources.filter((r) => listed.has(r.id)),
    staffByOrganisation,
    people: new Map(
      population.people.map((p, index) => [
        p.personId,
        { index, district: outward(p.postcode), dateOfBirth: p.dateOfBirth },
      ]),
    ),
    accounts: new Map(
      population.users.flatMap((u) =>
        u.personId && u.roles.some((r) => r.role === 'person') ? [[u.personId, u.id] as const] : [],
      ),
    ),
    groupsOrganisationId: population.organisations.find((o) => o.name === WAITING_ORGANISATION)?.id ?? null,
  };
}

/** What one referral is to be: anything not given is drawn. */
interface Plan {
  kind: ReferralKind;
  self: boolean;
  organisationId?: string;
  status?: ReferralStatus;
  /** Made since the latest conversation, in the last fortnight. */
  recent?: boolean;
}

interface PersonFacts {
  personId: string;
  district: string | null;
  dateOfBirth: string;
  own: string | null;
  conversations: { day: number; recordedBy: string }[];
  /** `primary`: the domain the outcome was coded to first, what it is mostly about. */
  outcomes: {
    id: string;
    createdDay: number;
    active: boolean;
    primary: string;
    domains: ReadonlySet<string>;
    /** The kinds of support that fit what it is about; null: any coded to its domains. */
    kinds: ReadonlySet<ResourceKind> | null;
  }[];
  members: DemoCare['careTeamMembers'];
}

function ageOn(dateOfBirth: string, n: number): number {
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const on = new Date(n * MS_PER_DAY);
  const had = on.getUTCMonth() + 1 > m || (on.getUTCMonth() + 1 === m && on.getUTCDate() >= d);
  return on.getUTCFullYear() - y - (had ? 0 : 1);
}

/** Where a referral of this age stands: recent ones may still wait; older ones have mostly moved on. */
function drawStatus(random: Random, kind: ReferralKind, ageDays: number): ReferralStatus {
  if (kind === 'signpost') return 'signposted';
  const weights: Weighted<ReferralStatus> =
    ageDays <= 14
      ? [
          ['sent', 45],
          ['accepted', 42],
          ['declined', 9],
          ['withdrawn', 4],
        ]
      : ageDays <= 120
        ? [
            ['sent', ageDays <= 28 ? 6 : 0],
            ['accepted', 60],
            ['ended', 10],
            ['declined', 16],
            ['withdrawn', 8],
          ]
        : [
            ['accepted', 25],
            ['ended', 48],
            ['declined', 17],
            ['withdrawn', 10],
          ];
  return random.weighted(weights);
}

/** Why organisations decline: most often no places, or nobody could reach the person. */
const DECLINE_SHARES: Record<DeclineReason, number> = {
  'no-capacity': 30,
  'could-not-contact': 25,
  'person-declined': 20,
  'not-eligible': 8,
  'needs-not-met': 10,
  other: 7,
};
const DECLINE_WEIGHTS: Weighted<DeclineReason> = DECLINE_REASONS.map((r) => [r, DECLINE_SHARES[r]]);

/** The referrals, attendance and follow-up ratings of the people in `care`. */
export function demoReferrals(
  care: DemoCare,
  setting: ReferralSetting,
  seed: number | string,
): DemoReferrals {
  const out: DemoReferrals = { referrals: [], attendance: [], ratings: [] };
  const ratings = new Map<string, RatingRow[]>();
  for (const r of care.ratings) {
    const list = ratings.get(r.outcomeId);
    if (list) list.push(r);
    else ratings.set(r.outcomeId, [r]);
  }
  for (const person of peopleOf(care, setting)) {
    const random = createRandom(`demo-referrals:${String(seed)}:${person.personId}`);
    const index = setting.people.get(person.personId)?.index ?? Number.POSITIVE_INFINITY;
    const waiting = index >= 1 && index <= WAITING_PEOPLE && setting.groupsOrganisationId !== null;
    const onCaseload = random.chance(CASELOAD_SHARE);
    if (!matching(person, setting, { kind: 'signpost', self: false }, 0).length) continue;
    let plans: Plan[];
    if (person.own) {
      // person@demo's story: support from Riverside Good Neighbours through their care team, a group
      // they found and referred themselves to (both taken up), and a signpost.
      plans = [
        {
          kind: 'referral',
          self: false,
          organisationId: setting.groupsOrganisationId ?? undefined,
          status: 'accepted',
        },
        { kind: 'referral', self: true, status: 'accepted' },
        { kind: 'signpost', self: false },
      ];
    } else if (waiting || onCaseload) {
      const count = random.weighted<number>([
        [1, 60],
        [2, 30],
        [3, 10],
      ]);
      plans = Array.from({ length: count }, () => ({
        kind: random.chance(0.25) ? 'signpost' : 'referral',
        self: false,
      }));
      if (waiting) {
        plans[0] = {
          kind: 'referral',
          self: false,
          organisationId: setting.groupsOrganisationId ?? undefined,
          status: 'sent',
          recent: true,
        };
      }
    } else continue;
    const used = new Set<string>();
    const followedUp = new Set<string>();
    for (const plan of plans) makeReferral(random, setting, person, plan, used, followedUp, ratings, out);
  }
  return out;
}

function peopleOf(care: DemoCare, setting: ReferralSetting): PersonFacts[] {
  const byPerson = new Map<string, PersonFacts>();
  const get = (personId: string) => {
    let p = byPerson.get(personId);
    if (!p) {
      const info = setting.people.get(personId);
      p = {
        personId,
        district: info?.district ?? null,
        dateOfBirth: info?.dateOfBirth ?? '1950-01-01',
        own: setting.accounts.get(personId) ?? null,
        conversations: [],
        outcomes: [],
        members: [],
      };
      byPerson.set(personId, p);
    }
    return p;
  };
  for (const c of care.conversations)
    get(c.personId).conversations.push({ day: day(c.heldOn), recordedBy: c.recordedByUserId });
  const domains = new Map<string, Set<string>>();
  const primary = new Map<string, string>();
  for (const d of care.outcomeDomains) {
    if (!primary.has(d.outcomeId)) primary.set(d.outcomeId, d.domainCode);
    const set = domains.get(d.outcomeId) ?? new Set<string>();
    set.add(d.domainCode);
    domains.set(d.outcomeId, set);
  }
  for (const o of care.outcomes) {
    if (o.status === 'no-longer-relevant') continue;
    get(o.personId).outcomes.push({
      id: o.outcomeId,
      createdDay: day(o.createdAt),
      active: o.status === 'active',
      primary: primary.get(o.outcomeId) ?? '',
      kinds: kindsFor(o.statement),
      domains: domains.get(o.outcomeId) ?? new Set(),
    });
  }
  for (const m of care.careTeamMembers) byPerson.get(m.personId)?.members.push(m);
  const people = [...byPerson.values()].filter((p) => p.conversations.length && p.outcomes.length);
  for (const p of people) p.conversations.sort((a, b) => a.day - b.day);
  return people;
}

/** Resources this plan may go to, each with the person's outcomes it helps with. */
function matching(person: PersonFacts, setting: ReferralSetting, plan: Plan, ageDay: number) {
  return setting.resources.flatMap((r) => {
    if (plan.kind === 'referral' && !r.referrable) return [];
    if (plan.self && !r.selfReferral) return [];
    if (plan.organisationId && r.organisationId !== plan.organisationId) return [];
    if (ageDay) {
      const age = ageOn(person.dateOfBirth, ageDay);
      if ((r.minAge !== null && age < r.minAge) || (r.maxAge !== null && age > r.maxAge)) return [];
    }
    const outcomes = person.outcomes.filter(
      (o) => [...o.domains].some((d) => r.domains.has(d)) && (o.kinds === null || o.kinds.has(r.kind)),
    );
    return outcomes.length ? [{ resource: r, outcomes }] : [];
  });
}

function makeReferral(
  random: Random,
  setting: ReferralSetting,
  person: PersonFacts,
  plan: Plan,
  used: Set<string>,
  followedUp: Set<string>,
  ratings: ReadonlyMap<string, readonly RatingRow[]>,
  out: DemoReferrals,
): void {
  const today = setting.today;
  const latest = person.conversations[person.conversations.length - 1]?.day ?? today;
  const options = matching(person, setting, plan, today).filter((m) => !used.has(m.resource.id));
  if (!options.length) return;
  // Nearer home when there is a choice: the same postcode district, online, or coming to the door.
  const near = (r: ResourceFacts) => r.anywhere || (r.district !== null && r.district === person.district);
  // And for what an outcome is mostly about (its first domain), more than for what it touches on.
  const about = (r: ResourceFacts, o: PersonFacts['outcomes'][number]) => r.domains.has(o.primary);
  const choice = random.weighted(
    options.map(
      (m) =>
        [m, (near(m.resource) ? 3 : 1) * (m.outcomes.some((o) => about(m.resource, o)) ? 4 : 1)] as const,
    ),
  );
  const resource = choice.resource;
  const outcome = random.weighted(
    choice.outcomes.map((o) => [o, (about(resource, o) ? 4 : 1) * (o.active ? 2 : 1)] as const),
  );

  // When: at or soon after a conversation where the outcome was known, before the next one.
  let made: number;
  let conversationIndex: number;
  if (plan.recent) {
    const from = Math.max(latest + 1, today - 14);
    if (from > today - 1) return;
    made = random.int(from, today - 1);
    conversationIndex = person.conversations.length - 1;
  } else {
    const held = person.conversations
      .map((c, k) => ({ ...c, k }))
      .filter((c) => c.day >= outcome.createdDay && c.day < today);
    if (!held.length) return;
    const c = random.pick(held);
    const next = person.conversations[c.k + 1]?.day ?? today;
    const last = Math.min(next - 1, c.day + 14, today - 1);
    if (last < c.day) return;
    made = random.int(c.day, last);
    conversationIndex = c.k;
  }
  used.add(resource.id);

  const referrer =
    plan.self && person.own
      ? person.own
      : referringPractitioner(random, person, made, conversationIndex, resource.organisationId);
  const kind = plan.kind;
  let status = plan.status ?? drawStatus(random, kind, today - made);
  const staff = setting.staffByOrganisation.get(resource.organisationId) ?? [];
  const responder = staff.length ? random.pick(staff) : null;
  // Without anyone at the organisation to answer, a referral is still waiting.
  if (kind === 'referral' && responder === null) status = 'sent';
  const needs = [...resource.needs].filter(() => random.chance(0.6)).slice(0, 2);
  const referralId = random.uuid();
  const createdAt = at(made, random.int(9, 16), random.pick([0, 15, 30, 45]));
  const row: DemoReferralRow = {
    person_id: person.personId,
    referral_id: referralId,
    resource_id: resource.id,
    outcome_id: random.chance(0.9) ? outcome.id : null,
    kind,
    made_by: plan.self ? 'person' : 'practitioner',
    needs: needs.length ? needs : resource.needs.slice(0, 1),
    reason: random.pick(REFERRAL_REASONS[resource.kind]),
    // A referral passes the person's details on, so it needs their agreement; a signpost passes nothing.
    share_consent: kind === 'referral',
    status,
    decline_reason: null,
    status_note: '',
    responded_by_user_id: null,
    responded_at: null,
    created_by_user_id: referrer,
    created_at: createdAt,
    updated_at: createdAt,
    version: 1,
  };
  out.referrals.push(row);

  const responded = Math.min(today - 1, made + random.int(1, 7));
  const respond = (s: ReferralStatus) => {
    row.status = s;
    row.responded_by_user_id = responder;
    // Made yesterday and answered the same day: later that day.
    row.responded_at = at(
      responded,
      responded === made ? 17 : random.int(9, 16),
      random.pick([5, 20, 35, 50]),
    );
    row.updated_at = row.responded_at;
    row.version = 2;
  };
  if (status === 'declined') {
    const reason = random.weighted(DECLINE_WEIGHTS);
    respond('declined');
    row.decline_reason = reason;
    row.status_note = random.pick(DECLINE_NOTES[reason]);
    return;
  }
  if (status === 'withdrawn') {
    // Withdrawn by the referrer while it waited (the store records whoever moved it on last).
    const on = Math.min(today - 1, made + random.int(2, 20));
    row.status_note = random.pick(WITHDRAWAL_NOTES);
    row.responded_by_user_id = referrer;
    row.responded_at = at(on, on === made ? 17 : random.int(9, 16), 10);
    row.updated_at = row.responded_at;
    row.version = 2;
    return;
  }
  if (status === 'sent') return;

  // Attendance: weekly on the session day the person goes to, from their first session.
  const sessionDay = resource.sessionDays.length ? random.pick(resource.sessionDays) : random.int(0, 4);
  const startFrom = (kind === 'referral' ? responded : made) + random.int(1, 10);
  const first = startFrom + ((sessionDay - weekday(startFrom) + 7) % 7);
  const available = first > today - 1 ? 0 : Math.floor((today - 1 - first) / 7) + 1;
  let sessions: number;
  if (kind === 'signpost') {
    // Whether they went is only known when the person or their care team said so.
    sessions = random.chance(0.45) ? Math.min(available, random.int(1, 8)) : 0;
  } else if (status === 'ended') {
    sessions = Math.min(available, random.int(2, 14));
    if (sessions === 0) status = 'accepted';
  } else sessions = Math.min(available, MAX_SESSIONS);
  if (kind === 'referral') respond(status === 'ended' ? 'accepted' : status);

  // A group's staff take the register; for a signpost, the person or their care team say they went.
  const recorder = () => (kind === 'referral' && staff.length ? random.pick(staff) : referrer);
  let firstAttended: number | null = null;
  let attended = 0;
  for (let w = 0; w < sessions; w++) {
    const on = first + 7 * w;
    const outcomeOfSession: AttendanceOutcome = random.chance(w === 0 ? 0.85 : 0.8)
      ? 'attended'
      : 'did-not-attend';
    if (outcomeOfSession === 'attended') {
      attended++;
      firstAttended ??= on;
    }
    out.attendance.push({
      person_id: person.personId,
      attendance_id: random.uuid(),
      referral_id: referralId,
      attended_on: isoDay(on),
      outcome: outcomeOfSession,
      note: random.chance(0.15) ? random.pick(ATTENDANCE_NOTES[outcomeOfSession]) : '',
      recorded_by_user_id: recorder(),
      recorded_at: at(on, random.int(16, 19), random.pick([0, 10, 25, 40])),
    });
  }
  if (status === 'ended' && sessions > 0) {
    const end = Math.min(today - 1, first + 7 * (sessions - 1) + random.int(0, 10));
    row.status = 'ended';
    row.status_note = attended >= 3 ? random.pick(END_NOTES.slice(0, 3)) : (END_NOTES[3] ?? '');
    // Ended by the organisation, as the last to move it on.
    row.responded_by_user_id = staff.length ? random.pick(staff) : row.responded_by_user_id;
    row.responded_at = at(end, random.int(9, 16), 45);
    row.updated_at = row.responded_at;
    row.version = 3;
  }

  if (firstAttended !== null && row.outcome_id && !followedUp.has(row.outcome_id)) {
    followedUp.add(row.outcome_id);
    followUpRatings(random, setting, person, row, firstAttended, ratings, out);
  }
}

/**
 * Who made a referral: a social prescribing link worker in the care team when there is one by then,
 * else the key worker, else whoever recorded the conversation it came from; someone from another
 * organisation than the resource's when there is a choice (a group's own staff need no referral).
 */
function referringPractitioner(
  random: Random,
  person: PersonFacts,
  made: number,
  conversationIndex: number,
  resourceOrganisationId: string,
): string {
  const present = person.members.filter((m) => m.userId && day(m.startDate) <= made && !m.endDate);
  const elsewhere = present.filter((m) => m.organisationId !== resourceOrganisationId);
  const named = elsewhere.length ? elsewhere : present;
  const link = named.filter((m) => m.supportKind === 'social-prescribing');
  const key = named.filter((m) => m.isKeyWorker);
  const pool = link.length ? link : key;
  return pool.length
    ? (random.pick(pool).userId as string)
    : (person.conversations[conversationIndex]?.recordedBy ?? person.conversations[0]?.recordedBy ?? '');
}

/**
 * A few weeks after the first session, the outcome is rated again from the person's point of view
 * (and often the practitioner's): one point better about half the time, the same or (now and then)
 * worse otherwise, never off the framework's scale. Ratings by people without a sign-in are recorded
 * by the practitioner who asked them, as at conversations.
 */
function followUpRatings(
  random: Random,
  setting: ReferralSetting,
  person: PersonFacts,
  row: DemoReferralRow,
  firstAttended: number,
  ratings: ReadonlyMap<string, readonly RatingRow[]>,
  out: DemoReferrals,
): void {
  const on = firstAttended + random.int(21, 56);
  if (on > setting.today - 1) return;
  const baseline = (viewpoint: 'person' | 'practitioner') =>
    (ratings.get(row.outcome_id ?? '') ?? [])
      .filter((r) => r.viewpoint === viewpoint && day(String(r.ratedAt)) <= firstAttended)
      .sort((a, b) => String(a.ratedAt).localeCompare(String(b.ratedAt)))
      .pop()?.score;
  const personBefore = baseline('person');
  if (personBefore === undefined || !row.outcome_id) return;
  // At the top of the scale there is no better: mostly staying there.
  const change =
    personBefore >= TOP_SCORE
      ? random.weighted<number>([
          [0, 90],
          [-1, 10],
        ])
      : random.weighted<number>([
          [1, 55],
          [0, 35],
          [-1, 10],
        ]);
  const direction = change > 0 ? 'better' : change < 0 ? 'worse' : 'same';
  const practitioner = row.made_by === 'practitioner' ? row.created_by_user_id : null;
  const rate = (viewpoint: 'person' | 'practitioner', before: number, by: string, minute: number) =>
    out.ratings.push({
      personId: person.personId,
      ratingId: random.uuid(),
      outcomeId: row.outcome_id as string,
      viewpoint,
      score: clamp(before + change, 1, TOP_SCORE),
      note: viewpoint === 'person' && random.chance(0.4) ? random.pick(FOLLOW_UP_NOTES[direction]) : '',
      conversationId: null,
      ratedByUserId: by,
      ratedAt: at(on, 11, minute),
    });
  const by = person.own ?? practitioner;
  if (!by) return;
  rate('person', personBefore, by, 0);
  const practitionerBefore = baseline('practitioner');
  if (practitioner && practitionerBefore !== undefined && random.chance(0.5))
    rate('practitioner', practitionerBefore, practitioner, 5);
}

/** Writes the directory organisations' staff: they answer referrals, but do not sign in. */
export async function writeDirectoryStaff(
  trx: Kysely<DB>,
  staff: readonly DemoDirectoryStaff[],
): Promise<void> {
  if (!staff.length) return;
  await trx
    .insertInto('user_account')
    .values(
      staff.map((s) => ({
        user_id: s.id,
        username: s.username,
        display_name: s.displayName,
        job_title: s.jobTitle,
        person_id: null,
        password_hash: null,
      })),
    )
    .execute();
  const ids = createRandom(`directory-staff-roles:${staff[0]?.id ?? ''}`);
  await trx
    .insertInto('user_role')
    .values(
      staff.map((s) => ({
        user_role_id: ids.uuid(),
        user_id: s.id,
        role: 'practitioner',
        organisation_id: s.organisationId,
        team_id: null,
      })),
    )
    .execute();
}

/** Writes the referrals, attendance and follow-up ratings of the people in `care`, in batches. */
export async function writeDemoReferrals(
  trx: Kysely<DB>,
  care: DemoCare,
  setting: ReferralSetting,
  seed: number | string,
  insertInBatches: <T>(rows: T[], insert: (batch: T[]) => Promise<unknown>) => Promise<void>,
): Promise<void> {
  const { referrals, attendance, ratings } = demoReferrals(care, setting, seed);
  await insertInBatches(referrals, (batch) =>
    trx
      .insertInto('community_referral')
      .values(batch.map((r) => ({ ...r, needs: sql<string[]>`${sql.val([...r.needs])}::text[]` })))
      .execute(),
  );
  await insertInBatches(attendance, (batch) =>
    trx.insertInto('community_attendance').values(batch).execute(),
  );
  // The same write as a rating recorded in the app: the outcomes feature's store.
  await insertInBatches(ratings, (batch) => insertRatings(trx, batch));
}
