import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/demo-data-service.js';
import type { Actor } from '../../src/domain/actor.js';
import { todayIso } from '../../src/domain/calendar.js';
import { agenciesInPlan } from '../../src/domain/care-plan.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * A new demo database shows individual-level records: practitioner@demo has a caseload with reviews
 * overdue and people with no plan yet, person@demo has a full record shared across agencies, and
 * carer@demo, whom person@demo has authorised, can read it.
 */
// The demo is dated from the day it is loaded: named here, so a load just before midnight cannot
// disagree with the day the assertions use.
const TODAY = todayIso();
const origin = { ip: null, userAgent: null };

let t: TestApp;
let practitioner: Actor;
let personId: string;

const signIn = async (username: string) =>
  (await t.services.auth.signIn(username, DEMO_PASSWORD, origin)).actor;

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 120, demoToday: TODAY });
  practitioner = await signIn('practitioner@demo');
  personId = (await signIn('person@demo')).personId ?? '';
});
afterAll(() => t?.close());

describe('the demo caseload', () => {
  it("gives practitioner@demo's team a caseload with person@demo in it", async () => {
    const caseload = await t.services.people.caseload(practitioner, { today: TODAY });
    expect(caseload.total).toBeGreaterThan(15);
    expect(caseload.total).toBeLessThan(60);
    expect(caseload.entries.length).toBe(Math.min(caseload.total, caseload.pageSize));
    const person = await t.services.people.caseload(practitioner, {
      today: TODAY,
      search: (await t.services.people.details(practitioner, personId)).person.familyName,
    });
    expect(person.entries.map((e) => e.personId)).toContain(personId);
    expect(person.entries.find((e) => e.personId === personId)).toMatchObject({
      hasPlan: true,
      reviewStatus: 'due-soon',
    });
  });

  it('has reviews overdue, due soon and scheduled', async () => {
    const all = await t.services.people.caseload(practitioner, { today: TODAY });
    const overdue = await t.services.people.caseload(practitioner, { today: TODAY, overdueOnly: true });
    expect(overdue.total).toBeGreaterThan(0);
    expect(overdue.total).toBeLessThan(all.total);
    for (const entry of overdue.entries) expect(entry.reviewStatus).toBe('overdue');
    // The list puts the most pressing first.
    expect(all.entries[0]?.reviewStatus).toBe('overdue');
    const pages = Math.ceil(all.total / all.pageSize);
    const everyone = [];
    for (let page = 1; page <= pages; page++) {
      everyone.push(...(await t.services.people.caseload(practitioner, { today: TODAY, page })).entries);
    }
    const statuses = new Set(everyone.map((e) => e.reviewStatus));
    expect(statuses).toContain('due-soon');
    expect(statuses).toContain('scheduled');
    expect(everyone.every((e) => e.lastConversationOn === null || e.lastConversationOn < TODAY)).toBe(true);
  });

  it('has some people without a plan', async () => {
    const all = await t.services.people.caseload(practitioner, { today: TODAY });
    const noPlan = await t.services.people.caseload(practitioner, { today: TODAY, noPlanOnly: true });
    expect(noPlan.total).toBeGreaterThan(0);
    expect(noPlan.total).toBeLessThan(all.total / 2);
    for (const entry of noPlan.entries) expect(entry.hasPlan).toBe(false);
  });

  it('shows the team manager the same caseload', async () => {
    const manager = await signIn('manager@demo');
    const theirs = await t.services.people.caseload(manager, { today: TODAY });
    const mine = await t.services.people.caseload(practitioner, { today: TODAY });
    expect(theirs.total).toBe(mine.total);
  });
});

describe("person@demo's record", () => {
  it('has a care team across agencies, and a circle with an authorised carer', async () => {
    const record = await t.services.records.record(practitioner, personId, TODAY);
    expect(record.relation).toMatchObject({ kind: 'care-team', via: 'user' });
    expect(record.careTeam.length).toBeGreaterThanOrEqual(3);
    expect(new Set(record.careTeam.map((m) => m.organisationKind)).size).toBeGreaterThanOrEqual(3);
    expect(record.careTeam[0]).toMatchObject({ isKeyWorker: true, userName: practitioner.displayName });
    expect(record.circle).toContainEqual(
      expect.objectContaining({ name: 'Carol Bennett', isCarer: true, hasAccount: true, mayView: true }),
    );
  });

  it('has outcomes in their own words with ratings from two or more viewpoints', async () => {
    const { outcomes } = await t.services.records.record(practitioner, personId, TODAY);
    expect(outcomes.length).toBeGreaterThanOrEqual(3);
    for (const outcome of outcomes) {
      expect(outcome.statement).toMatch(/^(I|What I)\b/);
      expect(outcome.domains.length).toBeGreaterThan(0);
      expect(outcome.framework.ratingLabels).toHaveLength(4);
    }
    const viewpoints = (o: (typeof outcomes)[number]) => new Set(o.ratings.map((r) => r.viewpoint)).size;
    expect(outcomes.some((o) => viewpoints(o) >= 2)).toBe(true);
    expect(outcomes.some((o) => o.distance.some((d) => d.change !== 0))).toBe(true);
    expect(outcomes.some((o) => o.addedBy === 'person')).toBe(true);
  });

  it('has a plan with actions from at least two organisations, and earlier versions', async () => {
    const { plan, outcomes } = await t.services.records.record(practitioner, personId, TODAY);
    const content = plan.current?.content;
    if (!content) throw new Error('person@demo has no plan');
    const organisationIds = new Set(
      content.goals.flatMap((g) =>
        g.actions.flatMap((a) => (a.who.organisationId ? [a.who.organisationId] : [])),
      ),
    );
    expect(organisationIds.size).toBeGreaterThanOrEqual(2);
    expect(agenciesInPlan(content).length).toBeGreaterThanOrEqual(2);
    const outcomeIds = new Set(outcomes.map((o) => o.outcomeId));
    for (const goal of content.goals) expect(outcomeIds.has(goal.outcomeId ?? '')).toBe(true);
    expect(plan.versions.length).toBeGreaterThanOrEqual(2);
    expect(plan.comments.some((c) => c.viewpoint === 'person')).toBe(true);
    const compared = await t.services.plans.compare(practitioner, personId, 1, plan.versions.length);
    expect(compared.changes.length).toBeGreaterThan(0);
  });

  it('has GAS scores at each review and a timeline of who did what', async () => {
    const record = await t.services.records.record(practitioner, personId, TODAY);
    expect(record.gasScores.length).toBeGreaterThanOrEqual(2);
    for (const score of record.gasScores) expect(score.t).toBeGreaterThan(20);
    const walking = record.outcomes.find((o) => o.gas?.levels[2] === 'Leads part of the walk');
    expect(walking?.gas?.attainments.length).toBeGreaterThanOrEqual(2);
    expect(record.conversations.length).toBeGreaterThanOrEqual(3);
    expect(record.conversations.at(-1)?.kind).toBe('first');
    expect(record.conversations[0]?.participants.map((p) => p.kind)).toContain('practitioner');
    expect(record.reviewStatus).toBe('due-soon');
    const events = record.timeline.flatMap((m) => m.events);
    for (const kind of [
      'conversation',
      'outcome-added',
      'rating',
      'gas-attainment',
      'plan-version',
      'plan-comment',
    ]) {
      expect(events.map((e) => e.kind)).toContain(kind);
    }
    expect(record.timeline.length).toBeGreaterThan(3);
    expect(events.every((e) => e.at < TODAY)).toBe(true);
  });

  it('can be read by carer@demo and by person@demo themselves', async () => {
    const carer = await signIn('carer@demo');
    const asCarer = await t.services.records.record(carer, personId, TODAY);
    expect(asCarer.relation).toMatchObject({ kind: 'carer', mayView: true, mayContribute: true });
    expect(asCarer.outcomes.length).toBeGreaterThan(0);
    const self = await signIn('person@demo');
    const asSelf = await t.services.records.record(self, personId, TODAY);
    expect(asSelf.relation).toEqual({ kind: 'self' });
    expect(asSelf.plan.current).not.toBeNull();
  });

  it('is not visible to a commissioner', async () => {
    const commissioner = await signIn('commissioner@demo');
    await expect(t.services.records.record(commissioner, personId, TODAY)).rejects.toMatchObject({
      status: 404,
    });
  });
});
