import { describe, expect, it } from 'vitest';
import { generateDemoCare } from './demo-care.js';
import { generateDemoPopulation } from './demo-population.js';
import { demoSteps } from './demo-steps.js';

const TODAY = '2026-11-28';
const population = generateDemoPopulation({ people: 200, seed: 'steps', today: TODAY });
const care = generateDemoCare(population, { seed: 'steps', today: TODAY });
const person = population.users.find((u) => u.username === 'person@demo');
const accounts = new Map(person?.personId ? [[person.personId, person.id]] : []);
const steps = demoSteps(care, 'steps', TODAY, accounts);

describe('demo self-management steps', () => {
  it('are the same for the same seed, and differ for another', () => {
    expect(demoSteps(care, 'steps', TODAY, accounts)).toEqual(steps);
    expect(demoSteps(care, 'other', TODAY, accounts)).not.toEqual(steps);
  });

  it('give person@demo steps of their own, and some other people steps set with their key worker', () => {
    const own = steps.filter((s) => s.person_id === person?.personId);
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((s) => s.set_by === 'person' && s.created_by_user_id === person?.id)).toBe(true);
    const others = new Set(steps.filter((s) => s.set_by === 'practitioner').map((s) => s.person_id));
    expect(others.size).toBeGreaterThan(5);
    expect(steps.some((s) => s.done_at && s.what_helped)).toBe(true);
    expect(steps.some((s) => !s.done_at)).toBe(true);
  });

  it('are set after the latest conversation, for an active outcome, and done no earlier than set and before today', () => {
    const latest = new Map<string, string>();
    for (const c of care.conversations) {
      if ((latest.get(c.personId) ?? '') < c.heldOn) latest.set(c.personId, c.heldOn);
    }
    const active = new Set(
      care.outcomes.filter((o) => o.status === 'active').map((o) => `${o.personId}:${o.outcomeId}`),
    );
    for (const s of steps) {
      expect(active.has(`${s.person_id}:${s.outcome_id}`)).toBe(true);
      expect(s.created_at.slice(0, 10) > (latest.get(s.person_id) ?? '')).toBe(true);
      if (s.done_at) {
        expect(s.done_at >= s.created_at).toBe(true);
        expect(s.done_at.slice(0, 10) < TODAY).toBe(true);
      }
    }
  });
});
