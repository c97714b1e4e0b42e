import { describe, expect, it } from 'vitest';
import { carePlanProblems } from '../domain/care-plan.js';
import { CARE_TEAM_SUPPORT_KINDS } from '../domain/care-team.js';
import { isGasBaseline, isGasLevel } from '../domain/gas.js';
import { TALKING_POINTS_FRAMEWORK } from '../domain/outcome-frameworks.js';
import { reviewStatus } from '../domain/review-status.js';
import { DEMO_CARE_FRAMEWORK_KEY, type DemoCare, demoCareGenerator, generateDemoCare } from './demo-care.js';
import { type DemoPopulation, generateDemoPopulation } from './demo-population.js';

const TODAY = '2026-11-23';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const DAY_MS = 86_400_000;

const population = generateDemoPopulation({ people: 500, seed: 'whatmatters', today: TODAY });
const care = generateDemoCare(population, { seed: 'whatmatters', today: TODAY });

const user = (pop: DemoPopulation, username: string) => {
  const found = pop.users.find((u) => u.username === username);
  if (!found) throw new Error(`no ${username}`);
  return found;
};
const practitioner = user(population, 'practitioner@demo');
const personUser = user(population, 'person@demo');
const carerUser = user(population, 'carer@demo');
const demoPersonId = personUser.personId ?? '';
const practitionerTeamId = practitioner.roles[0]?.teamId ?? '';

const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / DAY_MS;
const byPerson = <T extends { personId: string }>(rows: readonly T[]) => {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(row.personId);
    if (list) list.push(row);
    else map.set(row.personId, [row]);
  }
  return map;
};
const conversationsByPerson = byPerson(care.conversations);
const membersByPerson = byPerson(care.careTeamMembers);

/** The review status a caseload would show: from the latest conversation. */
function latestNextReview(personId: string): string | null {
  const list = conversationsByPerson.get(personId) ?? [];
  return [...list].sort((a, b) => a.heldOn.localeCompare(b.heldOn)).at(-1)?.nextReviewDate ?? null;
}

describe('generateDemoCare: determinism and speed', () => {
  it('gives deeply equal records for the same population, seed and date', () => {
    const pop = generateDemoPopulation({ people: 120, seed: 'same' });
    expect(generateDemoCare(pop, { seed: 'same', today: TODAY })).toEqual(
      generateDemoCare(pop, { seed: 'same', today: TODAY }),
    );
  });

  it('defaults today to the demo date', () => {
    const pop = generateDemoPopulation({ people: 30, seed: 3 });
    expect(generateDemoCare(pop, { seed: 3 })).toEqual(generateDemoCare(pop, { seed: 3, today: TODAY }));
  });

  it('gives different records for a different seed, with no shared ids', () => {
    const pop = generateDemoPopulation({ people: 40, seed: 'one' });
    const a = generateDemoCare(pop, { seed: 'one' });
    const b = generateDemoCare(pop, { seed: 'two' });
    expect(a.outcomes.map((o) => o.statement)).not.toEqual(b.outcomes.map((o) => o.statement));
    const ids = new Set(a.conversations.map((c) => c.conversationId));
    expect(b.conversations.some((c) => ids.has(c.conversationId))).toBe(false);
  });

  it("keeps each person's outcomes when the population grows", () => {
    const few = generateDemoPopulation({ people: 20, seed: 'grow' });
    const many = generateDemoPopulation({ people: 80, seed: 'grow' });
    const a = generateDemoCare(few, { seed: 'grow' });
    const b = generateDemoCare(many, { seed: 'grow' });
    const firstTwenty = new Set(few.people.map((p) => p.personId));
    expect(b.outcomes.filter((o) => firstTwenty.has(o.personId))).toEqual(a.outcomes);
    expect(b.ratings.filter((r) => firstTwenty.has(r.personId))).toEqual(a.ratings);
  });

  it('gives the same records when generated a slice of people at a time', () => {
    const pop = generateDemoPopulation({ people: 90, seed: 'slices' });
    const whole = generateDemoCare(pop, { seed: 'slices' });
    const generator = demoCareGenerator(pop, { seed: 'slices' });
    const slices = [generator.forPeople(0, 40), generator.forPeople(40, 80), generator.forPeople(80, 200)];
    for (const key of Object.keys(whole) as (keyof DemoCare)[]) {
      expect(slices.flatMap((slice) => slice[key] as unknown[])).toEqual(whole[key]);
    }
  });

  it('copes with tiny and empty populations', () => {
    const empty = generateDemoCare(generateDemoPopulation({ people: 0, seed: 1 }), { seed: 1 });
    expect(Object.values(empty).every((rows) => rows.length === 0)).toBe(true);
    const one = generateDemoCare(generateDemoPopulation({ people: 1, seed: 1 }), { seed: 1 });
    expect(one.planVersions.length).toBeGreaterThan(0);
    expect(one.relationships.some((r) => r.carerUserId !== null)).toBe(true);
  });

  it('rejects a date that is not a real date', () => {
    const pop = generateDemoPopulation({ people: 1, seed: 1 });
    expect(() => generateDemoCare(pop, { seed: 1, today: '2026-02-30' })).toThrow(RangeError);
  });

  // How fast it runs is measured by `npm run bench`, not asserted here: a busy machine is no bug.
  it('generates records for 1,000 people, each belonging to someone in the population', () => {
    const pop = generateDemoPopulation({ people: 1_000, seed: 'large' });
    const care = generateDemoCare(pop, { seed: 'large' });
    const ids = new Set(pop.people.map((p) => p.personId));
    expect(care.outcomes.length).toBeGreaterThan(1_000);
    expect(care.outcomes.every((o) => ids.has(o.personId))).toBe(true);
  });
});

describe('generateDemoCare: who has records', () => {
  const withCare = new Set(care.careTeamMembers.map((m) => m.personId));

  it('gives records to a good share of people, always the first 60 and person@demo', () => {
    for (const person of population.people.slice(0, 60)) expect(withCare.has(person.personId)).toBe(true);
    expect(withCare.has(demoPersonId)).toBe(true);
    expect(withCare.size / population.people.length).toBeGreaterThan(0.8);
    expect(withCare.size / population.people.length).toBeLessThan(0.95);
  });

  it('only refers to people in the population', () => {
    const ids = new Set(population.people.map((p) => p.personId));
    for (const rows of Object.values(care) as DemoCare[keyof DemoCare][]) {
      for (const row of rows) expect(ids.has(row.personId)).toBe(true);
    }
  });

  it('uses unique v4 ids', () => {
    const ids = [
      ...care.careTeamMembers.map((r) => r.memberId),
      ...care.relationships.map((r) => r.relationshipId),
      ...care.conversations.map((r) => r.conversationId),
      ...care.conversationParticipants.map((r) => r.participantId),
      ...care.outcomes.map((r) => r.outcomeId),
      ...care.ratings.map((r) => r.ratingId),
      ...care.gasGoals.map((r) => r.goalId),
      ...care.gasAttainments.map((r) => r.attainmentId),
      ...care.planComments.map((r) => r.commentId),
      ...care.planVersions.flatMap((v) => v.content.goals.map((g) => `${v.personId}/${v.version}/${g.id}`)),
    ];
    for (const id of ids.filter((i) => !i.includes('/'))) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('generateDemoCare: care teams across agencies', () => {
  const teams = new Map(population.teams.map((t) => [t.id, t]));
  const practitionersOfTeam = (teamId: string) =>
    new Set(
      population.users
        .filter((u) => u.roles.some((r) => r.role === 'practitioner' && r.teamId === teamId))
        .map((u) => u.id),
    );

  it('has 1 to 4 members from different organisations, exactly one key worker', () => {
    for (const [, members] of membersByPerson) {
      expect(members.length).toBeGreaterThanOrEqual(1);
      expect(members.length).toBeLessThanOrEqual(4);
      expect(new Set(members.map((m) => m.organisationId)).size).toBe(members.length);
      expect(members.filter((m) => m.isKeyWorker)).toHaveLength(1);
    }
  });

  it('uses teams of the named organisation, practitioners of the named team, and known support kinds', () => {
    for (const member of care.careTeamMembers) {
      expect(teams.get(member.teamId ?? '')?.organisationId).toBe(member.organisationId);
      if (member.userId) expect(practitionersOfTeam(member.teamId ?? '').has(member.userId)).toBe(true);
      expect(CARE_TEAM_SUPPORT_KINDS).toContain(member.supportKind);
      expect(member.roleDescription.length).toBeGreaterThan(5);
      expect(member.startDate < TODAY).toBe(true);
    }
  });

  it('spans the NHS, the council, housing and the voluntary sector', () => {
    const kinds = new Set(care.careTeamMembers.map((m) => m.supportKind));
    for (const kind of [
      'nhs',
      'social-care',
      'housing',
      'voluntary-community',
      'social-prescribing',
      'peer-support',
    ])
      expect(kinds).toContain(kind);
  });

  it("gives practitioner@demo's team a caseload of 15-40% of people, person@demo among them", () => {
    const caseload = new Set(
      care.careTeamMembers.filter((m) => m.teamId === practitionerTeamId).map((m) => m.personId),
    );
    expect(caseload.has(demoPersonId)).toBe(true);
    expect(caseload.size / population.people.length).toBeGreaterThan(0.15);
    expect(caseload.size / population.people.length).toBeLessThan(0.4);
    const demoMember = membersByPerson.get(demoPersonId)?.find((m) => m.teamId === practitionerTeamId);
    expect(demoMember).toMatchObject({ userId: practitioner.id, isKeyWorker: true });
  });
});

describe('generateDemoCare: circles and carers', () => {
  it('links carer@demo as carer of person@demo, allowed to view and contribute', () => {
    const links = care.relationships.filter((r) => r.carerUserId === carerUser.id);
    expect(links).toEqual([
      expect.objectContaining({
        personId: demoPersonId,
        name: carerUser.displayName,
        isCarer: true,
        mayView: true,
        mayContribute: true,
      }),
    ]);
  });

  it('has family, friends and neighbours, some of them carers, and no other accounts', () => {
    const types = new Set(care.relationships.map((r) => r.relationshipType));
    for (const type of ['daughter', 'son', 'neighbour', 'friend']) expect(types).toContain(type);
    const carers = care.relationships.filter((r) => r.isCarer);
    expect(carers.length).toBeGreaterThan(50);
    for (const r of care.relationships) {
      if (r.carerUserId === null) expect(r.mayView || r.mayContribute).toBe(false);
      expect(r.name).toMatch(/^\S.*\S$/);
      if (r.contact) expect(r.contact).toMatch(/^07700 900\d{3}$/);
    }
    // At most one carer per person is recorded as the carer.
    for (const [, rows] of byPerson(carers)) expect(rows).toHaveLength(1);
  });
});

describe('generateDemoCare: conversations', () => {
  it('starts with a first conversation, then reviews 6 to 16 weeks apart, all in the past', () => {
    for (const [, list] of conversationsByPerson) {
      const sorted = [...list].sort((a, b) => a.heldOn.localeCompare(b.heldOn));
      expect(sorted.map((c) => c.kind)).toEqual(['first', ...sorted.slice(1).map(() => 'review')]);
      // Up to eight reviews, so the dashboards have two years of history (was four).
      expect(sorted.length).toBeLessThanOrEqual(9);
      sorted.forEach((c, i) => {
        expect(c.heldOn < TODAY).toBe(true);
        expect(c.recordedAt.slice(0, 10)).toBe(c.heldOn);
        expect(c.nextReviewDate && c.nextReviewDate > c.heldOn).toBe(true);
        const next = sorted[i + 1];
        // Weekends move meetings to the Friday before, so allow a couple of days either way.
        if (next) expect(days(c.heldOn, next.heldOn)).toBeGreaterThanOrEqual(40);
        if (next) expect(days(c.heldOn, next.heldOn)).toBeLessThanOrEqual(114);
        expect(c.summary.length).toBeGreaterThan(40);
        if (c.kind === 'review') expect(c.whatHelped.length).toBeGreaterThan(0);
      });
    }
  });

  it('reaches back at least 18 months, with conversations in every one of them', () => {
    const months = new Set(care.conversations.map((c) => c.heldOn.slice(0, 7)));
    const to = Number(TODAY.slice(0, 4)) * 12 + Number(TODAY.slice(5, 7)) - 1;
    for (let m = to - 18; m < to; m++) {
      const month = `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
      expect(months.has(month), month).toBe(true);
    }
  });

  it('makes about one caseload in five overdue, with some due soon and some scheduled', () => {
    const statuses = [...conversationsByPerson.keys()].map((id) => reviewStatus(latestNextReview(id), TODAY));
    const share = (s: string) => statuses.filter((x) => x === s).length / statuses.length;
    expect(share('overdue')).toBeGreaterThan(0.12);
    expect(share('overdue')).toBeLessThan(0.3);
    expect(share('due-soon')).toBeGreaterThan(0.05);
    expect(share('scheduled')).toBeGreaterThan(0.4);
    expect(reviewStatus(latestNextReview(demoPersonId), TODAY)).toBe('due-soon');
  });

  it('records who took part: the person, sometimes a carer, and practitioners of the care team', () => {
    const participants = byPerson(care.conversationParticipants);
    const organisations = new Set(population.organisations.map((o) => o.id));
    let withCarer = 0;
    for (const c of care.conversations) {
      const here = (participants.get(c.personId) ?? []).filter((p) => p.conversationId === c.conversationId);
      expect(here.filter((p) => p.kind === 'person')).toHaveLength(1);
      const practitioners = here.filter((p) => p.kind === 'practitioner');
      expect(practitioners.length).toBeGreaterThanOrEqual(1);
      expect(practitioners.length).toBeLessThanOrEqual(2);
      expect(practitioners.map((p) => p.userId)).toContain(c.recordedByUserId);
      for (const p of practitioners) {
        expect(p.role.length).toBeGreaterThan(0);
        expect(organisations.has(p.organisationId ?? '')).toBe(true);
      }
      if (here.some((p) => p.kind === 'carer')) withCarer++;
    }
    expect(withCarer).toBeGreaterThan(care.conversations.length * 0.1);
  });

  it('is recorded by practitioners of the care team', () => {
    for (const c of care.conversations) {
      const teamsOfPerson = new Set((membersByPerson.get(c.personId) ?? []).map((m) => m.teamId));
      const recorder = population.users.find((u) => u.id === c.recordedByUserId);
      const inTeam = recorder?.roles.some((r) => r.role === 'practitioner' && teamsOfPerson.has(r.teamId));
      expect(inTeam || c.recordedByUserId === practitioner.id).toBe(true);
    }
  });
});

describe('generateDemoCare: personal outcomes and ratings', () => {
  const talkingPointsCodes = TALKING_POINTS_FRAMEWORK.domains.map((d) => d.code);
  const outcomesByPerson = byPerson(care.outcomes);

  it("gives 1 to 4 outcomes in the person's own words, with why they matter", () => {
    for (const [, list] of outcomesByPerson) {
      expect(list.length).toBeGreaterThanOrEqual(1);
      expect(list.length).toBeLessThanOrEqual(4);
    }
    for (const o of care.outcomes) {
      expect(o.statement).toMatch(/^(I|I'd|What I|When I)\b/);
      expect(o.whyItMatters).toMatch(/\b(I|I'm|I've|I'd|me|my|My|we|We|our)\b/);
      expect(o.importance).toBeGreaterThanOrEqual(1);
      expect(o.importance).toBeLessThanOrEqual(10);
      expect(o.frameworkKey).toBe(DEMO_CARE_FRAMEWORK_KEY);
    }
    expect(new Set(care.outcomes.map((o) => o.statement)).size).toBeGreaterThanOrEqual(60);
  });

  it('codes every outcome to 1 or 2 Talking Points domains, and uses every domain', () => {
    const domainsByOutcome = new Map<string, string[]>();
    for (const d of care.outcomeDomains) {
      expect(talkingPointsCodes).toContain(d.domainCode);
      domainsByOutcome.set(d.outcomeId, [...(domainsByOutcome.get(d.outcomeId) ?? []), d.domainCode]);
    }
    for (const o of care.outcomes) {
      const codes = domainsByOutcome.get(o.outcomeId) ?? [];
      expect(codes.length).toBeGreaterThanOrEqual(1);
      expect(codes.length).toBeLessThanOrEqual(2);
    }
    expect(new Set(care.outcomeDomains.map((d) => d.domainCode))).toEqual(new Set(talkingPointsCodes));
  });

  it('creates outcomes at the first conversation; only person@demo adds one of their own', () => {
    const conversations = new Map(care.conversations.map((c) => [c.conversationId, c]));
    for (const o of care.outcomes) {
      if (o.addedBy === 'person') {
        expect(o.personId).toBe(demoPersonId);
        expect(o.createdByUserId).toBe(personUser.id);
        expect(o.conversationId).toBeNull();
        continue;
      }
      const c = conversations.get(o.conversationId ?? '');
      expect(c?.kind).toBe('first');
      expect(o.createdAt.slice(0, 10)).toBe(c?.heldOn);
      expect(o.createdByUserId).toBe(c?.recordedByUserId);
    }
  });

  it('rates on the 1-4 scale from the person, the practitioner and carers, at the conversation date', () => {
    const conversations = new Map(care.conversations.map((c) => [c.conversationId, c]));
    const scale = TALKING_POINTS_FRAMEWORK.ratingScale.labels.length;
    for (const r of care.ratings) {
      expect(Number.isInteger(r.score)).toBe(true);
      expect(r.score).toBeGreaterThanOrEqual(1);
      expect(r.score).toBeLessThanOrEqual(scale);
      expect(r.ratedAt < TODAY).toBe(true);
      if (r.conversationId) expect(r.ratedAt.slice(0, 10)).toBe(conversations.get(r.conversationId)?.heldOn);
      if (r.ratedByUserId === personUser.id || (r.viewpoint === 'person' && r.personId === demoPersonId))
        expect(r.personId).toBe(demoPersonId);
    }
    const viewpoints = new Set(care.ratings.map((r) => r.viewpoint));
    expect(viewpoints).toEqual(new Set(['person', 'practitioner', 'carer']));
  });

  it('mostly improves over reviews, not always, and viewpoints sometimes disagree', () => {
    let better = 0;
    let worse = 0;
    for (const o of care.outcomes) {
      const own = care.ratings.filter((r) => r.outcomeId === o.outcomeId && r.viewpoint === 'person');
      const first = own[0];
      const last = own.at(-1);
      if (!first || !last || own.length < 2) continue;
      if (last.score > first.score) better++;
      if (last.score < first.score) worse++;
    }
    expect(better).toBeGreaterThan(worse * 2);
    expect(worse).toBeGreaterThan(0);
    const atConversation = new Map<string, Set<number>>();
    for (const r of care.ratings) {
      if (!r.conversationId) continue;
      const key = `${r.conversationId}/${r.outcomeId}`;
      atConversation.set(key, (atConversation.get(key) ?? new Set()).add(r.score));
    }
    const disagreeing = [...atConversation.values()].filter((scores) => scores.size > 1).length;
    expect(disagreeing / atConversation.size).toBeGreaterThan(0.15);
    expect(disagreeing / atConversation.size).toBeLessThan(0.7);
  });
});

describe('generateDemoCare: history for the dashboards', () => {
  const conversations = new Map(care.conversations.map((c) => [c.conversationId, c]));
  const leadTeamOf = new Map<string, { teamId: string; organisationId: string }>();
  for (const m of care.careTeamMembers) {
    if (m.isKeyWorker && m.teamId)
      leadTeamOf.set(m.personId, { teamId: m.teamId, organisationId: m.organisationId });
  }
  /** The share of the person's own ratings at 3 or 4 (mostly or fully achieved), among those chosen. */
  const achieved = (keep: (r: DemoCare['ratings'][number], heldOn: string) => boolean) => {
    const chosen = care.ratings.filter((r) => {
      const heldOn = r.conversationId ? conversations.get(r.conversationId)?.heldOn : undefined;
      return r.viewpoint === 'person' && heldOn !== undefined && keep(r, heldOn);
    });
    return {
      n: chosen.length,
      share: chosen.filter((r) => r.score >= 3).length / Math.max(1, chosen.length),
    };
  };
  const trust = population.organisations.find((o) => o.kind === 'nhs-trust')?.id;

  it('rates outcomes better in the last year than the year before, across the other providers', () => {
    const others = (r: DemoCare['ratings'][number]) => leadTeamOf.get(r.personId)?.organisationId !== trust;
    const before = achieved((r, d) => others(r) && d < '2025-11-23');
    const after = achieved((r, d) => others(r) && d >= '2025-11-23');
    expect(before.n).toBeGreaterThan(100);
    expect(after.share).toBeGreaterThan(before.share + 0.05);
  });

  it("lifts practitioner@demo's team from seven months ago: a shift its chart shows", () => {
    const team = (r: DemoCare['ratings'][number]) =>
      leadTeamOf.get(r.personId)?.teamId === practitionerTeamId;
    const before = achieved((r, d) => team(r) && d >= '2025-11-23' && d < '2026-04-23');
    const after = achieved((r, d) => team(r) && d >= '2026-04-23');
    expect(after.n).toBeGreaterThan(30);
    expect(after.share).toBeGreaterThan(before.share + 0.15);
  });

  it('has one provider, the NHS trust, whose people rate their outcomes achieved clearly less often', () => {
    const year = (r: DemoCare['ratings'][number], d: string) => d >= '2025-11-23' && Boolean(r);
    const inTrust = achieved((r, d) => year(r, d) && leadTeamOf.get(r.personId)?.organisationId === trust);
    const elsewhere = achieved((r, d) => year(r, d) && leadTeamOf.get(r.personId)?.organisationId !== trust);
    expect(inTrust.n).toBeGreaterThan(100);
    // Three standard errors of the trust's share below the others' (outside 99.8% funnel limits).
    const se = Math.sqrt((elsewhere.share * (1 - elsewhere.share)) / inTrust.n);
    expect(inTrust.share).toBeLessThan(elsewhere.share - 3.09 * se);
  });
});

describe('generateDemoCare: goal attainment scaling', () => {
  it('sets GAS goals on about 40% of outcomes, each with five levels and a baseline of -1 or -2', () => {
    const share = care.gasGoals.length / care.outcomes.length;
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.5);
    const outcomes = new Map(care.outcomes.map((o) => [o.outcomeId, o]));
    for (const g of care.gasGoals) {
      const levels = [g.levelMinus2, g.levelMinus1, g.level0, g.levelPlus1, g.levelPlus2];
      for (const level of levels) expect(level.trim().length).toBeGreaterThan(3);
      expect(new Set(levels).size).toBe(5);
      expect(isGasBaseline(g.baselineLevel)).toBe(true);
      for (const n of [g.importance, g.difficulty]) expect([0, 1, 2, 3]).toContain(n);
      expect(g.weight).toBe(g.importance * g.difficulty || 1);
      expect(g.createdAt).toBe(outcomes.get(g.outcomeId)?.createdAt);
    }
    expect(new Set(care.gasGoals.map((g) => g.outcomeId)).size).toBe(care.gasGoals.length);
  });

  it('records an attainment level at each review after the goal was set', () => {
    const goals = new Map(care.gasGoals.map((g) => [g.goalId, g]));
    const reviews = new Map(care.conversations.map((c) => [c.conversationId, c]));
    for (const a of care.gasAttainments) {
      expect(isGasLevel(a.level)).toBe(true);
      const goal = goals.get(a.goalId);
      const review = reviews.get(a.conversationId);
      expect(review?.kind).toBe('review');
      expect(review?.personId).toBe(goal?.personId);
      expect(a.recordedAt.slice(0, 10)).toBe(review?.heldOn);
    }
    for (const g of care.gasGoals) {
      const reviewsSince = (conversationsByPerson.get(g.personId) ?? []).filter(
        (c) => c.kind === 'review',
      ).length;
      expect(care.gasAttainments.filter((a) => a.goalId === g.goalId)).toHaveLength(reviewsSince);
    }
  });

  it('gives person@demo the worked walking example', () => {
    const walking = care.gasGoals.find((g) => g.personId === demoPersonId);
    expect(walking).toMatchObject({
      levelMinus2: 'Not leaving the house',
      levelPlus2: 'Leads part of the walk',
    });
  });
});

describe('generateDemoCare: care and support plans', () => {
  const plansByPerson = byPerson(care.planVersions);

  it('gives a plan to about three in four people with conversations, and none to the rest', () => {
    const share = plansByPerson.size / conversationsByPerson.size;
    expect(share).toBeGreaterThan(0.6);
    expect(share).toBeLessThan(0.9);
    for (const personId of plansByPerson.keys()) expect(conversationsByPerson.has(personId)).toBe(true);
    expect(plansByPerson.has(demoPersonId)).toBe(true);
  });

  it('makes every version a valid plan, numbered 1 to 3, and dated after a conversation', () => {
    for (const [personId, versions] of plansByPerson) {
      expect(versions.map((v) => v.version)).toEqual(versions.map((_, i) => i + 1));
      expect(versions.length).toBeLessThanOrEqual(3);
      const firstHeld = [...(conversationsByPerson.get(personId) ?? [])].sort((a, b) =>
        a.heldOn.localeCompare(b.heldOn),
      )[0]?.heldOn;
      let previous = '';
      for (const v of versions) {
        expect(carePlanProblems(v.content), `${personId} v${v.version}`).toEqual([]);
        expect(v.createdAt > previous).toBe(true);
        expect(v.createdAt.slice(0, 10) >= (firstHeld ?? '')).toBe(true);
        expect(v.createdAt < TODAY).toBe(true);
        expect(v.plannedReviewDate).toBe(v.content.review.plannedDate);
        expect(v.changeSummary.length).toBeGreaterThan(10);
        previous = v.createdAt;
      }
    }
  });

  it('links goals to the person’s own outcomes, with actions from several agencies and others', () => {
    const outcomeOwner = new Map(care.outcomes.map((o) => [o.outcomeId, o.personId]));
    const organisations = new Set(population.organisations.map((o) => o.id));
    const whoKinds = new Set<string>();
    let severalAgencies = 0;
    for (const v of care.planVersions) {
      const agencies = new Set<string>();
      for (const goal of v.content.goals) {
        expect(outcomeOwner.get(goal.outcomeId ?? '')).toBe(v.personId);
        expect(goal.actions.length).toBeGreaterThanOrEqual(1);
        for (const action of goal.actions) {
          whoKinds.add(action.who.kind);
          if (action.who.organisationId) {
            expect(organisations.has(action.who.organisationId)).toBe(true);
            agencies.add(action.who.organisationId);
          }
          if (action.who.kind === 'community-resource') agencies.add(action.who.name);
        }
      }
      if (agencies.size >= 2) severalAgencies++;
    }
    expect(severalAgencies / care.planVersions.length).toBeGreaterThan(0.7);
    for (const kind of ['organisation', 'team', 'practitioner', 'person', 'carer', 'community-resource'])
      expect(whoKinds).toContain(kind);
  });

  it("writes about me in the person's voice", () => {
    for (const v of care.planVersions) {
      const { aboutMe } = v.content;
      for (const text of Object.values(aboutMe)) expect(text.trim().length).toBeGreaterThan(5);
      expect(aboutMe.pleaseDont).toMatch(/^Don't/);
      expect(v.content.strengths.length).toBeGreaterThanOrEqual(2);
      expect(v.content.contingency.whoToContact).toMatch(/01632 960\d{3}/);
    }
  });

  it('changes something in each later version, and says what', () => {
    for (const [, versions] of plansByPerson) {
      for (let i = 1; i < versions.length; i++) {
        const before = versions[i - 1];
        const after = versions[i];
        expect(JSON.stringify(after?.content)).not.toBe(JSON.stringify(before?.content));
        expect(after?.changeSummary).toMatch(/^Reviewed with /);
      }
    }
  });

  it('gives person@demo a plan with actions from at least two organisations, and comments of their own', () => {
    const latest = plansByPerson.get(demoPersonId)?.at(-1);
    const organisations = new Set(
      latest?.content.goals.flatMap((g) =>
        g.actions.flatMap((a) => (a.who.organisationId ? [a.who.organisationId] : [])),
      ),
    );
    expect(organisations.size).toBeGreaterThanOrEqual(2);
    const comments = care.planComments.filter((c) => c.personId === demoPersonId);
    expect(comments.some((c) => c.authorUserId === personUser.id && c.authorViewpoint === 'person')).toBe(
      true,
    );
    expect(comments.some((c) => c.authorUserId === carerUser.id && c.authorViewpoint === 'carer')).toBe(true);
  });

  it('dates comments after the version they are on and before today; others come through practitioners', () => {
    const versions = new Map(care.planVersions.map((v) => [`${v.personId}/${v.version}`, v]));
    for (const c of care.planComments) {
      const version = versions.get(`${c.personId}/${c.version}`);
      expect(version).toBeDefined();
      expect(c.createdAt > (version?.createdAt ?? '')).toBe(true);
      expect(c.createdAt < TODAY).toBe(true);
      if (c.personId !== demoPersonId) expect(c.authorViewpoint).toBe('practitioner');
    }
    expect(care.planComments.length).toBeGreaterThan(10);
  });
});

describe('generateDemoCare: text', () => {
  it('leaves no template placeholders and no blank names', () => {
    const texts = [
      ...care.conversations.flatMap((c) => [c.summary, c.whatHelped, c.whatGotInTheWay]),
      ...care.outcomes.flatMap((o) => [o.statement, o.whyItMatters]),
      ...care.gasGoals.flatMap((g) => [g.levelMinus2, g.levelMinus1, g.level0, g.levelPlus1, g.levelPlus2]),
      ...care.planVersions.flatMap((v) => [JSON.stringify(v.content), v.changeSummary]),
      ...care.planComments.map((c) => c.body),
    ];
    for (const text of texts) {
      expect(text).not.toMatch(/\{\w+\}|\bundefined\b|\bnull\b|\bNaN\b/);
      expect(text).not.toMatch(/ {2}/);
    }
  });
});
