import { describe, expect, it } from 'vitest';
import {
  capabilitiesOf,
  permits,
  RECORD_NEEDS,
  type Relation,
  refusalFor,
  viewpointOf,
} from './record-access.js';

const careTeam: Relation = {
  kind: 'care-team',
  via: 'user',
  organisationId: 'o',
  basis: 'consent',
  purpose: 'p',
};
const breakGlass: Relation = { kind: 'break-glass', grantId: 'g', reason: 'r', expiresAt: new Date(0) };
const carer = (mayView: boolean, mayContribute: boolean): Relation => ({
  kind: 'carer',
  relationshipId: 'r',
  mayView,
  mayContribute,
});

// The whole rule as a table, written out independently of the code: every relation × every need.
const Y = true;
const N = false;
const TABLE: [string, Relation | null, Record<(typeof RECORD_NEEDS)[number], boolean>][] = [
  [
    'self',
    { kind: 'self' },
    {
      view: Y,
      contribute: Y,
      manage: N,
      'update-details': Y,
      'manage-circle': Y,
      'authorise-carers': Y,
      'decide-sharing': Y,
      export: Y,
      'request-erasure': Y,
    },
  ],
  [
    'care team',
    careTeam,
    {
      view: Y,
      contribute: Y,
      manage: Y,
      'update-details': Y,
      'manage-circle': Y,
      'authorise-carers': Y,
      'decide-sharing': Y,
      export: Y,
      'request-erasure': Y,
    },
  ],
  [
    'carer who may add',
    carer(true, true),
    {
      view: Y,
      contribute: Y,
      manage: N,
      'update-details': N,
      'manage-circle': N,
      'authorise-carers': N,
      'decide-sharing': N,
      export: N,
      'request-erasure': N,
    },
  ],
  [
    'carer who may see',
    carer(true, false),
    {
      view: Y,
      contribute: N,
      manage: N,
      'update-details': N,
      'manage-circle': N,
      'authorise-carers': N,
      'decide-sharing': N,
      export: N,
      'request-erasure': N,
    },
  ],
  [
    'carer link without permission',
    carer(false, true),
    {
      view: N,
      contribute: N,
      manage: N,
      'update-details': N,
      'manage-circle': N,
      'authorise-carers': N,
      'decide-sharing': N,
      export: N,
      'request-erasure': N,
    },
  ],
  [
    'break-glass',
    breakGlass,
    {
      view: Y,
      contribute: N,
      manage: N,
      'update-details': N,
      'manage-circle': N,
      'authorise-carers': N,
      'decide-sharing': N,
      export: N,
      'request-erasure': N,
    },
  ],
  [
    'no relation',
    null,
    {
      view: N,
      contribute: N,
      manage: N,
      'update-details': N,
      'manage-circle': N,
      'authorise-carers': N,
      'decide-sharing': N,
      export: N,
      'request-erasure': N,
    },
  ],
];

describe('the access rule for a person’s record', () => {
  for (const [name, relation, expected] of TABLE) {
    it(`${name}: permits exactly what the table says`, () => {
      for (const need of RECORD_NEEDS)
        expect([need, permits(relation, need)]).toEqual([need, expected[need]]);
      expect(capabilitiesOf(relation)).toEqual(expected);
    });
  }

  it('covers every need in the table', () => {
    for (const [, , expected] of TABLE)
      expect(Object.keys(expected).sort()).toEqual([...RECORD_NEEDS].sort());
  });

  it('records from the viewpoint of the relation', () => {
    expect(viewpointOf({ kind: 'self' })).toBe('person');
    expect(viewpointOf(carer(true, true))).toBe('carer');
    expect(viewpointOf(careTeam)).toBe('practitioner');
    expect(viewpointOf(breakGlass)).toBe('practitioner');
  });

  it('explains a break-glass refusal as read-only, whatever the need', () => {
    for (const need of RECORD_NEEDS)
      expect(refusalFor(breakGlass, need)).toMatch(/read the record, not change it/);
  });
});
