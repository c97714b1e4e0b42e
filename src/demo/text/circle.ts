/**
 * Demo text: family, friends and neighbours: how each relation is born and named, who takes on
 * caring first, and how a person speaks of them. Fictional; read by demo-care.ts.
 */

export type RelationType =
  | 'wife'
  | 'husband'
  | 'partner'
  | 'daughter'
  | 'son'
  | 'mother'
  | 'father'
  | 'sister'
  | 'brother'
  | 'granddaughter'
  | 'grandson'
  | 'niece'
  | 'nephew'
  | 'friend'
  | 'neighbour';

export interface KinSpec {
  sex: 'female' | 'male' | 'any';
  /** Range of the relative's birth year minus the person's. */
  born: readonly [number, number];
  /** Chance the relative shares the person's family name. */
  sameFamilyName: number;
}

export const KIN: Readonly<Record<RelationType, KinSpec>> = {
  wife: { sex: 'female', born: [-3, 6], sameFamilyName: 0.85 },
  husband: { sex: 'male', born: [-6, 3], sameFamilyName: 0.85 },
  partner: { sex: 'any', born: [-6, 6], sameFamilyName: 0.2 },
  daughter: { sex: 'female', born: [22, 38], sameFamilyName: 0.5 },
  son: { sex: 'male', born: [22, 38], sameFamilyName: 0.85 },
  mother: { sex: 'female', born: [-38, -20], sameFamilyName: 0.85 },
  father: { sex: 'male', born: [-40, -22], sameFamilyName: 0.9 },
  sister: { sex: 'female', born: [-8, 8], sameFamilyName: 0.5 },
  brother: { sex: 'male', born: [-8, 8], sameFamilyName: 0.85 },
  granddaughter: { sex: 'female', born: [45, 62], sameFamilyName: 0.4 },
  grandson: { sex: 'male', born: [45, 62], sameFamilyName: 0.5 },
  niece: { sex: 'female', born: [20, 40], sameFamilyName: 0.3 },
  nephew: { sex: 'male', born: [20, 40], sameFamilyName: 0.4 },
  friend: { sex: 'any', born: [-10, 10], sameFamilyName: 0 },
  neighbour: { sex: 'any', born: [-40, 30], sameFamilyName: 0 },
};

/** Who usually takes on caring, nearest first. */
export const CARER_ORDER: readonly RelationType[] = [
  'wife',
  'husband',
  'partner',
  'daughter',
  'son',
  'mother',
  'father',
  'sister',
  'brother',
  'niece',
  'nephew',
  'granddaughter',
  'grandson',
  'neighbour',
  'friend',
];

export const IMPORTANT_PEOPLE_TAILS: Readonly<Record<string, readonly string[]>> = {
  spouse: [', my rock', '. We have been together for years', ''],
  child: [', who rings every day', ', who pops in most days', ', who lives nearby', ''],
  parent: [', who I live with', ''],
  sibling: [', who I talk to every week', ''],
  grandchild: [', who I would do anything for', ''],
  other: [', who keeps an eye out for me', '. We go back years', ''],
};

export const FALLBACK_GIVEN: Readonly<Record<'female' | 'male', readonly string[]>> = {
  female: ['Karen', 'Susan', 'Claire', 'Joanne', 'Emma', 'Margaret', 'Sarah', 'Lisa'],
  male: ['David', 'Paul', 'Mark', 'Steven', 'John', 'Andrew', 'Gary', 'Michael'],
};
export const FALLBACK_FAMILY: readonly string[] = [
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'Walker',
  'Wright',
  'Hughes',
];
