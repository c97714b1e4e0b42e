import { describe, expect, it } from 'vitest';
import { resourceProblems } from '../domain/community/resource-rules.js';
import { reviewState } from '../domain/community/staleness.js';
import { RESOURCE_KINDS } from '../domain/community/vocabulary.js';
import { DEFAULT_FRAMEWORKS } from '../domain/outcome-frameworks.js';
import { CommunityResourceContract } from '../features/community/schema.js';
import { demoDirectory, parseSessions } from './demo-directory.js';
import { generateDemoPopulation } from './demo-population.js';

const today = '2026-11-23';
const population = generateDemoPopulation({ people: 5, seed: 'test', today });
const directory = demoDirectory(population, 'test', today);
const codes = new Set(DEFAULT_FRAMEWORKS.flatMap((f) => f.domains.map((d) => d.code)));

describe('the demo directory', () => {
  it('has at least 60 entries, of every kind of support', () => {
    expect(directory.resources.length).toBeGreaterThanOrEqual(60);
    const kinds = new Set(directory.resources.map((r) => r.body.kind));
    expect([...kinds].sort()).toEqual([...RESOURCE_KINDS].sort());
  });

  it('keeps every entry to the contract and its rules, with RV postcodes', () => {
    for (const r of directory.resources) {
      expect(CommunityResourceContract.problems(r.body), r.body.name).toEqual([]);
      expect(resourceProblems(r.body, codes), r.body.name).toEqual([]);
      if (r.body.postcode) expect(r.body.postcode, r.body.name).toMatch(/^RV\d \d[A-Z]{2}$/);
    }
    expect(new Set(directory.resources.map((r) => r.body.name)).size).toBe(directory.resources.length);
  });

  it('has sessions, costs and accessibility, and entries from both population organisations', () => {
    expect(directory.resources.filter((r) => r.body.sessions.length).length).toBeGreaterThan(40);
    expect(new Set(directory.resources.map((r) => r.body.costKind)).size).toBe(4);
    expect(
      directory.resources.every((r) => r.body.online || r.body.accessibility.length || !r.body.address),
    ).toBe(true);
    const names = new Map(population.organisations.map((o) => [o.id, o.name]));
    const run = new Set(directory.resources.map((r) => names.get(r.organisationId)).filter(Boolean));
    expect(run).toEqual(new Set(['Riverside Good Neighbours', 'Riverside Community Links']));
    // The population's organisations' entries are kept by their own staff.
    for (const r of directory.resources.filter((x) => names.has(x.organisationId))) {
      const maintainer = population.users.find((u) => u.id === r.maintainerUserId);
      expect(
        maintainer?.roles.some((role) => role.organisationId === r.organisationId),
        r.body.name,
      ).toBe(true);
    }
  });

  it('has some entries due for review, exactly one hidden, one closed, the rest current', () => {
    const states = directory.resources.map((r) => reviewState(r.reviewDue, today));
    expect(states.filter((s) => s === 'hidden')).toHaveLength(1);
    expect(states.filter((s) => s === 'due').length).toBeGreaterThanOrEqual(4);
    expect(directory.resources.filter((r) => r.status === 'closed')).toHaveLength(1);
    const goodNeighbours = population.organisations.find((o) => o.name === 'Riverside Good Neighbours')?.id;
    expect(
      directory.resources.some(
        (r) => r.organisationId === goodNeighbours && reviewState(r.reviewDue, today) === 'due',
      ),
    ).toBe(true);
  });

  it('is the same for the same seed and day', () => {
    expect(demoDirectory(population, 'test', today)).toEqual(directory);
    expect(demoDirectory(population, 'other', today).resources[0]?.resourceId).not.toBe(
      directory.resources[0]?.resourceId,
    );
  });

  it('reads sessions as day and times', () => {
    expect(parseSessions('tue 10:00-11:00, thu 14:00-15:30')).toEqual([
      { day: 'tue', start: '10:00', end: '11:00' },
      { day: 'thu', start: '14:00', end: '15:30' },
    ]);
    expect(parseSessions('')).toEqual([]);
    expect(() => parseSessions('Tuesdays')).toThrow();
  });
});
