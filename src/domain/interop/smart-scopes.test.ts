import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FHIR_RESOURCE_TYPES } from './fhir-types.js';
import { grantsScope, isSmartScope, parseSmartScope } from './smart-scopes.js';

const type = fc.constantFrom(...FHIR_RESOURCE_TYPES);
/** A v2 permission string: a non-empty subsequence of "cruds". */
const letters = fc.subarray(['c', 'r', 'u', 'd', 's'], { minLength: 1 }).map((chosen) => chosen.join(''));
const v1 = fc.constantFrom('read', 'write', '*');

const perms = (scope: string) => [...(parseSmartScope(scope)?.perms ?? [])].sort().join('');

describe('parsing SMART system scopes', () => {
  it('reads v1 scopes, read as rs, write as cud and * as cruds', () => {
    expect(parseSmartScope('system/Patient.read')).toEqual({ type: 'Patient', perms: new Set(['r', 's']) });
    expect(perms('system/*.write')).toBe('cdu');
    expect(perms('system/Goal.*')).toBe('cdrsu');
    expect(parseSmartScope('system/*.*')?.type).toBe('*');
  });

  it('reads v2 scopes with their letters in the order c, r, u, d, s', () => {
    expect(parseSmartScope('system/Observation.rs')).toEqual({
      type: 'Observation',
      perms: new Set(['r', 's']),
    });
    expect(perms('system/*.cruds')).toBe('cdrsu');
    expect(perms('system/CarePlan.cu')).toBe('cu');
    expect(perms('system/Consent.s')).toBe('s');
  });

  it.each([
    'system/Foo.read',
    'system/patient.read',
    'system/Patient.sr',
    'system/Patient.rr',
    'system/Patient.',
    'system/Patient.x',
    'system/Patient.reads',
    'system/Patient',
    'system/.read',
    'patient/Patient.read',
    'user/*.cruds',
    'system/Patient.rs?category=x',
    ' system/Patient.read',
    'system/Patient.read ',
    'system/constructor.read',
    'system/Patient.constructor',
    'system/Patient.toString',
    'directory:read',
    '',
  ])('refuses %j', (scope) => {
    expect(parseSmartScope(scope)).toBeNull();
    expect(isSmartScope(scope)).toBe(false);
  });

  it('accepts every served type in both forms', () => {
    fc.assert(fc.property(type, fc.oneof(letters, v1), (t, p) => isSmartScope(`system/${t}.${p}`)));
  });
});

describe('granting a needed scope', () => {
  it('grants other scopes only by exact match', () => {
    expect(grantsScope(['directory:read'], 'directory:read')).toBe(true);
    expect(grantsScope(['directory:read'], 'frameworks:read')).toBe(false);
    expect(grantsScope(['system/*.*'], 'directory:read')).toBe(false);
    expect(grantsScope([], 'directory:read')).toBe(false);
  });

  it('grants a type by its own scopes or by wildcards', () => {
    expect(grantsScope(['system/*.read'], 'system/Patient.read')).toBe(true);
    expect(grantsScope(['system/Patient.read'], 'system/Patient.read')).toBe(true);
    expect(grantsScope(['system/Patient.rs'], 'system/Patient.read')).toBe(true);
    expect(grantsScope(['system/Patient.read'], 'system/Patient.s')).toBe(true);
    expect(grantsScope(['system/Goal.read'], 'system/Patient.read')).toBe(false);
    expect(grantsScope(['system/*.read'], 'system/Goal.write')).toBe(false);
    expect(grantsScope(['system/Goal.write'], 'system/Goal.write')).toBe(true);
    expect(grantsScope(['system/Goal.cu'], 'system/Goal.write')).toBe(false);
  });

  it('adds up the permissions of several granted scopes', () => {
    expect(grantsScope(['system/Patient.r', 'system/*.s'], 'system/Patient.read')).toBe(true);
    expect(grantsScope(['system/Patient.r'], 'system/Patient.read')).toBe(false);
    expect(grantsScope(['system/*.read', 'system/Goal.write'], 'system/Goal.cruds')).toBe(true);
    expect(grantsScope(['system/*.read', 'system/Goal.write'], 'system/Patient.cruds')).toBe(false);
  });

  it('grants a wildcard only by wildcards', () => {
    expect(grantsScope(['system/*.read'], 'system/*.read')).toBe(true);
    expect(grantsScope(['system/*.*'], 'system/*.rs')).toBe(true);
    expect(
      grantsScope(
        FHIR_RESOURCE_TYPES.map((t) => `system/${t}.read`),
        'system/*.read',
      ),
    ).toBe(false);
  });

  it('never grants an unknown type or a malformed scope, even when it is held', () => {
    expect(grantsScope(['system/*.*'], 'system/Foo.read')).toBe(false);
    expect(grantsScope(['system/*.*'], 'system/Patient.sr')).toBe(false);
  });

  it('a wildcard grants every type what it grants any one type', () => {
    fc.assert(
      fc.property(type, fc.oneof(letters, v1), fc.oneof(letters, v1), (t, held, needed) => {
        expect(grantsScope([`system/*.${held}`], `system/${t}.${needed}`)).toBe(
          grantsScope([`system/${t}.${held}`], `system/${t}.${needed}`),
        );
        expect(grantsScope(['system/*.*'], `system/${t}.${needed}`)).toBe(true);
        expect(grantsScope([`system/*.${held}`], `system/${t}.${held}`)).toBe(true);
      }),
    );
  });

  it('grants more with more scopes, never less', () => {
    const scope = fc
      .tuple(fc.oneof(type, fc.constant('*')), fc.oneof(letters, v1))
      .map(([t, p]) => `system/${t}.${p}`);
    fc.assert(
      fc.property(fc.array(scope), fc.array(scope), scope, (some, more, needed) => {
        if (grantsScope(some, needed)) expect(grantsScope([...some, ...more], needed)).toBe(true);
      }),
    );
  });
});
