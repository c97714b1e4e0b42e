import { describe, expect, it } from 'vitest';
import { DECLINE_REASONS, MAX_REFERRAL_REASON, REFERRAL_STATUSES } from '../domain/community/referrals.js';
import { reviewState } from '../domain/community/staleness.js';
import { DAYS } from '../domain/community/vocabulary.js';
import { demoCareGenerator, generateDemoCare } from './demo-care.js';
import { demoDirectory } from './demo-directory.js';
import { generateDemoPopulation } from './demo-population.js';
import { demoReferrals, directoryStaff, referralSetting, themeOf } from './demo-referrals.js';
import { KINDS_FOR_THEME, REFERRAL_REASONS } from './text/referrals.js';

const TODAY = '2026-11-28';
const SEED = 'referrals';
const population = generateDemoPopulation({ people: 300, seed: SEED, today: TODAY });
const care = generateDemoCare(population, { seed: SEED, today: TODAY });
const directory = demoDirectory(population, SEED, TODAY);
const staff = directoryStaff(directory, SEED);
const setting = referralSetting(population, directory, staff, TODAY);
const generated = demoReferrals(care, setting, SEED);
const { referrals, attendance, ratings } = generated;

const resources = new Map(directory.resources.map((r) => [r.resourceId, r]));
const byId = new Map(referrals.map((r) => [r.referral_id, r]));
const personUser = population.users.find((u) => u.username === 'person@demo');
const staffOf = (organisationId: string) =>
  new Set([
    ...population.users
      .filter((u) => u.roles.some((r) => r.organisationId === organisationId && r.role !== 'person'))
      .map((u) => u.id),
    ...staff.filter((s) => s.organisationId === organisationId).map((s) => s.id),
  ]);
const dayOf = (iso: string) => iso.slice(0, 10);
const weekday = (iso: string) => DAYS[(new Date(`${iso}T00:00:00Z`).getUTCDay() + 6) % 7];

describe('demo referrals', () => {
  it('are the same for the same seed and day, and differ for another seed', () => {
    expect(demoReferrals(care, setting, SEED)).toEqual(generated);
    expect(demoReferrals(care, setting, 'other').referrals).not.toEqual(referrals);
  });

  it('are the same when the demo is loaded a slice of people at a time', () => {
    const generator = demoCareGenerator(population, { seed: SEED, today: TODAY });
    const slices = [0, 70, 200].map((start, i, all) =>
      demoReferrals(generator.forPeople(start, all[i + 1] ?? population.people.length), setting, SEED),
    );
    expect(slices.flatMap((x) => x.referrals)).toEqual(referrals);
    expect(slices.flatMap((x) => x.attendance)).toEqual(attendance);
    expect(slices.flatMap((x) => x.ratings)).toEqual(ratings);
  });

  it('reach about a fifth of the people whose outcomes a resource helps with, and person@demo', () => {
    const domainsOf = new Map<string, Set<string>>();
    for (const d of care.outcomeDomains) {
      const person = care.outcomes.find((o) => o.outcomeId === d.outcomeId)?.personId ?? '';
      domainsOf.set(person, (domainsOf.get(person) ?? new Set()).add(d.domainCode));
    }
    const helped = new Set(directory.resources.flatMap((r) => r.body.domainCodes));
    const eligible = [...domainsOf].filter(([, codes]) => [...codes].some((c) => helped.has(c))).length;
    const referred = new Set(referrals.map((r) => r.person_id)).size;
    expect(referred / eligible).toBeGreaterThanOrEqual(0.12);
    expect(referred / eligible).toBeLessThanOrEqual(0.28);
    expect(referrals.some((r) => r.person_id === personUser?.personId)).toBe(true);
  });

  it('go only to listed active resources; referrals only to those accepting them', () => {
    for (const r of referrals) {
      const resource = resources.get(r.resource_id);
      expect(resource, r.resource_id).toBeDefined();
      expect(resource?.status).toBe('active');
      expect(reviewState(resource?.reviewDue ?? '', TODAY)).not.toBe('hidden');
      if (r.kind === 'referral') {
        expect(resource?.body.acceptingReferrals).toBe(true);
        expect(r.share_consent).toBe(true);
      } else {
        expect(r.status).toBe('signposted');
        expect(r.share_consent).toBe(false);
      }
    }
  });

  it('are for an outcome the resource helps with, with needs it meets and a short reason', () => {
    for (const r of referrals) {
      const resource = resources.get(r.resource_id);
      if (r.outcome_id) {
        const domains = care.outcomeDomains
          .filter((d) => d.outcomeId === r.outcome_id)
          .map((d) => d.domainCode);
        expect(domains.some((d) => resource?.body.domainCodes.includes(d))).toBe(true);
        expect(care.outcomes.find((o) => o.outcomeId === r.outcome_id)?.personId).toBe(r.person_id);
      }
      expect(r.needs.length).toBeGreaterThan(0);
      for (const need of r.needs) expect(resource?.body.needs).toContain(need);
      expect(r.reason.length).toBeLessThanOrEqual(MAX_REFERRAL_REASON);
    }
    for (const reason of Object.values(REFERRAL_REASONS).flat())
      expect(reason.length).toBeLessThanOrEqual(MAX_REFERRAL_REASON);
  });

  it('suit what the outcome is about: its theme, read back from its words', () => {
    for (const o of care.outcomes) expect(themeOf(o.statement), o.statement).not.toBeNull();
    for (const r of referrals.filter((x) => x.outcome_id)) {
      const theme = themeOf(care.outcomes.find((o) => o.outcomeId === r.outcome_id)?.statement ?? '');
      expect(KINDS_FOR_THEME[theme ?? 'social']).toContain(resources.get(r.resource_id)?.body.kind);
    }
  });

  it('are made by a practitioner mostly; self-referrals only by people with a sign-in, where allowed', () => {
    const self = referrals.filter((r) => r.made_by === 'person');
    expect(self.length).toBeGreaterThan(0);
    expect(self.length).toBeLessThan(referrals.length / 5);
    for (const r of self) {
      expect(resources.get(r.resource_id)?.body.selfReferral).toBe(true);
      expect(r.created_by_user_id).toBe(personUser?.id);
      expect(r.person_id).toBe(personUser?.personId);
    }
    const practitioners = new Set(
      population.users.filter((u) => u.roles.some((r) => r.role === 'practitioner')).map((u) => u.id),
    );
    for (const r of referrals.filter((x) => x.made_by === 'practitioner'))
      expect(practitioners.has(r.created_by_user_id), r.created_by_user_id).toBe(true);
  });

  it('have a realistic mix of statuses, each consistent with itself', () => {
    const made = referrals.filter((r) => r.kind === 'referral');
    const count = (s: string) => made.filter((r) => r.status === s).length;
    expect(count('accepted') + count('ended')).toBeGreaterThan(made.length / 2);
    for (const status of ['sent', 'declined', 'withdrawn', 'ended'] as const)
      expect(count(status), status).toBeGreaterThan(0);
    expect(count('sent')).toBeLessThan(made.length / 5);
    expect(referrals.some((r) => r.kind === 'signpost')).toBe(true);
    for (const r of referrals) {
      expect(REFERRAL_STATUSES).toContain(r.status);
      expect(r.status === 'declined').toBe(r.decline_reason !== null);
      if (r.decline_reason) {
        expect(DECLINE_REASONS).toContain(r.decline_reason);
        expect(r.status_note).not.toBe('');
      }
      // Whoever moved it on last: staff of the organisation that runs the resource, or the referrer
      // who withdrew it.
      const moved = ['accepted', 'declined', 'ended', 'withdrawn'].includes(r.status);
      expect(r.responded_by_user_id !== null, r.status).toBe(moved);
      if (r.responded_by_user_id) {
        const resource = resources.get(r.resource_id);
        if (r.status === 'withdrawn') expect(r.responded_by_user_id).toBe(r.created_by_user_id);
        else expect(staffOf(resource?.organisationId ?? '').has(r.responded_by_user_id)).toBe(true);
        expect(r.responded_at && r.responded_at >= r.created_at).toBe(true);
        expect(r.updated_at).toBe(r.responded_at);
      }
      // Still waiting only when made recently.
      if (r.status === 'sent') expect(dayOf(r.created_at) >= '2026-10-31').toBe(true);
      expect(r.updated_at >= r.created_at).toBe(true);
      expect(dayOf(r.updated_at) < TODAY).toBe(true);
    }
  });

  it('are made at or after a conversation of the person, and before today', () => {
    for (const r of referrals) {
      const held = care.conversations.filter((c) => c.personId === r.person_id).map((c) => c.heldOn);
      expect(held.some((h) => h <= dayOf(r.created_at))).toBe(true);
      expect(dayOf(r.created_at) < TODAY).toBe(true);
    }
  });

  it('have weekly attendance, on session days, after acceptance and not in the future', () => {
    expect(attendance.length).toBeGreaterThan(referrals.length);
    const attended = attendance.filter((a) => a.outcome === 'attended').length;
    expect(attended / attendance.length).toBeGreaterThan(0.65);
    expect(attended).toBeLessThan(attendance.length);
    const seen = new Set<string>();
    for (const a of attendance) {
      const r = byId.get(a.referral_id);
      expect(r?.person_id).toBe(a.person_id);
      expect(['accepted', 'ended', 'signposted']).toContain(r?.status);
      if (r?.kind === 'referral') {
        if (r.status === 'accepted') expect(a.attended_on > dayOf(r.responded_at ?? '')).toBe(true);
        const resource = resources.get(r.resource_id);
        expect(staffOf(resource?.organisationId ?? '').has(a.recorded_by_user_id)).toBe(true);
        const days = resource?.body.sessions.map((s) => s.day) ?? [];
        if (days.length) expect(days).toContain(weekday(a.attended_on));
      } else {
        expect(a.recorded_by_user_id).toBe(r?.created_by_user_id);
      }
      if (r?.status === 'ended') expect(a.attended_on <= dayOf(r.updated_at)).toBe(true);
      expect(a.attended_on > dayOf(r?.created_at ?? '')).toBe(true);
      expect(a.attended_on < TODAY).toBe(true);
      expect(a.recorded_at.slice(0, 10)).toBe(a.attended_on);
      const key = `${a.referral_id}:${a.attended_on}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
  });

  it('leave a few referrals waiting at Riverside Good Neighbours, even in a small demo', () => {
    const small = generateDemoPopulation({ people: 5, seed: 'small', today: TODAY });
    const smallDirectory = demoDirectory(small, 'small', TODAY);
    const smallSetting = referralSetting(
      small,
      smallDirectory,
      directoryStaff(smallDirectory, 'small'),
      TODAY,
    );
    const { referrals: made } = demoReferrals(
      generateDemoCare(small, { seed: 'small', today: TODAY }),
      smallSetting,
      'small',
    );
    const goodNeighbours = small.organisations.find((o) => o.name === 'Riverside Good Neighbours')?.id;
    const theirs = new Set(
      smallDirectory.resources.filter((r) => r.organisationId === goodNeighbours).map((r) => r.resourceId),
    );
    const waiting = made.filter((r) => theirs.has(r.resource_id) && r.status === 'sent');
    expect(waiting.length).toBeGreaterThanOrEqual(2);
  });

  it('rate the linked outcome again a few weeks after the first session, tending to be better', () => {
    expect(ratings.length).toBeGreaterThan(5);
    const firstAttended = (referralId: string) =>
      attendance
        .filter((a) => a.referral_id === referralId && a.outcome === 'attended')
        .map((a) => a.attended_on)
        .sort()[0];
    for (const rating of ratings) {
      expect(rating.score).toBeGreaterThanOrEqual(1);
      expect(rating.score).toBeLessThanOrEqual(4);
      expect(rating.conversationId).toBeNull();
      const ratedOn = String(rating.ratedAt).slice(0, 10);
      expect(ratedOn < TODAY).toBe(true);
      // Only for an outcome a referral was for, after the person first went.
      const connected = referrals.filter(
        (r) => r.outcome_id === rating.outcomeId && (firstAttended(r.referral_id) ?? TODAY) < ratedOn,
      );
      expect(connected.length, rating.outcomeId).toBeGreaterThan(0);
    }
    // What the aggregates compare: the latest rating after the first session against the latest
    // at or before it, from the person's point of view.
    const all = [...care.ratings, ...ratings].sort((a, b) =>
      String(a.ratedAt).localeCompare(String(b.ratedAt)),
    );
    const changes = referrals.flatMap((r) => {
      const first = firstAttended(r.referral_id);
      if (!first || !r.outcome_id) return [];
      const own = all.filter((x) => x.outcomeId === r.outcome_id && x.viewpoint === 'person');
      const before = own.filter((x) => String(x.ratedAt).slice(0, 10) <= first).pop();
      const after = own.filter((x) => String(x.ratedAt).slice(0, 10) > first).pop();
      return before && after ? [after.score - before.score] : [];
    });
    expect(changes.length).toBeGreaterThan(10);
    const better = changes.filter((c) => c > 0).length;
    const worse = changes.filter((c) => c < 0).length;
    expect(better).toBeGreaterThan(worse);
    // Not everyone: some stay the same or do worse.
    expect(better).toBeLessThan(changes.length);
  });

  it('gives the directory organisations staff with unique demo usernames', () => {
    const names = [...population.users.map((u) => u.username), ...staff.map((s) => s.username)];
    expect(new Set(names).size).toBe(names.length);
    for (const s of staff) expect(s.username).toMatch(/^[a-z][a-z.-]*@demo$/);
    const withStaff = new Set(staff.map((s) => s.organisationId));
    for (const o of directory.organisations) expect(withStaff.has(o.id), o.name).toBe(true);
  });
});
